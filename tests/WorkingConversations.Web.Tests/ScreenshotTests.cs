using System.Net.Http.Json;
using Microsoft.Playwright;
using WorkingConversations.Testing;

namespace WorkingConversations.Web.Tests;

/// <summary>
/// The main pages as a person sees them, saved as pictures. Each run checks that every page draws and passes axe-core; with
/// WC_SCREENSHOTS=1 the pictures go to docs/ui in the repository, otherwise to a temporary folder (<see cref="Screenshots"/>).
/// </summary>
[Collection(WebCollection.Name)]
public sealed class ScreenshotTests(WebFixture service)
{
    internal static async Task Shoot(IPage page, string folder, string name, string path)
    {
        await Pages.Open(page, path);
        var file = Path.Combine(folder, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
        Assert.True(new FileInfo(file).Length > 10_000, $"{name} is an empty picture");
    }

    [Fact]
    public async Task Screenshots_of_the_main_pages()
    {
        var folder = Screenshots.Folder;
        var scenario = new Scenario(service);
        var participant = await scenario.Referred(Person.Unique()).Accepted().Assigned().InConversation();
        var waiting = await scenario.Referred(Person.Unique());
        var (_, _, caseworkerKey) = await service.ClientFor("caseworker");
        var (_, _, practitionerKey) = await service.ClientFor("practitioner", practitionerId: participant.PractitionerId);
        var (_, _, trainerKey) = await service.ClientFor("trainer");
        var (_, _, adminKey) = await service.ClientFor("admin");
        var volunteerId = await service.CertifiedPractitioner();

        var signIn = await (await service.NewPerson()).NewPageAsync();
        await Shoot(signIn, folder, "sign-in", "/sign-in");

        var caseworker = await service.SignedIn(caseworkerKey);
        await Shoot(caseworker, folder, "caseworker-home", "/");
        await Shoot(caseworker, folder, "triage-queue", "/referrals");
        await Shoot(caseworker, folder, "referral", $"/referrals/{waiting.ReferralId}");
        await Shoot(caseworker, folder, "participant", $"/participants/{participant.ParticipantId}");
        await Shoot(caseworker, folder, "participant-as-it-stood", $"/participants/{participant.ParticipantId}?version=3");
        await Shoot(caseworker, folder, "find-participant", "/participants/find");

        var practitioner = await service.SignedIn(practitionerKey);
        await Shoot(practitioner, folder, "caseload", "/");
        await Shoot(practitioner, folder, "schedule-conversation", $"/participants/{participant.ParticipantId}/conversations/new");
        await Shoot(practitioner, folder, "questionnaire-phq-9", $"/participants/{participant.ParticipantId}/questionnaires/new/PHQ-9");

        var trainer = await service.SignedIn(trainerKey);
        await Shoot(trainer, folder, "volunteers", "/volunteers");
        await Shoot(trainer, folder, "volunteer", $"/volunteers/{volunteerId}");

        var admin = await service.SignedIn(adminKey);
        await Shoot(admin, folder, "api-keys", "/api-keys");
        await Shoot(admin, folder, "read-audit", "/audit");
        // The volunteers' records page is drawn by VolunteerRecordsPagingTests, with enough volunteers for its pager.

        // A partner's callback endpoint refuses for good: its status callback is the one dead letter of the list.
        using (var refusing = new CallbackListener(_ => 410))
        {
            var (_, partner) = await service.NewPartner(refusing.Url);
            await scenario.Referred(Person.Unique(), partner: partner);
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (await admin.Locator("#dead-letters tbody tr", new() { HasText = "answered 410" }).CountAsync() == 0)
            {
                Assert.True(DateTime.UtcNow < deadline, "The refused callback did not reach the dead letters.");
                await Task.Delay(500);
                await admin.GotoAsync("/dead-letters");
            }

            await Shoot(admin, folder, "dead-letters", "/dead-letters");
            var id = await admin.Locator("#dead-letters tbody tr", new() { HasText = "answered 410" }).GetAttributeAsync("data-id");
            // The host is shared: the letter goes, so the other tests find the list as it was.
            Assert.Equal(System.Net.HttpStatusCode.NoContent, (await service.Admin().DeleteAsync($"/api/v1/admin/dead-letters/{id}")).StatusCode);
        }

        // The practice page after a third conversation with the fidelity self-rating, the scale flat at 4: the trainer's view.
        await HeldAgain(participant, days: 2, fidelity: null);
        await HeldAgain(participant, days: 3, fidelity: new
        {
            bestHopesAsked = "yes", preferredFutureDescribed = "partly", scalingUsed = "yes", exceptionsExplored = "no", nextStepParticipantsOwn = "yes",
        });
        await Shoot(trainer, folder, "practice", $"/practitioners/{participant.PractitionerId}/practice");
    }

    /// <summary>Another conversation of the participant, scheduled and recorded as held through the practitioner's API.</summary>
    private async Task HeldAgain(Participant participant, int days, object? fidelity)
    {
        var practitioner = participant.Practitioner!;
        var scheduled = await Scenario.Expect(await practitioner.PostAsJsonAsync($"/api/v1/participants/{participant.ParticipantId}/conversations",
            new { scheduledFor = service.Clock.GetUtcNow().AddDays(days), mode = "phone", location = (string?)null }), System.Net.HttpStatusCode.Created);
        await Scenario.Expect(await practitioner.PostAsJsonAsync($"/api/v1/conversations/{scheduled.GetProperty("conversationId").GetGuid()}/record", new
        {
            attended = true, bestHopes = "Feel settled at home", preferredFutureSigns = new[] { "sleeping through" }, scale = 4,
            exceptions = "Walks help", onePointUp = "Out once a day", nextSmallStep = "Call a friend", riskDisclosed = false, durationMinutes = 45,
            lastStepTaken = "partly", whatHasBeenBetter = "Slept better on two nights", fidelity,
        }), System.Net.HttpStatusCode.OK);
    }
}
