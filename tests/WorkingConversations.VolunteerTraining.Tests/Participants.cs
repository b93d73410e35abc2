using System.Net.Http.Json;
using WorkingConversations.Testing;

namespace WorkingConversations.VolunteerTraining.Tests;

/// <summary>Participants with an open episode, made the way the service makes them: a partner refers, a caseworker accepts.</summary>
internal static class Participants
{
    /// <summary>A new partner's referral of someone new, accepted by <paramref name="caseworker"/>.</summary>
    public static async Task<Guid> AcceptedReferral(this ServiceFixture service, HttpClient caseworker) =>
        (await new Scenario(service, caseworker).Referred().Accepted()).ParticipantId;

    public static Task<HttpResponseMessage> Assign(this HttpClient caseworker, Guid participantId, Guid practitionerId) =>
        caseworker.PostAsJsonAsync($"/api/v1/participants/{participantId}/practitioner", new { practitionerId });
}
