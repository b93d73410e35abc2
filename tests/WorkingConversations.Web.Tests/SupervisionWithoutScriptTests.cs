using System.Net.Http.Json;
using System.Text.Json;
using WorkingConversations.Testing;

namespace WorkingConversations.Web.Tests;

/// <summary>
/// The supervision form's fidelity checkboxes with JavaScript turned off: the boxes ticked are posted under one name,
/// kept ticked when the form is refused, and recorded with the session once it is sent right.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class SupervisionWithoutScriptTests(WebFixture service)
{
    [Fact]
    public async Task With_script_off_the_fidelity_items_ticked_are_kept_through_a_refusal_and_recorded_with_the_session()
    {
        var (trainerApi, _, trainerKey) = await service.ClientFor("trainer");
        var volunteerId = await service.EnrolVolunteer(trainerApi);
        var trainer = await service.SignedIn(trainerKey, javaScript: false);
        await Pages.Open(trainer, $"/volunteers/{volunteerId}/supervision");
        Assert.Equal(0, await trainer.Locator("body.js-enabled").CountAsync());

        // No supervisor and a day in the future: refused, with the boxes as they were ticked.
        await trainer.GetByLabel("Asking about best hopes").CheckAsync();
        await trainer.GetByLabel("Using the 0 to 10 scale").CheckAsync();
        await trainer.GetByLabel("A next step that is the participant's own").CheckAsync();
        await Pages.Date(trainer, "on", service.Today().AddDays(3));
        await Pages.Submit(trainer, "Save session");
        var errors = await Pages.ErrorSummary(trainer);
        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("Supervisor", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("On must not be in the future", StringComparison.Ordinal));
        Assert.True(await trainer.GetByLabel("Asking about best hopes").IsCheckedAsync());
        Assert.True(await trainer.GetByLabel("Using the 0 to 10 scale").IsCheckedAsync());
        Assert.True(await trainer.GetByLabel("A next step that is the participant's own").IsCheckedAsync());
        Assert.False(await trainer.GetByLabel("Describing the preferred future").IsCheckedAsync());
        Assert.Equal(0, await SessionsRecorded(trainerApi, volunteerId));

        // One box unticked, the rest put right: the session is recorded with the two items still ticked.
        await trainer.GetByLabel("Using the 0 to 10 scale").UncheckAsync();
        await trainer.GetByLabel("Supervisor").FillAsync("Supervisor Sam");
        await Pages.Date(trainer, "on", service.Today());
        await Pages.Submit(trainer, "Save session");
        Assert.Equal("The supervision session is recorded.", await Pages.Banner(trainer));

        var on = service.Today().ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal([$"Supervision session on {on}; fidelity items discussed: best-hopes-asked, next-step-participants-own"],
            await Sessions(trainerApi, volunteerId));
    }

    private static async Task<int> SessionsRecorded(HttpClient trainer, Guid volunteerId) => (await Sessions(trainer, volunteerId)).Count;

    private static async Task<List<string>> Sessions(HttpClient trainer, Guid volunteerId) =>
        (await trainer.GetFromJsonAsync<JsonElement>($"/api/v1/volunteers/{volunteerId}/history")).GetProperty("items").EnumerateArray()
        .Select(e => e.GetProperty("summary").GetString()!).Where(s => s.StartsWith("Supervision session", StringComparison.Ordinal)).ToList();
}
