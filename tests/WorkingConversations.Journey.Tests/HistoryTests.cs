using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WorkingConversations.Testing;

namespace WorkingConversations.Journey.Tests;

[Collection(JourneyCollection.Name)]
public sealed class HistoryTests(ServiceFixture service)
{
    private static readonly string[] WholeJourney =
        ["referral-received", "referral-accepted", "episode-opened", "practitioner-assigned", "conversation-scheduled", "conversation-held", "questionnaire-recorded"];

    [Fact]
    public async Task The_timeline_pages_oldest_or_newest_first_and_the_pages_join_up_without_gaps_or_repeats()
    {
        var steps = new JourneySteps(service);
        var journey = await steps.HeldJourney();
        var caseworker = await steps.Caseworker();
        var url = $"/api/v1/participants/{journey.ParticipantId}/history";

        var first = await caseworker.GetFromJsonAsync<JsonElement>($"{url}?order=asc&limit=3");
        Assert.Equal([1L, 2, 3], first.Versions());
        var cursor = first.GetProperty("nextCursor").GetString();
        var second = await caseworker.GetFromJsonAsync<JsonElement>($"{url}?order=asc&limit=3&cursor={cursor}");
        Assert.Equal([4L, 5, 6], second.Versions());
        var third = await caseworker.GetFromJsonAsync<JsonElement>($"{url}?order=asc&limit=3&cursor={second.GetProperty("nextCursor").GetString()}");
        Assert.Equal([7L], third.Versions());
        Assert.Equal(JsonValueKind.Null, third.GetProperty("nextCursor").ValueKind);
        Assert.Equal(WholeJourney, first.Types().Concat(second.Types()).Concat(third.Types()).ToArray());

        var newest = await caseworker.GetFromJsonAsync<JsonElement>($"{url}?order=desc&limit=4");
        Assert.Equal([7L, 6, 5, 4], newest.Versions());
        var older = await caseworker.GetFromJsonAsync<JsonElement>($"{url}?order=desc&limit=4&cursor={newest.GetProperty("nextCursor").GetString()}");
        Assert.Equal([3L, 2, 1], older.Versions());
        Assert.Equal(JsonValueKind.Null, older.GetProperty("nextCursor").ValueKind);

        var item = newest.GetProperty("items")[0];
        Assert.Equal("Outcomes", item.GetProperty("module").GetString());
        Assert.Equal("practitioner", item.GetProperty("recordedBy").GetProperty("role").GetString());
        Assert.True(item.GetProperty("sequence").GetInt64() > 0);
        Assert.False(string.IsNullOrEmpty(item.GetProperty("correlationId").GetString()));
        Assert.False(string.IsNullOrEmpty(item.GetProperty("causationId").GetString()));
        Assert.StartsWith("PHQ-9 recorded at start: total 12", item.GetProperty("summary").GetString());
        Assert.Equal(12m, item.GetProperty("data").GetProperty("total").GetDecimal());
    }

    [Fact]
    public async Task The_timeline_filters_by_module_and_by_type_and_pages_the_filtered_events()
    {
        var steps = new JourneySteps(service);
        var journey = await steps.HeldJourney();
        var caseworker = await steps.Caseworker();
        var url = $"/api/v1/participants/{journey.ParticipantId}/history";

        var conversations = await caseworker.GetFromJsonAsync<JsonElement>($"{url}?module=conversations&limit=2");
        Assert.Equal(["episode-opened", "practitioner-assigned"], conversations.Types());
        var rest = await caseworker.GetFromJsonAsync<JsonElement>($"{url}?module=conversations&limit=2&cursor={conversations.GetProperty("nextCursor").GetString()}");
        Assert.Equal(["conversation-scheduled", "conversation-held"], rest.Types());
        Assert.Equal(JsonValueKind.Null, rest.GetProperty("nextCursor").ValueKind);

        var held = await caseworker.GetFromJsonAsync<JsonElement>($"{url}?type=conversation-held");
        Assert.Equal(["conversation-held"], held.Types());
        var referrals = await caseworker.GetFromJsonAsync<JsonElement>($"{url}?module=Referrals&order=desc");
        Assert.Equal(["referral-accepted", "referral-received"], referrals.Types());
        var none = await caseworker.GetFromJsonAsync<JsonElement>($"{url}?module=Referrals&type=conversation-held");
        Assert.Empty(none.Types());
    }

    [Fact]
    public async Task Bad_query_values_get_a_problem_naming_each_field()
    {
        var steps = new JourneySteps(service);
        var (participantId, _) = await steps.Refer();
        var response = await (await steps.Caseworker()).GetAsync(
            $"/api/v1/participants/{participantId}/history?order=sideways&limit=0&cursor=abc&module=Gardening&type=tea-drunk");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["cursor", "limit", "module", "order", "type"], (await response.Body()).ErrorFields());
    }

    [Fact]
    public async Task An_unknown_id_or_a_stream_that_is_not_a_participant_journey_is_not_found()
    {
        var caseworker = await new JourneySteps(service).Caseworker();
        Assert.Equal(HttpStatusCode.NotFound, (await caseworker.GetAsync($"/api/v1/participants/{Guid.CreateVersion7()}/history")).StatusCode);

        var (trainer, _, _) = await service.ClientFor("trainer");
        var volunteer = await trainer.PostAsJsonAsync("/api/v1/volunteers",
            new { givenName = "Val", familyName = "Unteer", email = "val@example.org", programme = "volunteer" });
        var volunteerId = (await volunteer.Body()).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NotFound, (await caseworker.GetAsync($"/api/v1/participants/{volunteerId}/history")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await caseworker.GetAsync($"/api/v1/participants/{volunteerId}")).StatusCode);
    }
}
