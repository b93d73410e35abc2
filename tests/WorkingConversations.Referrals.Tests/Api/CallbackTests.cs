using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using WorkingConversations.Testing;

namespace WorkingConversations.Referrals.Tests.Api;

[Collection(ReferralsCollection.Name)]
public class CallbackTests(ServiceFixture service)
{
    private async Task<(HttpClient Partner, string Secret)> PartnerWithCallback(string url)
    {
        var response = await service.Admin().PostAsJsonAsync("/api/v1/partners",
            new { name = $"Partner {Guid.NewGuid():N}", contactEmail = "team@partner.example", callbackUrl = url });
        var registered = await response.Content.ReadFromJsonAsync<JsonElement>();
        var (client, _, _) = await service.ClientFor("partner", partnerId: registered.Id());
        return (client, registered.Str("callbackSecret"));
    }

    private static JsonElement Parse(CallbackListener.Attempt a) => JsonDocument.Parse(a.Body).RootElement;

    private static bool Delivered(IReadOnlyCollection<CallbackListener.Attempt> attempts, Guid referralId, string status) =>
        attempts.Any(a => a.AnsweredWith == 200 && Parse(a).Id("referralId") == referralId && Parse(a).Str("status") == status);

    [Fact]
    public async Task A_partner_whose_endpoint_fails_the_first_attempts_still_gets_every_status_change_signed_with_its_secret_and_a_stable_callback_id()
    {
        using var listener = new CallbackListener(n => n <= 2 ? 500 : 200);
        var (partner, secret) = await PartnerWithCallback(listener.Url);
        var (caseworker, _, _) = await service.ClientFor("caseworker");

        var body = People.Referral();
        var created = await partner.Created(body);
        await listener.WaitUntil(a => Delivered(a, created.Id(), "received"), TimeSpan.FromSeconds(30));
        Assert.Equal(200, (await caseworker.Send($"/api/v1/referrals/{created.Id()}/waitlist", new { })).Status);
        await listener.WaitUntil(a => Delivered(a, created.Id(), "waitlisted"), TimeSpan.FromSeconds(30));

        var attempts = listener.Attempts;
        var received = attempts.Where(a => Parse(a).Str("status") == "received").ToList();
        Assert.True(received.Count >= 3, $"the first two attempts failed, so at least three were made; saw {received.Count}");
        Assert.Single(received.Select(a => a.CallbackId).Distinct());
        Assert.Single(received.Select(a => Parse(a).Id("callbackId")).Distinct());
        Assert.All(attempts, a =>
            Assert.Equal("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), a.Body)), a.Signature));
        var last = Parse(attempts.Last());
        Assert.Equal(body["partnerReference"], last.Str("partnerReference"));
        Assert.Equal("waitlisted", last.Str("status"));
        Assert.True(last.TryGetProperty("at", out _));
        Assert.NotEqual(received[0].CallbackId, attempts.Last().CallbackId);
    }

    [Fact]
    public async Task A_partner_endpoint_that_never_answers_does_not_slow_or_fail_the_referral_requests()
    {
        using var listener = new CallbackListener(_ => null);
        var (partner, _) = await PartnerWithCallback(listener.Url);
        var (caseworker, _, _) = await service.ClientFor("caseworker");

        var clock = Stopwatch.StartNew();
        var response = await partner.PostAsJsonAsync("/api/v1/referrals", People.Referral());
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        var declined = await caseworker.Send($"/api/v1/referrals/{created.Id()}/decline", new { reason = "Out of area" });
        clock.Stop();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(200, declined.Status);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        // The callback was tried, in the background, while the requests had long been answered.
        await listener.WaitUntil(a => a.Count >= 1, TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_status_change_caused_by_another_modules_event_is_called_back_too()
    {
        using var listener = new CallbackListener(_ => 200);
        var (partner, _) = await PartnerWithCallback(listener.Url);
        var (caseworker, _, _) = await service.ClientFor("caseworker");
        var created = await partner.Created();
        await service.WaitForMessages(async () => Assert.Equal(200, (await caseworker.Send($"/api/v1/referrals/{created.Id()}/accept", new { })).Status));

        // What Conversations appends when the first conversation is held, appended here as Conversations would.
        var store = service.Services.GetRequiredService<Marten.IDocumentStore>();
        await using (var session = store.LightweightSession())
        {
            session.Events.Append(created.Id("participantId"), new Conversations.Contracts.ConversationHeld(Guid.CreateVersion7(), created.Id("participantId"),
                created.Id(), 1, Guid.CreateVersion7(), "hopes", [], 5, "exceptions", "one point up", null, null, false, 45, service.Clock.GetUtcNow()));
            await session.SaveChangesAsync();
        }

        await listener.WaitUntil(a => Delivered(a, created.Id(), "in-conversation"), TimeSpan.FromSeconds(30));
        Assert.Equal(["received", "accepted", "in-conversation"],
            listener.Attempts.Where(a => Parse(a).Id("referralId") == created.Id()).OrderBy(a => Parse(a).GetProperty("at").GetDateTimeOffset())
                .Select(a => Parse(a).Str("status")).ToArray());
    }

    [Fact]
    public async Task Only_a_partner_with_a_callback_url_has_callback_work_queued_for_its_referrals()
    {
        using var listener = new CallbackListener(_ => 200);
        var (withCallback, _) = await PartnerWithCallback(listener.Url);
        var (_, withoutCallback) = await service.NewPartner();
        var (caseworker, _, _) = await service.ClientFor("caseworker");

        JsonElement called = default, silent = default;
        var tracked = await service.WaitForMessages(async () =>
        {
            called = await withCallback.Created();
            silent = await withoutCallback.Created();
            Assert.Equal(200, (await caseworker.Send($"/api/v1/referrals/{silent.Id()}/waitlist", new { })).Status);
        });

        var changes = tracked.Executed.MessagesOf<Contracts.ReferralStatusChanged>().ToArray();
        Assert.Contains(changes, c => c.ReferralId == called.Id() && c.Status == "received");
        Assert.DoesNotContain(changes, c => c.ReferralId == silent.Id());
        await listener.WaitUntil(a => Delivered(a, called.Id(), "received"), TimeSpan.FromSeconds(30));
    }
}

/// <summary>The same tests once more, with the messages between modules travelling through RabbitMQ.</summary>
[Collection(ReferralsOnRabbitMqCollection.Name)]
public sealed class CallbackOnRabbitMqTests(RabbitMqServiceFixture service) : CallbackTests(service);
