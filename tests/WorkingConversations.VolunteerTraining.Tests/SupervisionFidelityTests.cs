using System.Net;
using System.Net.Http.Json;
using WorkingConversations.Testing;

namespace WorkingConversations.VolunteerTraining.Tests;

[Collection(TrainingCollection.Name)]
public sealed class SupervisionFidelityTests(ServiceFixture service)
{
    [Fact]
    public async Task A_supervision_session_notes_the_fidelity_items_discussed_and_an_unknown_item_is_refused_naming_it()
    {
        var (trainer, _, _) = await service.ClientFor("trainer");
        var id = await service.EnrolVolunteer(trainer);
        var today = service.Today();

        var unknown = await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/supervision",
            new { supervisor = "Ann", on = today, fidelityItemsDiscussed = new[] { "scaling-used", "rapport" } });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.True((await unknown.Body()).GetProperty("errors").TryGetProperty("fidelityItemsDiscussed[1]", out _));

        Assert.Equal(HttpStatusCode.OK, (await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/supervision",
            new { supervisor = "Ann", on = today, fidelityItemsDiscussed = new[] { "exceptions-explored", "scaling-used" } })).StatusCode);

        var history = await (await trainer.GetAsync($"/api/v1/volunteers/{id}/history")).Body();
        var summaries = history.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("summary").GetString()).ToList();
        // Once, in the order of the items, and the refused request stored nothing.
        Assert.Single(summaries, s => s!.StartsWith("Supervision session", StringComparison.Ordinal));
        Assert.Contains(summaries, s => s!.EndsWith("fidelity items discussed: scaling-used, exceptions-explored", StringComparison.Ordinal));
    }
}
