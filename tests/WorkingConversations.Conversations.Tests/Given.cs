using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WorkingConversations.Testing;

namespace WorkingConversations.Conversations.Tests;

/// <summary>
/// Builds the situations the tests start from through the real API: a partner refers, a caseworker accepts, and
/// VolunteerTraining's messages (published directly, as that module would) clear practitioners.
/// </summary>
internal sealed class Given(ServiceFixture service)
{
    private readonly Scenario _scenario = new(service);

    public Task<HttpClient> Caseworker() => _scenario.Caseworker();

    /// <summary>A new person referred by a partner and accepted by a caseworker; the episode is open once this returns.</summary>
    public async Task<(Guid ParticipantId, Guid ReferralId)> AcceptedParticipant(string? familyName = null)
    {
        var participant = await _scenario.Referred(familyName is null ? null : Person.Unique() with { FamilyName = familyName }).Accepted();
        return (participant.ParticipantId, participant.ReferralId);
    }

    /// <summary>A practitioner VolunteerTraining has cleared, and a client acting as them.</summary>
    public Task<(Guid Id, HttpClient Client)> ClearedPractitioner(int capacity = 5, string programme = "volunteer") =>
        _scenario.ClearedPractitioner(capacity, programme);

    /// <summary>Publishes a message as another module would, and waits until it and everything it caused is handled.</summary>
    public Task Publish(object message) => _scenario.Publish(message);

    public async Task Assign(Guid participantId, Guid practitionerId) =>
        Assert.Equal(HttpStatusCode.OK, (await AssignResponse(participantId, practitionerId)).StatusCode);

    public async Task<HttpResponseMessage> AssignResponse(Guid participantId, Guid practitionerId) =>
        await (await Caseworker()).PostAsJsonAsync($"/api/v1/participants/{participantId}/practitioner", new { practitionerId });

    /// <summary>An accepted participant held by a newly cleared practitioner.</summary>
    public async Task<(Guid ParticipantId, Guid ReferralId, Guid PractitionerId, HttpClient Practitioner)> AssignedParticipant(int capacity = 5)
    {
        var participant = await _scenario.Referred().Accepted().Assigned(capacity);
        return (participant.ParticipantId, participant.ReferralId, participant.PractitionerId, participant.Practitioner!);
    }

    /// <summary>Ends the episode and waits for what the published EpisodeEnded causes elsewhere (Outcomes appends to the same journey).</summary>
    public async Task<HttpResponseMessage> End(HttpClient client, Guid participantId, string reason = "goals-reached", string? note = null)
    {
        HttpResponseMessage? response = null;
        await service.WaitForMessages(async () => response = await client.PostAsJsonAsync($"/api/v1/participants/{participantId}/end", new { reason, note }));
        return response!;
    }

    public static async Task<Guid> Schedule(HttpClient client, Guid participantId, DateTimeOffset scheduledFor, string mode = "phone")
    {
        var response = await client.PostAsJsonAsync($"/api/v1/participants/{participantId}/conversations", new { scheduledFor, mode });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("conversationId").GetGuid();
    }

    public static Task<HttpResponseMessage> Record(HttpClient client, Guid conversationId, bool riskDisclosed = false, int scale = 4) =>
        client.PostAsJsonAsync($"/api/v1/conversations/{conversationId}/record", HeldConversation(riskDisclosed, scale));

    public static object HeldConversation(bool riskDisclosed = false, int scale = 4) => new
    {
        attended = true, bestHopes = "Feel settled at home", preferredFutureSigns = new[] { "sleeping through", "calling my sister" }, scale,
        exceptions = "Walks help", onePointUp = "Out once a day", nextSmallStep = "Call a friend", notes = (string?)null, riskDisclosed, durationMinutes = 45,
    };

    public static async Task<JsonElement> Json(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"Expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    /// <summary>Asserts an RFC 9457 problem with this status and returns it.</summary>
    public static async Task<JsonElement> Problem(HttpResponseMessage response, HttpStatusCode expected)
    {
        var problem = await Json(response, expected);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        return problem;
    }

    public static async Task<JsonElement[]> Items(HttpClient client, string url) =>
        [.. (await Json(await client.GetAsync(url), HttpStatusCode.OK)).GetProperty("items").EnumerateArray()];

    public static Contracts.ConversationHeld HeldEvent(Guid conversationId, Guid participantId, Guid practitionerId) =>
        new(conversationId, participantId, Guid.CreateVersion7(), 1, practitionerId, "Feel settled at home", ["sleeping through"], 4, "Walks help",
            "Out once a day", null, null, false, 45, DateTimeOffset.UtcNow);

    /// <summary>Duplicate-person detection matches on name, date of birth and postcode: every test person is someone new.</summary>
    public static string UniqueName() => Person.Unique().FamilyName;
}
