using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WorkingConversations.Testing;

namespace WorkingConversations.Journey.Tests;

/// <summary>
/// The walking skeleton's steps, on the shared scenario chain: a partner refers, a caseworker triages, VolunteerTraining's
/// clearance message (published as that module would) makes a practitioner, who holds conversations and questionnaires.
/// </summary>
internal sealed class JourneySteps(ServiceFixture service)
{
    private readonly Scenario _scenario = new(service);

    public Task<(Guid Id, HttpClient Client)> Partner() => _scenario.Partner();

    public Task<HttpClient> Caseworker() => _scenario.Caseworker();

    public Task<(HttpClient Client, Guid KeyId)> CaseworkerWithKey() => _scenario.CaseworkerWithKey();

    public async Task<(Guid ParticipantId, Guid ReferralId)> Refer(Person? person = null, string reason = Scenario.DefaultReason)
    {
        var participant = await _scenario.Referred(person ?? Person.Distinctive(), reason);
        return (participant.ParticipantId, participant.ReferralId);
    }

    public async Task Waitlist(Guid referralId, string reason) =>
        Assert.Equal(HttpStatusCode.OK, (await (await Caseworker()).PostAsJsonAsync($"/api/v1/referrals/{referralId}/waitlist", new { reason })).StatusCode);

    /// <summary>Accepts and waits for Conversations to open the episode.</summary>
    public Task Accept(Guid referralId) => _scenario.Accept(referralId);

    /// <summary>A practitioner VolunteerTraining has cleared, and a client acting as them.</summary>
    public Task<(Guid Id, HttpClient Client)> ClearedPractitioner() => _scenario.ClearedPractitioner();

    public Task Assign(Guid participantId, Guid practitionerId) => _scenario.Assign(participantId, practitionerId);

    public static async Task<Guid> Schedule(HttpClient client, Guid participantId, string? location = null)
    {
        var response = await client.PostAsJsonAsync($"/api/v1/participants/{participantId}/conversations",
            new { scheduledFor = DateTimeOffset.UtcNow.AddDays(1), mode = "in-person", location });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("conversationId").GetGuid();
    }

    public static async Task Hold(HttpClient client, Guid conversationId, string bestHopes = "Feel settled at home", string? notes = null)
    {
        var recorded = await client.PostAsJsonAsync($"/api/v1/conversations/{conversationId}/record", new
        {
            attended = true, bestHopes, preferredFutureSigns = new[] { "sleeping through" }, scale = 4,
            exceptions = "Walks help", onePointUp = "Out once a day", nextSmallStep = "Call a friend", notes, riskDisclosed = false, durationMinutes = 45,
        });
        Assert.Equal(HttpStatusCode.OK, recorded.StatusCode);
    }

    public static async Task Miss(HttpClient client, Guid conversationId) =>
        Assert.Equal(HttpStatusCode.OK,
            (await client.PostAsJsonAsync($"/api/v1/conversations/{conversationId}/missed", new { reason = "did-not-attend" })).StatusCode);

    /// <summary>A PHQ-9 whose total is the sum of <paramref name="answers"/>.</summary>
    public static async Task<HttpResponseMessage> Phq9(HttpClient client, Guid participantId, int[] answers, string timepoint = "session") =>
        await client.PostAsJsonAsync($"/api/v1/participants/{participantId}/questionnaires",
            new { instrument = "PHQ-9", timepoint, answers, administeredAt = DateTimeOffset.UtcNow });

    /// <summary>
    /// A journey with events from three modules: referred, accepted (Referrals), episode opened, practitioner assigned,
    /// a conversation scheduled and held (Conversations), a PHQ-9 of 12 (Outcomes).
    /// </summary>
    public async Task<Journey> HeldJourney(Person? person = null, string reason = Scenario.DefaultReason)
    {
        var held = await _scenario.Referred(person ?? Person.Distinctive(), reason).Accepted().Assigned().InConversation();
        Assert.Equal(HttpStatusCode.Created, (await Phq9(held.Practitioner!, held.ParticipantId, [2, 2, 1, 1, 2, 1, 1, 2, 0], "start")).StatusCode);
        return new Journey(held.ParticipantId, held.ReferralId, held.PractitionerId, held.Practitioner!);
    }
}

internal sealed record Journey(Guid ParticipantId, Guid ReferralId, Guid PractitionerId, HttpClient Practitioner);

internal static class Json
{
    public static async Task<JsonElement> Body(this HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    public static string[] Types(this JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("type").GetString()!).ToArray();

    public static long[] Versions(this JsonElement page) =>
        page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("version").GetInt64()).ToArray();

    public static string[] ErrorFields(this JsonElement problem) =>
        problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray();
}
