using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using WorkingConversations.Testing;

namespace WorkingConversations.Web.Tests;

/// <summary>A trainer takes a volunteer from enrolment to certification, seeing every unmet requirement before it.</summary>
[Collection(WebCollection.Name)]
public sealed class TrainerTests(WebFixture service)
{
    [Fact]
    public async Task A_trainer_takes_a_volunteer_from_enrolment_to_certification_and_sees_the_unmet_requirements_before_it()
    {
        var (trainerApi, _, trainerKey) = await service.ClientFor("trainer");
        var trainer = await service.SignedIn(trainerKey);
        Assert.Equal("Volunteer training", await Pages.Heading(trainer));

        await Pages.Follow(trainer, "Enrol a volunteer or apprentice");
        var family = $"Okafor{Guid.NewGuid():N}"[..14];
        await trainer.GetByLabel("Given name").FillAsync("Ada");
        await trainer.GetByLabel("Family name").FillAsync(family);
        await trainer.GetByLabel("Email address").FillAsync("ada@example.org");
        await Pages.Submit(trainer, "Enrol");
        Assert.Contains("Programme is required: one of volunteer, apprentice.", await Pages.ErrorSummary(trainer));
        Assert.Equal(family, await trainer.GetByLabel("Family name").InputValueAsync());
        await Pages.Choose(trainer, "Programme", "Volunteer");
        await Pages.Submit(trainer, "Enrol");
        Assert.Equal($"Ada {family} is enrolled.", await Pages.Banner(trainer));
        var volunteerPage = trainer.Url;

        // Before any training, certification lists every unmet requirement.
        await Pages.Follow(trainer, "Certify as a practitioner");
        Assert.Equal(8, await trainer.Locator("#requirements-table .nhsuk-tag--red").CountAsync());
        await Pages.Submit(trainer, "Certify");
        var unmet = await Pages.ErrorSummary(trainer);
        Assert.Equal(8, unmet.Count);
        Assert.Contains(unmet, e => e.StartsWith("Module SFP-01", StringComparison.Ordinal));
        Assert.Contains(unmet, e => e.StartsWith("At least 20 supervised practice hours: has 0 hours", StringComparison.Ordinal));
        Assert.Contains(unmet, e => e.StartsWith("A current DBS check", StringComparison.Ordinal));

        var today = service.Today();
        foreach (var module in new[] { "SFP-01", "SFP-02", "SFP-03", "SAFE-01", "PRAC-01" })
        {
            await trainer.GotoAsync(volunteerPage);
            await Pages.Follow(trainer, "An assessment");
            await trainer.GetByLabel("Module", new() { Exact = true }).SelectOptionAsync(module);
            await trainer.GetByLabel("Score (optional)").FillAsync(module == "PRAC-01" ? "" : "85");
            if (module == "PRAC-01") await Pages.Choose(trainer, "Passed?", "Yes");
            await trainer.GetByLabel("Assessed by").FillAsync("Trainer Tess");
            await Pages.Date(trainer, "assessedOn", today);
            await Pages.Submit(trainer, "Save assessment");
            Assert.Equal("The assessment is recorded.", await Pages.Banner(trainer));
        }

        foreach (var hours in new[] { "12", "8" })
        {
            await Pages.Follow(trainer, "Supervised practice hours");
            await trainer.GetByLabel("Hours").FillAsync(hours);
            await trainer.GetByLabel("Supervised by").FillAsync("Supervisor Sam");
            await Pages.Date(trainer, "on", today);
            await Pages.Submit(trainer, "Save hours");
        }

        for (var i = 0; i < 3; i++)
        {
            await Pages.Follow(trainer, "A supervision session");
            await trainer.GetByLabel("Supervisor").FillAsync("Supervisor Sam");
            await Pages.Date(trainer, "on", today);
            if (i == 0)
            {
                await trainer.GetByLabel("Using the 0 to 10 scale").CheckAsync();
                await trainer.GetByLabel("Asking about best hopes").CheckAsync();
            }

            await Pages.Submit(trainer, "Save session");
        }

        // The fidelity items ticked are kept with their session, in the order of the five items.
        var volunteerId = Guid.Parse(new Uri(volunteerPage).AbsolutePath.Split('/')[^1]);
        var sessions = (await trainerApi.GetFromJsonAsync<JsonElement>($"/api/v1/volunteers/{volunteerId}/history")).GetProperty("items").EnumerateArray()
            .Select(e => e.GetProperty("summary").GetString()!).Where(s => s.StartsWith("Supervision session", StringComparison.Ordinal)).ToList();
        var on = today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal([$"Supervision session on {on}; fidelity items discussed: best-hopes-asked, scaling-used", $"Supervision session on {on}", $"Supervision session on {on}"], sessions);

        await Pages.Follow(trainer, "A DBS check");
        await Pages.Choose(trainer, "Decision", "Eligible");
        await Pages.Choose(trainer, "Level", "Enhanced");
        await Pages.Date(trainer, "issuedOn", today);
        await Pages.Choose(trainer, "On the DBS update service?", "No");
        await Pages.Submit(trainer, "Save DBS check");
        Assert.Equal("The DBS check is recorded.", await Pages.Banner(trainer));

        await Pages.Follow(trainer, "Certify as a practitioner");
        Assert.Equal(0, await trainer.Locator("#requirements-table .nhsuk-tag--red").CountAsync());
        await service.WaitForMessages(() => Pages.Submit(trainer, "Certify"));
        Assert.Equal("Certified: they may now be assigned participants.", await Pages.Banner(trainer));
        Assert.Equal("Certified", await trainer.Locator("#standing .nhsuk-summary-list__row", new() { HasText = "Standing" }).Locator("dd").InnerTextAsync());

        await Pages.Open(trainer, "/volunteers?programme=volunteer&status=certified");
        Assert.Equal(1, await trainer.Locator("#volunteers tr", new() { HasText = family }).CountAsync());
        await Pages.Open(trainer, "/training/pipeline");
    }
}
