using System.Net.Http.Json;
using System.Text.Json;
using WorkingConversations.Testing;

namespace WorkingConversations.Referrals.Tests.Api;

[Collection(ReferralsCollection.Name)]
public sealed class TriageTests(ServiceFixture service)
{
    [Fact]
    public async Task A_declined_referral_shows_the_reason_and_signposting_to_its_partner_and_the_decline_is_a_journey_event_with_who_and_when()
    {
        var (_, partner) = await service.NewPartner();
        var (caseworker, caseworkerKeyId, _) = await service.ClientFor("caseworker");
        var created = await partner.Created();

        var (status, declined) = await caseworker.Send($"/api/v1/referrals/{created.Id()}/decline",
            new { reason = "Needs specialist support", signpostedTo = "Community mental health team" });

        Assert.Equal(200, status);
        Assert.Equal("declined", declined.Str("status"));
        var seen = await partner.GetFromJsonAsync<JsonElement>($"/api/v1/referrals/{created.Id()}");
        Assert.Equal("declined", seen.Str("status"));
        var last = seen.GetProperty("statusHistory").EnumerateArray().Last();
        Assert.Equal("Needs specialist support", last.Str("reason"));
        Assert.Equal("Community mental health team", last.Str("signpostedTo"));

        var history = await caseworker.GetFromJsonAsync<JsonElement>($"/api/v1/participants/{created.Id("participantId")}/history?order=asc");
        var item = history.GetProperty("items").EnumerateArray().Single(i => i.Str("type") == "referral-declined");
        Assert.Equal(caseworkerKeyId, item.GetProperty("recordedBy").GetProperty("keyId").GetGuid());
        Assert.True(item.GetProperty("occurredAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));
    }

    [Fact]
    public async Task A_waitlisted_referral_can_be_accepted_and_an_accepted_one_cannot_be_waitlisted_declined_or_withdrawn()
    {
        var (_, partner) = await service.NewPartner();
        var (caseworker, _, _) = await service.ClientFor("caseworker");
        var id = (await partner.Created()).Id();

        Assert.Equal(200, (await caseworker.Send($"/api/v1/referrals/{id}/waitlist", new { })).Status);
        Assert.Equal(409, (await caseworker.Send($"/api/v1/referrals/{id}/waitlist", new { reason = "again" })).Status);
        await service.WaitForMessages(async () => Assert.Equal(200, (await caseworker.Send($"/api/v1/referrals/{id}/accept", new { })).Status));

        foreach (var (action, body) in new (string, object)[] { ("waitlist", new { }), ("decline", new { reason = "late" }), ("withdraw", new { reason = "late" }), ("accept", new { }) })
        {
            var (status, problem) = await caseworker.Send($"/api/v1/referrals/{id}/{action}", body);
            Assert.Equal(409, status);
            Assert.Equal("accepted", problem.Str("currentStatus"));
        }
    }

    [Fact]
    public async Task A_partner_withdraws_its_own_referral_but_gets_404_for_another_partners_and_a_withdrawn_referral_cannot_be_declined()
    {
        var (_, partner) = await service.NewPartner();
        var (_, otherPartner) = await service.NewPartner();
        var (caseworker, _, _) = await service.ClientFor("caseworker");
        var id = (await partner.Created()).Id();

        Assert.Equal(404, (await otherPartner.Send($"/api/v1/referrals/{id}/withdraw", new { reason = "not mine" })).Status);
        var (status, withdrawn) = await partner.Send($"/api/v1/referrals/{id}/withdraw", new { reason = "Person moved away" });
        Assert.Equal(200, status);
        Assert.Equal("withdrawn", withdrawn.Str("status"));
        Assert.False(withdrawn.TryGetProperty("riskIndicators", out _));

        var (conflict, problem) = await caseworker.Send($"/api/v1/referrals/{id}/decline", new { reason = "too late" });
        Assert.Equal(409, conflict);
        Assert.Equal("withdrawn", problem.Str("currentStatus"));
        // A refusal, not a lost race: sending it again would not help.
        Assert.False(problem.TryGetProperty("retry", out _));
    }

    [Fact]
    public async Task Triage_bodies_are_validated_and_only_caseworkers_decline()
    {
        var (_, partner) = await service.NewPartner();
        var (caseworker, _, _) = await service.ClientFor("caseworker");
        var id = (await partner.Created()).Id();

        var (status, problem) = await caseworker.Send($"/api/v1/referrals/{id}/decline", new { reason = " ", signpostedTo = new string('x', 201) });
        Assert.Equal(400, status);
        Assert.True(problem.GetProperty("errors").TryGetProperty("reason", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("signpostedTo", out _));
        Assert.Equal(400, (await partner.Send($"/api/v1/referrals/{id}/withdraw", new { })).Status);
        Assert.Equal(403, (await partner.Send($"/api/v1/referrals/{id}/decline", new { reason = "no" })).Status);
        Assert.Equal(404, (await caseworker.Send($"/api/v1/referrals/{Guid.NewGuid()}/decline", new { reason = "no" })).Status);
    }
}
