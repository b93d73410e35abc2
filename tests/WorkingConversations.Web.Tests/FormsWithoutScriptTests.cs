using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using WorkingConversations.Testing;

namespace WorkingConversations.Web.Tests;

/// <summary>
/// The forms with JavaScript turned off in the browser: the same posts work, a refused form shows the NHS.UK error summary
/// naming each field and rule with what was typed kept, a stale form says so and shows the record as it is now.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class FormsWithoutScriptTests(WebFixture service)
{
    [Fact]
    public async Task With_script_off_the_triage_and_conversation_forms_work_and_a_refused_form_names_each_field_and_keeps_what_was_typed()
    {
        var scenario = new Scenario(service);
        var person = Person.Unique();
        var participant = await scenario.Referred(person);
        var practitionerId = await service.CertifiedPractitioner();
        var (_, _, practitionerKey) = await service.ClientFor("practitioner", practitionerId: practitionerId);
        var (_, _, caseworkerKey) = await service.ClientFor("caseworker");

        var caseworker = await service.SignedIn(caseworkerKey, javaScript: false);
        await Pages.Open(caseworker, $"/referrals/{participant.ReferralId}");
        // The NHS.UK styles' marker that script ran is missing: the page is the one a person without script gets.
        Assert.Equal(0, await caseworker.Locator("body.js-enabled").CountAsync());
        await service.WaitForMessages(() => Pages.Submit(caseworker, "Accept referral"));
        Assert.Contains("The referral is accepted", await Pages.Banner(caseworker));
        await Pages.Open(caseworker, $"/participants/{participant.ParticipantId}/practitioner");
        // Other tests on this host certify practitioners with the same name: the one this test certified, by its id.
        await caseworker.Locator($"input[name=practitionerId][value=\"{practitionerId}\"]").CheckAsync();
        await Pages.Submit(caseworker, "Assign practitioner");
        Assert.Equal("The practitioner is assigned.", await Pages.Banner(caseworker));

        var practitioner = await service.SignedIn(practitionerKey, javaScript: false);
        await Pages.Open(practitioner, $"/participants/{participant.ParticipantId}/conversations/new");
        await practitioner.Locator("#scheduledFor-day").FillAsync("31");
        await practitioner.Locator("#scheduledFor-month").FillAsync("2");
        await practitioner.Locator("#scheduledFor-year").FillAsync("2027");
        await practitioner.GetByLabel("Where (optional)").FillAsync("Granby Street community centre");
        await Pages.Submit(practitioner, "Schedule conversation");
        var errors = await Pages.ErrorSummary(practitioner);
        Assert.Contains("Date must be a real date, with the day, month and year as numbers, like 27 3 2026.", errors);
        Assert.Contains("How is required: one of in-person, phone, video.", errors);
        Assert.Equal("Granby Street community centre", await practitioner.GetByLabel("Where (optional)").InputValueAsync());
        Assert.Equal("31", await practitioner.Locator("#scheduledFor-day").InputValueAsync());
        Assert.Equal("#scheduledFor-day", await practitioner.Locator(".nhsuk-error-summary__list a").First.GetAttributeAsync("href"));

        await Pages.Date(practitioner, "scheduledFor", service.Today());
        await practitioner.GetByLabel("Time", new() { Exact = true }).FillAsync("2:30pm");
        await Pages.Choose(practitioner, "How", "By phone");
        await Pages.Submit(practitioner, "Schedule conversation");
        Assert.StartsWith("The conversation is scheduled for", await Pages.Banner(practitioner), StringComparison.Ordinal);

        await practitioner.Locator("#conversations a", new() { HasText = "Record" }).First.ClickAsync();
        await practitioner.GetByLabel("Their best hopes from the conversation").FillAsync("To sleep through the night");
        await practitioner.GetByLabel("How long it lasted, in minutes").FillAsync("forty");
        await Pages.Submit(practitioner, "Save the record");
        errors = await Pages.ErrorSummary(practitioner);
        Assert.Contains("Where they are on the scale today is required: a whole number from 0 to 10.", errors);
        Assert.Contains("What is already working is required and must not be empty.", errors);
        Assert.Contains("What one point up would look like is required and must not be empty.", errors);
        Assert.Contains("Did they disclose a risk to themselves or others? is required.", errors);
        Assert.Contains("How long it lasted, in minutes must be a whole number, like 45.", errors);
        Assert.Equal("To sleep through the night", await practitioner.GetByLabel("Their best hopes from the conversation").InputValueAsync());
        Assert.Equal("forty", await practitioner.GetByLabel("How long it lasted, in minutes").InputValueAsync());
        Assert.Contains("nhsuk-form-group--error", await practitioner.Locator(".nhsuk-form-group", new() { Has = practitioner.Locator("#exceptions") }).GetAttributeAsync("class"));

        await practitioner.GetByLabel("Signs of the preferred future").FillAsync("Waking up rested");
        await Pages.Choose(practitioner, "Where they are on the scale today", "4");
        await practitioner.GetByLabel("What is already working").FillAsync("Reading before bed");
        await practitioner.GetByLabel("What one point up would look like").FillAsync("Going to bed before midnight");
        await Pages.Choose(practitioner, "Did they disclose a risk to themselves or others?", "No");
        await practitioner.GetByLabel("How long it lasted, in minutes").FillAsync("40");
        await Pages.Submit(practitioner, "Save the record");
        Assert.Equal("The conversation is recorded.", await Pages.Banner(practitioner));
        Assert.Contains("Waking up rested", await practitioner.Locator(".nhsuk-summary-list").InnerTextAsync());
    }

    [Fact]
    public async Task A_stale_form_is_refused_says_someone_else_changed_the_record_shows_it_as_it_is_now_and_overwrites_nothing()
    {
        var participant = await new Scenario(service).Referred();
        var (_, _, key) = await service.ClientFor("caseworker");
        var first = await service.SignedIn(key, javaScript: false);
        var second = await service.SignedIn(key, javaScript: false);

        // Both open the referral; the second accepts it while the first is writing a decline.
        await Pages.Open(first, $"/referrals/{participant.ReferralId}/decline");
        await Pages.Open(second, $"/referrals/{participant.ReferralId}");
        await service.WaitForMessages(() => Pages.Submit(second, "Accept referral"));

        await first.GetByLabel("Why the referral is declined").FillAsync("Needs a specialist service");
        await Pages.Submit(first, "Decline referral");
        Assert.Equal(
            ["Someone else changed this record after you opened this page, so nothing was saved. The page now shows the record as it is: check it, then send your changes again."],
            await Pages.ErrorSummary(first));
        Assert.Equal("Needs a specialist service", await first.GetByLabel("Why the referral is declined").InputValueAsync());
        Assert.Contains("Accepted", await first.Locator(".nhsuk-card").First.InnerTextAsync());

        // Sent again on the new version, the decline meets the referral's own rule: it is accepted already.
        await Pages.Submit(first, "Decline referral");
        Assert.Contains("The referral is 'accepted', and that does not allow this change.", await Pages.ErrorSummary(first));
        await Pages.Open(first, $"/referrals/{participant.ReferralId}");
        Assert.Equal("Accepted", await first.Locator("#referral-status").InnerTextAsync());
    }

    [Fact]
    public async Task A_practitioner_opening_another_practitioners_participant_gets_page_not_found()
    {
        var participant = await new Scenario(service).Referred().Accepted().Assigned();
        var (_, _, otherKey) = await new Scenario(service).EnrolledPractitioner();
        var other = await service.SignedIn(otherKey);
        foreach (var path in new[] { $"/participants/{participant.ParticipantId}", $"/participants/{participant.ParticipantId}/conversations/new",
                     $"/participants/{participant.ParticipantId}/questionnaires/new/PHQ-9" })
        {
            var response = await other.GotoAsync(path);
            Assert.Equal(404, response!.Status);
            Assert.Equal("Page not found", await Pages.Heading(other));
            await Pages.Accessible(other);
        }
    }

    [Fact]
    public async Task A_search_is_audited_as_a_keyed_hash_of_what_was_searched_for_never_the_text_and_a_view_of_a_conversation_is_audited()
    {
        var person = Person.Distinctive();
        var participant = await new Scenario(service).Referred(person).Accepted().Assigned().InConversation();
        var (_, caseworkerKeyId, key) = await service.ClientFor("caseworker");
        var caseworker = await service.SignedIn(key);

        await Pages.Open(caseworker, "/participants/find");
        await caseworker.GetByLabel("NHS number").FillAsync(person.NhsNumber!);
        await Pages.Submit(caseworker, "Search");
        Assert.Equal("1 participant found", await caseworker.Locator("#results").InnerTextAsync());
        // Posted, so the NHS number is not in the address (nor the browser's history, nor the request log).
        Assert.DoesNotContain(person.NhsNumber!, caseworker.Url, StringComparison.Ordinal);
        await Pages.Follow(caseworker, $"{person.GivenName} {person.FamilyName}");
        await caseworker.Locator("#conversations a", new() { HasText = "View" }).First.ClickAsync();
        Assert.StartsWith("Conversation of", await Pages.Heading(caseworker), StringComparison.Ordinal);

        var audit = await service.Admin().GetStringAsync($"/api/v1/audit?actor={caseworkerKeyId}");
        foreach (var text in person.IdentifyingStrings) Assert.DoesNotContain(text, audit, StringComparison.OrdinalIgnoreCase);
        var reads = JsonDocument.Parse(audit).RootElement.GetProperty("items").EnumerateArray().ToList();
        var search = Assert.Single(reads, r => r.GetProperty("kind").GetString() == "search");
        var developmentKey = SHA256.HashData(Encoding.UTF8.GetBytes("working-conversations-development-audit-key"));
        Assert.Equal(Convert.ToHexStringLower(HMACSHA256.HashData(developmentKey, Encoding.UTF8.GetBytes("nhs-number:" + person.NhsNumber))),
            search.GetProperty("searchedFor").GetString());
        Assert.Equal(1, search.GetProperty("found").GetInt32());
        Assert.Contains(reads, r => r.GetProperty("kind").GetString() == "journey" && r.GetProperty("participantId").GetGuid() == participant.ParticipantId);
        Assert.Contains(reads, r => r.GetProperty("kind").GetString() == "conversation" && r.GetProperty("participantId").GetGuid() == participant.ParticipantId);
    }

    [Fact]
    public async Task A_partner_key_cannot_sign_in_and_a_form_posted_without_its_anti_forgery_token_changes_nothing()
    {
        var (partnerId, _) = await service.NewPartner();
        var (_, _, partnerKey) = await service.ClientFor("partner", partnerId: partnerId);
        var context = await service.NewPerson();
        var page = await context.NewPageAsync();
        await Pages.SignIn(page, partnerKey);
        Assert.Equal(["Staff key is a partner's key: partner keys are for partners' systems and cannot sign in to these pages."], await Pages.ErrorSummary(page));
        await Pages.Accessible(page);

        var (_, _, adminKey) = await service.ClientFor("admin");
        using var session = await StaffSession.SignIn(service.BaseUrl, adminKey);
        var name = $"Forged {Guid.NewGuid():N}";
        using var forged = await session.Post("/partners/new", new Dictionary<string, string> { ["name"] = name, ["contactEmail"] = "a@b.example" }, withToken: false);
        Assert.Equal(400, (int)forged.StatusCode);
        Assert.Contains("This form has expired", await forged.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(name, await service.Admin().GetStringAsync("/api/v1/partners"), StringComparison.Ordinal);
    }
}
