using System.Net;
using System.Net.Http.Json;
using WorkingConversations.Testing;

namespace WorkingConversations.VolunteerTraining.Tests;

/// <summary>Participants with an open episode, made the way the service makes them: a partner refers, a caseworker accepts.</summary>
internal static class Participants
{
    public static async Task<Guid> AcceptedReferral(this ServiceFixture service, HttpClient caseworker)
    {
        var (_, partner) = await service.NewPartner();
        var created = await partner.PostAsJsonAsync("/api/v1/referrals", new
        {
            partnerReference = $"REF-{Guid.NewGuid():N}"[..20],
            person = new { givenName = "Sam", familyName = $"Training{Guid.NewGuid():N}"[..16], dateOfBirth = "1990-04-01", postcode = "L8 1XY" },
            reason = "Low mood since losing work",
            consent = new { given = true, recordedAt = "2026-11-01T10:00:00Z", recordedBy = "Caseworker A" },
            riskIndicators = Array.Empty<string>(),
            preferredContact = "phone",
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var referral = await created.Body();
        await service.WaitForMessages(async () =>
            Assert.Equal(HttpStatusCode.OK, (await caseworker.PostAsJsonAsync($"/api/v1/referrals/{referral.GetProperty("id").GetGuid()}/accept", new { })).StatusCode));
        return referral.GetProperty("participantId").GetGuid();
    }

    public static Task<HttpResponseMessage> Assign(this HttpClient caseworker, Guid participantId, Guid practitionerId) =>
        caseworker.PostAsJsonAsync($"/api/v1/participants/{participantId}/practitioner", new { practitionerId });
}
