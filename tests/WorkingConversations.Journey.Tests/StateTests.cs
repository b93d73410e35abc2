using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WorkingConversations.Testing;

namespace WorkingConversations.Journey.Tests;

[Collection(JourneyCollection.Name)]
public sealed class StateTests(ServiceFixture service)
{
    [Fact]
    public async Task The_current_state_has_each_modules_part_of_the_episode_and_the_stream_version_as_its_ETag()
    {
        var steps = new JourneySteps(service);
        var journey = await steps.HeldJourney();
        var missed = await JourneySteps.Schedule(journey.Practitioner, journey.ParticipantId);
        await JourneySteps.Miss(journey.Practitioner, missed);
        var (partnerId, _) = await steps.Partner();

        var response = await (await steps.Caseworker()).GetAsync($"/api/v1/participants/{journey.ParticipantId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var state = await response.Body();
        Assert.Equal(9, state.GetProperty("version").GetInt64());
        Assert.Equal("\"9\"", response.Headers.ETag?.ToString());
        Assert.Equal(journey.ParticipantId, state.GetProperty("participantId").GetGuid());
        var episode = Assert.Single(state.GetProperty("episodes").EnumerateArray());
        Assert.Equal(1, episode.GetProperty("episodeNumber").GetInt32());
        Assert.Equal(journey.ReferralId, episode.GetProperty("referralId").GetGuid());
        Assert.Equal(partnerId, episode.GetProperty("partnerId").GetGuid());
        Assert.Equal("in-conversation", episode.GetProperty("status").GetString());
        Assert.Equal(journey.PractitionerId, episode.GetProperty("practitionerId").GetGuid());
        Assert.Equal(1, episode.GetProperty("conversationsHeld").GetInt32());
        Assert.Equal(1, episode.GetProperty("conversationsMissed").GetInt32());
        Assert.Equal(12m, episode.GetProperty("latestScores").GetProperty("PHQ-9").GetDecimal());
        Assert.Equal(0, episode.GetProperty("openSafeguardingConcerns").GetInt32());
    }

    [Fact]
    public async Task Time_travel_to_a_version_or_to_a_moment_between_two_events_shows_the_journey_as_it_stood_then()
    {
        var steps = new JourneySteps(service);
        var journey = await steps.HeldJourney();
        Assert.Equal(HttpStatusCode.Created, (await JourneySteps.Phq9(journey.Practitioner, journey.ParticipantId, [1, 1, 1, 1, 1, 0, 0, 0, 0])).StatusCode);
        var caseworker = await steps.Caseworker();
        var url = $"/api/v1/participants/{journey.ParticipantId}";
        var history = (await caseworker.GetFromJsonAsync<JsonElement>($"{url}/history")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(8, history.Count);
        var at = history.Select(i => i.GetProperty("occurredAt").GetDateTimeOffset()).ToList();

        // Version 2: accepted by Referrals, nothing yet from Conversations or Outcomes.
        var accepted = await caseworker.GetAsync($"{url}?version=2");
        Assert.Equal("\"2\"", accepted.Headers.ETag?.ToString());
        var episode = Episode(await accepted.Body());
        Assert.Equal("accepted", episode.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, episode.GetProperty("practitionerId").ValueKind);
        Assert.Equal(0, episode.GetProperty("conversationsHeld").GetInt32());
        Assert.Empty(episode.GetProperty("latestScores").EnumerateObject());

        // Between the conversation (Conversations, version 6) and the first PHQ-9 (Outcomes, version 7).
        var afterConversation = await caseworker.GetFromJsonAsync<JsonElement>($"{url}?asOf={Between(at[5], at[6])}");
        Assert.Equal(6, afterConversation.GetProperty("version").GetInt64());
        episode = Episode(afterConversation);
        Assert.Equal("in-conversation", episode.GetProperty("status").GetString());
        Assert.Equal(journey.PractitionerId, episode.GetProperty("practitionerId").GetGuid());
        Assert.Equal(1, episode.GetProperty("conversationsHeld").GetInt32());
        Assert.Empty(episode.GetProperty("latestScores").EnumerateObject());

        // Between the two questionnaires, then now: the latest score moves from 12 to 5.
        var betweenScores = Episode(await caseworker.GetFromJsonAsync<JsonElement>($"{url}?asOf={Between(at[6], at[7])}"));
        Assert.Equal(12m, betweenScores.GetProperty("latestScores").GetProperty("PHQ-9").GetDecimal());
        Assert.Equal(5m, Episode(await caseworker.GetFromJsonAsync<JsonElement>(url)).GetProperty("latestScores").GetProperty("PHQ-9").GetDecimal());

        // Before the referral, the journey had not begun.
        Assert.Equal(HttpStatusCode.NotFound, (await caseworker.GetAsync($"{url}?asOf={Uri.EscapeDataString(at[0].AddSeconds(-1).ToString("O", CultureInfo.InvariantCulture))}")).StatusCode);
    }

    [Fact]
    public async Task A_bad_version_or_moment_gets_a_problem_naming_the_field()
    {
        var steps = new JourneySteps(service);
        var (participantId, _) = await steps.Refer();
        var caseworker = await steps.Caseworker();
        var url = $"/api/v1/participants/{participantId}";

        Assert.Equal(["version"], (await (await caseworker.GetAsync($"{url}?version=0")).Body()).ErrorFields());
        Assert.Equal(["version"], (await (await caseworker.GetAsync($"{url}?version=two")).Body()).ErrorFields());
        Assert.Equal(["asOf"], (await (await caseworker.GetAsync($"{url}?asOf=last-tuesday")).Body()).ErrorFields());
        Assert.Equal(["asOf"], (await (await caseworker.GetAsync($"{url}?asOf=2026-11-01T10:00:00Z&version=1")).Body()).ErrorFields());
        var beyond = await caseworker.GetAsync($"{url}?version=5");
        Assert.Equal(HttpStatusCode.BadRequest, beyond.StatusCode);
        Assert.Equal(["version"], (await beyond.Body()).ErrorFields());
    }

    private static JsonElement Episode(JsonElement state) => Assert.Single(state.GetProperty("episodes").EnumerateArray());

    /// <summary>A moment strictly after <paramref name="earlier"/> and before <paramref name="later"/>, to the microsecond.</summary>
    private static string Between(DateTimeOffset earlier, DateTimeOffset later)
    {
        Assert.True(later - earlier >= TimeSpan.FromTicks(20), "The two events need distinct times.");
        var middle = earlier + (later - earlier) / 2;
        middle = new DateTimeOffset(middle.UtcTicks - middle.UtcTicks % 10, TimeSpan.Zero);
        return Uri.EscapeDataString(middle.ToString("O", CultureInfo.InvariantCulture));
    }
}
