using Microsoft.Playwright;
using WorkingConversations.Testing;

namespace WorkingConversations.Web.Tests;

/// <summary>
/// A participant's way through the service as the caseworker and the practitioner see it: a partner's referral through
/// the API, triage and assignment, two conversations with questionnaires at the start and the end, the safeguarding
/// prompt, the concern acknowledged, and the journey as it stood before the second conversation.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class CaseworkerAndPractitionerTests(WebFixture service)
{
    [Fact]
    public async Task A_referral_goes_through_triage_two_conversations_and_questionnaires_and_the_caseworker_looks_back_at_it()
    {
        var scenario = new Scenario(service);
        var person = Person.Unique();
        var participant = await scenario.Referred(person);
        var name = $"{person.GivenName} {person.FamilyName}";
        var practitionerId = await service.CertifiedPractitioner();
        var (_, _, practitionerKey) = await service.ClientFor("practitioner", practitionerId: practitionerId);
        var (_, _, caseworkerKey) = await service.ClientFor("caseworker");

        // The caseworker finds the referral in the triage queue, accepts it and assigns the practitioner.
        var caseworker = await service.SignedIn(caseworkerKey);
        Assert.Equal("Caseworker home", await Pages.Heading(caseworker));
        Assert.True(int.Parse(await caseworker.Locator("#triage-count").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        await Pages.Follow(caseworker, "See the triage queue");
        await Pages.Follow(caseworker, name);
        Assert.StartsWith("Referral REF-", await Pages.Heading(caseworker), StringComparison.Ordinal);
        Assert.Equal("Received", await caseworker.Locator("#referral-status").InnerTextAsync());
        await service.WaitForMessages(() => Pages.Submit(caseworker, "Accept referral"));
        Assert.Contains("The referral is accepted", await Pages.Banner(caseworker));
        Assert.Equal("Accepted", await caseworker.Locator("#referral-status").InnerTextAsync());

        await Pages.Follow(caseworker, "See the participant's journey");
        Assert.Equal(name, await Pages.Heading(caseworker));
        await Pages.Follow(caseworker, "Assign a practitioner");
        // Other tests on this host certify practitioners with the same name: the one this test certified, by its id.
        await caseworker.Locator($"input[name=practitionerId][value=\"{practitionerId}\"]").CheckAsync();
        await Pages.Submit(caseworker, "Assign practitioner");
        Assert.Equal("The practitioner is assigned.", await Pages.Banner(caseworker));
        Assert.StartsWith("Val Unteer", await caseworker.Locator("#practitioner").InnerTextAsync(), StringComparison.Ordinal);

        // The practitioner finds them in their caseload.
        var practitioner = await service.SignedIn(practitionerKey);
        Assert.Equal("My caseload", await Pages.Heading(practitioner));
        await Pages.Follow(practitioner, name);
        var participantPage = practitioner.Url;

        // PHQ-9 and GAD-7 at the start; item 9 above 0 shows the safeguarding guidance on the next page.
        var phq9 = await Questionnaire(practitioner, "PHQ-9: depression", "At the start", Enumerable.Repeat("Several days", 9).ToArray());
        Assert.Equal("PHQ-9 saved", await Pages.Heading(practitioner));
        Assert.True(await practitioner.Locator("#safeguarding-prompt").IsVisibleAsync());
        Assert.Contains("Question 9 was answered above 0", await practitioner.Locator("#safeguarding-prompt").InnerTextAsync());
        Assert.Equal("9", phq9["Score"]);
        Assert.Equal("Mild", phq9["Band"]);
        Assert.Equal("No", phq9["At caseness"]);

        await practitioner.GotoAsync(participantPage);
        var gad7 = await Questionnaire(practitioner, "GAD-7: anxiety", "At the start", Enumerable.Repeat("More than half the days", 7).ToArray());
        Assert.Equal("14", gad7["Score"]);
        Assert.Equal("Moderate", gad7["Band"]);
        Assert.False(await practitioner.Locator("#safeguarding-prompt").IsVisibleAsync());

        // Two conversations, scheduled and recorded.
        await practitioner.GotoAsync(participantPage);
        await Conversation(practitioner, participantPage, "10:00", scale: "3", risk: "No");
        await practitioner.GotoAsync(participantPage);
        var versionBeforeSecond = int.Parse(await practitioner.Locator("#timeline-table tbody tr").First.Locator("td").First.InnerTextAsync(),
            System.Globalization.CultureInfo.InvariantCulture);
        await Conversation(practitioner, participantPage, "11:30", scale: "6", risk: "Yes");
        Assert.True(await practitioner.Locator("#safeguarding-prompt").IsVisibleAsync());

        await practitioner.GotoAsync(participantPage);
        var phq9End = await Questionnaire(practitioner, "PHQ-9: depression", "At the end", Enumerable.Repeat("Not at all", 9).ToArray());
        Assert.Equal("0", phq9End["Score"]);
        Assert.False(await practitioner.Locator("#safeguarding-prompt").IsVisibleAsync());
        await practitioner.GotoAsync(participantPage);
        var gad7End = await Questionnaire(practitioner, "GAD-7: anxiety", "At the end", Enumerable.Repeat("Not at all", 7).ToArray());
        Assert.Equal("Minimal", gad7End["Band"]);

        // The caseworker acknowledges the concerns and opens the journey as it stood before the second conversation.
        await Pages.Open(caseworker, "/");
        var concerns = caseworker.Locator("#open-concerns tr", new() { HasText = name });
        Assert.Equal(2, await concerns.CountAsync());
        await concerns.First.Locator("a[href^=\"/safeguarding/\"]").ClickAsync();
        await Pages.Accessible(caseworker);
        Assert.Equal("Acknowledge the safeguarding concern", await Pages.Heading(caseworker));
        await Pages.Submit(caseworker, "Acknowledge concern");
        Assert.Contains("What you have done about it is required and must not be empty.", await Pages.ErrorSummary(caseworker));
        await caseworker.GetByLabel("What you have done about it").FillAsync("Called the participant; they agreed a safety plan with their GP.");
        await Pages.Submit(caseworker, "Acknowledge concern");
        Assert.Equal("The safeguarding concern is acknowledged.", await Pages.Banner(caseworker));
        Assert.Equal(1, await caseworker.Locator("#participant-concerns li").CountAsync());

        await caseworker.GetByLabel("Or at a version").FillAsync(versionBeforeSecond.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Pages.Submit(caseworker, "Show the journey then");
        Assert.Equal("Participant: past view", await caseworker.Locator(".nhsuk-caption-l").InnerTextAsync());
        Assert.Contains($"version {versionBeforeSecond}", await caseworker.Locator("#past-view").InnerTextAsync());
        Assert.Equal("1", await Row(caseworker, "Conversations held"));
        var timeline = await caseworker.Locator("#timeline-table tbody tr").AllInnerTextsAsync();
        Assert.Single(timeline, r => r.Contains("Conversation held", StringComparison.Ordinal));
        Assert.DoesNotContain(timeline, r => r.Contains("Safeguarding concern acknowledged", StringComparison.Ordinal));
        // Nothing can be changed in a past view.
        Assert.Equal(0, await caseworker.GetByRole(AriaRole.Link, new() { Name = "Schedule a conversation" }).CountAsync());

        await caseworker.GotoAsync($"/participants/{participant.ParticipantId}");
        Assert.Equal("2", await Row(caseworker, "Conversations held"));
    }

    private static async Task<string> Row(IPage page, string key) =>
        (await page.Locator(".nhsuk-summary-list__row", new() { Has = page.Locator($"dt:text-is(\"{key}\")") }).First.Locator("dd").InnerTextAsync()).Trim();

    /// <summary>Records a questionnaire from the participant's page and gives the result page's rows.</summary>
    private async Task<Dictionary<string, string>> Questionnaire(IPage page, string title, string timepoint, string[] answers)
    {
        await Pages.Follow(page, "Record a questionnaire");
        await Pages.Follow(page, title);
        Assert.Equal(title, await Pages.Heading(page));
        await Pages.Choose(page, "When in the journey", timepoint);
        await Pages.Date(page, "administeredAt", service.Today());
        for (var i = 0; i < answers.Length; i++)
        {
            await page.Locator($"fieldset:has(legend:text-matches(\"^{i + 1}\\\\. \"))").GetByLabel(answers[i], new() { Exact = true }).CheckAsync();
        }

        await service.WaitForMessages(() => Pages.Submit(page, "Save and see the score"));
        var rows = new Dictionary<string, string>();
        foreach (var row in await page.Locator("#result .nhsuk-summary-list__row").AllAsync())
            rows[(await row.Locator("dt").InnerTextAsync()).Trim()] = (await row.Locator("dd").InnerTextAsync()).Trim();
        return rows;
    }

    private async Task Conversation(IPage page, string participantPage, string time, string scale, string risk)
    {
        await Pages.Follow(page, "Schedule a conversation");
        await Pages.Date(page, "scheduledFor", service.Today());
        await page.GetByLabel("Time", new() { Exact = true }).FillAsync(time);
        await Pages.Choose(page, "How", "In person");
        await Pages.Submit(page, "Schedule conversation");
        Assert.StartsWith("The conversation is scheduled for", await Pages.Banner(page), StringComparison.Ordinal);

        await page.Locator("#conversations a", new() { HasText = "Record" }).First.ClickAsync();
        await Pages.Accessible(page);
        await page.GetByLabel("Their best hopes from the conversation").FillAsync("To feel like myself again and get back to work");
        await page.GetByLabel("Signs of the preferred future").FillAsync("Getting up at seven\nCalling my sister on Sundays");
        await Pages.Choose(page, "Where they are on the scale today", scale);
        await page.GetByLabel("What is already working").FillAsync("Walking the dog every morning");
        await page.GetByLabel("What one point up would look like").FillAsync("Answering the phone when it rings");
        await page.GetByLabel("Their next small step (optional)").FillAsync("Phone the job centre on Monday");
        await Pages.Choose(page, "Did they disclose a risk to themselves or others?", risk);
        await page.GetByLabel("How long it lasted, in minutes").FillAsync("50");
        await service.WaitForMessages(() => Pages.Submit(page, "Save the record"));
        Assert.StartsWith("The conversation is recorded", await Pages.Banner(page), StringComparison.Ordinal);
        Assert.StartsWith("Conversation of", await Pages.Heading(page), StringComparison.Ordinal);
    }
}
