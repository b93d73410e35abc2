using Microsoft.Playwright;
using WorkingConversations.Testing;

namespace WorkingConversations.Web.Tests;

/// <summary>
/// A practitioner records four conversations whose scale goes 3, 3, 3, 5: the participant's page draws the four points
/// with the next steps and what was said of them; the flat-scale prompt is on the practitioner's page after the third
/// and gone after the fourth; the third record asks for the fidelity self-rating; the trainer's view of the
/// practitioner shows the rating and the prompt. axe-core checks every page on the way.
/// </summary>
[Collection(PracticeInsightCollection.Name)]
public sealed class PracticeInsightTests(WebFixture service)
{
    private const string FlatPrompt = "Scale flat or falling";

    [Fact]
    public async Task Four_conversations_at_3_3_3_5_show_the_trajectory_the_flat_prompt_after_the_third_only_and_fidelity_at_the_third_and_the_trainer_sees_them()
    {
        var scenario = new Scenario(service);
        var person = Person.Unique();
        var name = $"{person.GivenName} {person.FamilyName}";
        var participant = await scenario.Referred(person).Accepted();
        var practitionerId = await service.CertifiedPractitioner();
        await scenario.Assign(participant.ParticipantId, practitionerId);
        var (_, _, practitionerKey) = await service.ClientFor("practitioner", practitionerId: practitionerId);
        var (_, _, trainerKey) = await service.ClientFor("trainer");

        var practitioner = await service.SignedIn(practitionerKey);
        await Pages.Follow(practitioner, name);
        var participantPage = practitioner.Url;

        await Conversation(practitioner, "09:00", "3", "Call my sister", fidelityOffered: false);
        await Conversation(practitioner, "10:00", "3", "Walk to the shop", fidelityOffered: false, lastStep: "Partly", better: "Slept better on two nights");
        Assert.Equal(0, await Prompts(practitioner, name, FlatPrompt));

        await practitioner.GotoAsync(participantPage);
        Assert.True(await practitioner.Locator("#fidelity-due").IsVisibleAsync());
        await Conversation(practitioner, "11:00", "3", "Join the walking group", fidelityOffered: true, lastStep: "Yes", better: "Went to the shop");
        Assert.Equal(1, await Prompts(practitioner, name, FlatPrompt));

        // The trainer who supervises the practitioner opens their practice from the volunteer's page.
        var trainer = await service.SignedIn(trainerKey);
        await Pages.Open(trainer, $"/volunteers/{practitionerId}");
        await Pages.Follow(trainer, "Caseload prompts and fidelity to solution-focused practice");
        Assert.Equal("Practice and fidelity", await Pages.Heading(trainer));
        Assert.Equal(1, await trainer.Locator("#caseload-prompts tbody tr", new() { HasText = FlatPrompt }).CountAsync());
        Assert.Equal(0, await trainer.Locator("#caseload-prompts", new() { HasText = person.FamilyName }).CountAsync());
        Assert.Equal("1 of 3 conversations held have a self-rating (asked at every third conversation).", await trainer.Locator("#fidelity-summary").InnerTextAsync());
        var rating = await trainer.Locator("#fidelity-ratings tbody tr").AllInnerTextsAsync();
        Assert.Equal(["Yes", "Partly", "Yes", "No", "Yes"], Assert.Single(rating).Split('\t').Skip(1).Select(c => c.Trim()));

        await practitioner.GotoAsync(participantPage);
        await Conversation(practitioner, "12:00", "5", "Ask about volunteering", fidelityOffered: false, lastStep: "No step was chosen", better: "Talked to a neighbour");
        Assert.Equal(0, await Prompts(practitioner, name, FlatPrompt));
        await trainer.ReloadAsync();
        await Pages.Accessible(trainer);
        Assert.Equal(0, await trainer.Locator("#caseload-prompts tbody tr", new() { HasText = FlatPrompt }).CountAsync());

        // The trajectory: four points, each with its best hopes, its next step and what was said of it next time.
        await Pages.Open(practitioner, participantPage);
        var rows = practitioner.Locator("#trajectory tbody tr");
        Assert.Equal(4, await rows.CountAsync());
        Assert.Equal(["3", "3", "3", "5"], await practitioner.Locator("#trajectory tbody tr td:nth-child(2)").AllInnerTextsAsync());
        Assert.Equal(4, await practitioner.Locator("#trajectory-chart circle").CountAsync());
        Assert.Contains("Scale by conversation: 3, 3, 3, 5", await practitioner.Locator("#trajectory-chart").GetAttributeAsync("aria-label"));
        var first = await rows.First.InnerTextAsync();
        Assert.Contains("Call my sister", first);
        Assert.Contains("Step taken: Partly", first);
        Assert.Contains("Better: Slept better on two nights", first);
        Assert.Contains("Not yet", await rows.Last.InnerTextAsync());

        // The caseworker sees the same trajectory.
        var (_, _, caseworkerKey) = await service.ClientFor("caseworker");
        var caseworker = await service.SignedIn(caseworkerKey);
        await Pages.Open(caseworker, participantPage);
        Assert.Equal(4, await caseworker.Locator("#trajectory tbody tr").CountAsync());
    }

