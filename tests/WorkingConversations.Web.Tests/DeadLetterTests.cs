using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using WorkingConversations.Testing;

namespace WorkingConversations.Web.Tests;

/// <summary>
/// Two partners' callback endpoints refuse for good (410 and 404), so two status callbacks fail every retry. On the
/// pages the administrator finds both (never a message's body), replays the first once its endpoint is mended (it is
/// delivered and leaves the list) and, with script off, discards the second (it leaves the list, and the API's list
/// agrees). Anyone but an administrator gets the 403 page.
/// </summary>
[Collection(DeadLetterCollection.Name)]
public sealed class DeadLetterTests(WebFixture service)
{
    private const string MessageType = "WorkingConversations.Referrals.Contracts.ReferralStatusChanged";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task An_administrator_replays_a_mended_callback_and_discards_another_from_the_pages_and_nobody_else_may_open_them()
    {
        var admin = await service.SignedIn(ServiceFixture.AdminKey);
        Assert.Equal("0", await admin.Locator("#dead-letter-count").InnerTextAsync());
        await Pages.Follow(admin, "Dead letters");
        Assert.Equal("Dead letters", await Pages.Heading(admin));
        Assert.Contains("There are no dead letters", await admin.Locator("#no-dead-letters").InnerTextAsync());

        var mended = false;
        using var gone = new CallbackListener(_ => Volatile.Read(ref mended) ? 200 : 410);
        using var wrong = new CallbackListener(_ => 404);
        var scenario = new Scenario(service);
        var (_, goneClient) = await service.NewPartner(gone.Url);
        var (_, wrongClient) = await service.NewPartner(wrong.Url);
        var person = Person.Unique();
        var replayed = await scenario.Referred(person, partner: goneClient);
        var discarded = await scenario.Referred(Person.Unique(), partner: wrongClient);

        var rows = admin.Locator("#dead-letters tbody tr");
        await Until(admin, async () => await rows.CountAsync() == 2);
        await Pages.Accessible(admin);
        var first = rows.Filter(new() { HasText = "answered 410" });
        var text = await first.InnerTextAsync();
        Assert.Contains(MessageType, text);
        Assert.Contains("System.Net.Http.HttpRequestException", text);
        Assert.Contains("The partner's callback URL answered 410.", text);
        Assert.Contains("local://", text);
        Assert.Equal("1", (await first.Locator("td").Nth(4).InnerTextAsync()).Trim());
        // Never the message's body: the referral's person and ids stay out of the page.
        var page = await admin.Locator("main").InnerTextAsync();
        Assert.DoesNotContain(person.FamilyName, page);
        Assert.DoesNotContain(replayed.ReferralId.ToString(), page);
        Assert.DoesNotContain(replayed.ParticipantId.ToString(), page);

        await Pages.Open(admin, "/");
        Assert.Equal("2", await admin.Locator("#dead-letter-count").InnerTextAsync());

        // The first partner mends their endpoint; the administrator replays its callback.
        Volatile.Write(ref mended, true);
        await Pages.Follow(admin, "See dead letters");
        await rows.Filter(new() { HasText = "answered 410" }).GetByRole(AriaRole.Link, new() { Name = "Replay" }).ClickAsync();
        await Pages.Accessible(admin);
        Assert.Equal("Replay this dead letter", await Pages.Heading(admin));
        Assert.Contains("The partner's callback URL answered 410.", await admin.Locator("#dead-letter").InnerTextAsync());
        await Pages.Submit(admin, "Replay dead letter");
        Assert.Contains("The dead letter is sent for replay", await Pages.Banner(admin));

        await gone.WaitUntil(a => a.Any(x => x.AnsweredWith == 200), Patience);
        var delivered = Assert.Single(gone.Attempts, a => a.AnsweredWith == 200);
        Assert.Equal(replayed.ReferralId, JsonDocument.Parse(delivered.Body).RootElement.GetProperty("referralId").GetGuid());
        await Until(admin, async () => await rows.CountAsync() == 1);
        Assert.Equal(0, await rows.Filter(new() { HasText = "answered 410" }).CountAsync());

        // Another administrator, with script off, discards the second one.
        var plain = await service.SignedIn(ServiceFixture.AdminKey, javaScript: false);
        await Pages.Open(plain, "/dead-letters");
        Assert.Equal(0, await plain.Locator("body.js-enabled").CountAsync());
        var second = plain.Locator("#dead-letters tbody tr", new() { HasText = "answered 404" });
        var secondId = await second.GetAttributeAsync("data-id");
        await second.GetByRole(AriaRole.Link, new() { Name = "Discard" }).ClickAsync();
        Assert.Equal("Discard this dead letter", await Pages.Heading(plain));
        await Pages.Submit(plain, "Discard dead letter");
        Assert.Contains("The dead letter is discarded", await Pages.Banner(plain));
        Assert.Equal(0, await plain.Locator("#dead-letters tbody tr").CountAsync());
        Assert.Contains("There are no dead letters", await plain.Locator("#no-dead-letters").InnerTextAsync());

        var api = await service.Admin().GetFromJsonAsync<JsonElement>($"/api/v1/admin/dead-letters?messageType={MessageType}");
        Assert.Equal(0, api.GetProperty("items").GetArrayLength());
        var gonePage = await plain.GotoAsync($"/dead-letters/{secondId}/replay");
        Assert.Equal((int)HttpStatusCode.NotFound, gonePage!.Status);
        Assert.Equal("This dead letter is no longer there", await Pages.Heading(plain));
        // The discarded callback was never sent again; the replayed one was sent once more, and only once.
        Assert.Single(wrong.Attempts);
        Assert.Equal(discarded.ReferralId, JsonDocument.Parse(wrong.Attempts.Single().Body).RootElement.GetProperty("referralId").GetGuid());
        Assert.Equal(2, gone.Attempts.Count);

        var (_, _, caseworkerKey) = await service.ClientFor("caseworker");
        var caseworker = await service.SignedIn(caseworkerKey);
        Assert.Equal(0, await caseworker.GetByRole(AriaRole.Link, new() { Name = "Dead letters" }).CountAsync());
        var refused = await caseworker.GotoAsync("/dead-letters");
        Assert.Equal((int)HttpStatusCode.Forbidden, refused!.Status);
        Assert.Equal("You cannot use this page", await Pages.Heading(caseworker));
    }

    /// <summary>Reloads the page, as a person waiting would, until it shows what the condition asks for.</summary>
    private static async Task Until(IPage page, Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            await page.ReloadAsync();
            if (await condition()) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{page.Url} did not show what was awaited within {Patience}.");
            await Task.Delay(500);
        }
    }
}

/// <summary>A host of its own: the list must hold only this test's dead letters, and start empty.</summary>
[CollectionDefinition(Name)]
public sealed class DeadLetterCollection : ICollectionFixture<WebFixture>
{
    public const string Name = "web, dead letters";
}
