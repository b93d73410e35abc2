using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WorkingConversations.Testing;

namespace WorkingConversations.Outcomes.Tests.Integration;

/// <summary>api.md: UCLA-3 takes <c>directLoneliness</c>, validated against its five choices, stored with the score and returned.</summary>
[Collection(OutcomesCollection.Name)]
public sealed class DirectLonelinessApiTests(ServiceFixture service)
{
    [Fact]
    public async Task The_direct_loneliness_answer_is_returned_stored_with_the_score_and_a_bad_one_is_refused_naming_the_field()
    {
        var d = await EpisodeDriver.Start(service);
        var (referral, participant) = await d.Refer();
        await d.Accept(referral);
        await d.Assign(participant);
        var url = $"/api/v1/participants/{participant}/questionnaires";
        var at = service.Clock.GetUtcNow();

        var created = await d.Caseworker.PostAsJsonAsync(url, new { instrument = "UCLA-3", timepoint = "start", answers = new[] { 2, 2, 3 }, administeredAt = at, directLoneliness = "often-always" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var result = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("often-always", 7m, true), (result.GetProperty("directLoneliness").GetString(), result.GetProperty("total").GetDecimal(), result.GetProperty("lonely").GetBoolean()));

        foreach (var (instrument, answers, direct) in new (string, int[], string)[] { ("UCLA-3", [2, 2, 3], "often-or-always"), ("GAD-7", [1, 1, 1, 1, 1, 1, 1], "never") })
        {
            var refused = await d.Caseworker.PostAsJsonAsync(url, new { instrument, timepoint = "start", answers, administeredAt = at, directLoneliness = direct });
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.True((await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("directLoneliness", out _));
        }

        // Stored in the journey with the score, and nothing of the refused ones.
        var export = await d.Caseworker.GetFromJsonAsync<JsonElement>($"/api/v1/participants/{participant}/export");
        var stored = Assert.Single(export.GetProperty("questionnaires").EnumerateArray());
        Assert.Equal(("often-always", 7m, true), (stored.GetProperty("directLoneliness").GetString(), stored.GetProperty("total").GetDecimal(), stored.GetProperty("lonely").GetBoolean()));
    }
}