    /// <summary>How many of the practitioner's prompts about the participant are of this kind, on their home page.</summary>
    private static async Task<int> Prompts(IPage practitioner, string name, string kind)
    {
        await Pages.Open(practitioner, "/");
        return await practitioner.Locator("#caseload-prompts tbody tr", new() { HasText = name }).Filter(new() { HasText = kind }).CountAsync();
    }

    private async Task Conversation(IPage page, string time, string scale, string nextStep, bool fidelityOffered, string? lastStep = null, string? better = null)
    {
        await Pages.Follow(page, "Schedule a conversation");
        await Pages.Date(page, "scheduledFor", service.Today());
        await page.GetByLabel("Time", new() { Exact = true }).FillAsync(time);
        await Pages.Choose(page, "How", "In person");
        await Pages.Submit(page, "Schedule conversation");

        await page.Locator("#conversations a", new() { HasText = "Record" }).First.ClickAsync();
        await Pages.Accessible(page);
        await page.GetByLabel("Their best hopes from the conversation").FillAsync("To feel like myself again");
        await page.GetByLabel("Signs of the preferred future").FillAsync("Getting up at seven");
        await Pages.Choose(page, "Where they are on the scale today", scale);
        await page.GetByLabel("What is already working").FillAsync("Walking the dog");
        await page.GetByLabel("What one point up would look like").FillAsync("Answering the phone");
        await page.GetByLabel("Their next small step (optional)").FillAsync(nextStep);
        await Pages.Choose(page, "Did they disclose a risk to themselves or others?", "No");
        await page.GetByLabel("How long it lasted, in minutes").FillAsync("45");
        Assert.Equal(lastStep is null ? 0 : 1, await page.GetByRole(AriaRole.Group, new() { Name = "Did they take the next small step from the last conversation? (optional)" }).CountAsync());
        if (lastStep is not null)
        {
            await page.GetByLabel("What has been better since the last conversation (optional)").FillAsync(better!);
            await Pages.Choose(page, "Did they take the next small step from the last conversation? (optional)", lastStep);
        }

        var fidelity = page.GetByRole(AriaRole.Group, new() { Name = "Your practice: Did you ask about their best hopes?" });
        Assert.Equal(fidelityOffered ? 1 : 0, await fidelity.CountAsync());
        if (fidelityOffered)
        {
            await Pages.Choose(page, "Your practice: Did you ask about their best hopes?", "Yes");
            await Pages.Choose(page, "Your practice: Did they describe their preferred future?", "Partly");
            await Pages.Choose(page, "Your practice: Did you use the scale?", "Yes");
            await Pages.Choose(page, "Your practice: Did you explore what is already working?", "No");
            await Pages.Choose(page, "Your practice: Was the next step their own?", "Yes");
        }

        await Pages.Submit(page, "Save the record");
        Assert.StartsWith("The conversation is recorded", await Pages.Banner(page), StringComparison.Ordinal);
        await Pages.Follow(page, "Back to the participant");
    }
}

/// <summary>
/// A host of its own: the practitioner certified here must not be offered beside the one the other browser tests assign
/// by name.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PracticeInsightCollection : ICollectionFixture<WebFixture>
{
    public const string Name = "web, practice insight";
}
