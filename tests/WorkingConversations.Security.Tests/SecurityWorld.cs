using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WorkingConversations.Testing;

namespace WorkingConversations.Security.Tests;

/// <summary>Who calls in the authorization matrix: one key of each role, and a second partner and practitioner to probe across.</summary>
public enum Caller
{
    Anonymous,
    Admin,
    Caseworker,
    Practitioner,
    OtherPractitioner,
    Trainer,
    Analyst,
    Partner,
    OtherPartner,
}

/// <summary>
/// A small world every route can be called in: partner A's referrals (one accepted, one waiting), the participant it
/// made, held by practitioner P (a volunteer trained and certified through the real API), a scheduled conversation, a
/// safeguarding concern; partner B and practitioner Q, who hold nothing of it; and a key to revoke.
/// </summary>
public sealed class SecurityWorld
{
    public required Dictionary<Caller, HttpClient> Clients { get; init; }
    public Guid PartnerId { get; init; }
    public Guid ReferralId { get; init; }
    public Guid WaitingReferralId { get; init; }
    public Guid ParticipantId { get; init; }
    public Guid PractitionerId { get; init; }
    public Guid OtherPractitionerId { get; init; }
    public Guid ConversationId { get; init; }
    public Guid ConcernId { get; init; }
    public Guid KeyToRevoke { get; init; }
    public string ModuleCode { get; init; } = "SFP-01";

    public static async Task<SecurityWorld> CreateAsync(ServiceFixture service)
    {
        var scenario = new Scenario(service);
        var (partnerId, partner) = await scenario.Partner();
        var (_, otherPartner) = await service.NewPartner();
        var caseworker = await scenario.Caseworker();
        var (trainer, _, _) = await service.ClientFor("trainer");
        var (analyst, _, _) = await service.ClientFor("analyst");

        var practitionerId = await service.CertifiedPractitioner();
        var (practitioner, _, _) = await service.ClientFor("practitioner", practitionerId: practitionerId);
        var (otherPractitionerId, otherPractitioner) = await scenario.ClearedPractitioner();

        var participant = await scenario.Referred().Accepted();
        await scenario.Assign(participant.ParticipantId, practitionerId);
        var waiting = await scenario.Referred();

        // A conversation held with a risk disclosed raises a concern; a second one stays scheduled for the routes to use.
        var held = await Scenario.Expect(await practitioner.PostAsJsonAsync($"/api/v1/participants/{participant.ParticipantId}/conversations",
            new { scheduledFor = service.Clock.GetUtcNow().AddDays(1), mode = "phone" }), HttpStatusCode.Created);
        var recorded = await Scenario.Expect(await practitioner.PostAsJsonAsync($"/api/v1/conversations/{held.GetProperty("conversationId").GetGuid()}/record",
            ConversationRecord(risk: true)), HttpStatusCode.OK);
        var scheduled = await Scenario.Expect(await practitioner.PostAsJsonAsync($"/api/v1/participants/{participant.ParticipantId}/conversations",
            new { scheduledFor = service.Clock.GetUtcNow().AddDays(2), mode = "phone" }), HttpStatusCode.Created);

        var (_, keyToRevoke, _) = await service.ClientFor("analyst");

        return new SecurityWorld
        {
            Clients = new Dictionary<Caller, HttpClient>
            {
                [Caller.Anonymous] = service.ClientWithKey(null),
                [Caller.Admin] = service.Admin(),
                [Caller.Caseworker] = caseworker,
                [Caller.Practitioner] = practitioner,
                [Caller.OtherPractitioner] = otherPractitioner,
                [Caller.Trainer] = trainer,
                [Caller.Analyst] = analyst,
                [Caller.Partner] = partner,
                [Caller.OtherPartner] = otherPartner,
            },
            PartnerId = partnerId,
            ReferralId = participant.ReferralId,
            WaitingReferralId = waiting.ReferralId,
            ParticipantId = participant.ParticipantId,
            PractitionerId = practitionerId,
            OtherPractitionerId = otherPractitionerId,
            ConversationId = scheduled.GetProperty("conversationId").GetGuid(),
            ConcernId = recorded.GetProperty("safeguardingConcernId").GetGuid(),
            KeyToRevoke = keyToRevoke,
        };
    }

    public static object ConversationRecord(bool risk = false) => new
    {
        attended = true, bestHopes = "Feel settled at home", preferredFutureSigns = new[] { "sleeping through" }, scale = 4,
        exceptions = "Walks help", onePointUp = "Out once a day", nextSmallStep = "Call a friend", riskDisclosed = risk, durationMinutes = 45,
    };

    public static async Task<JsonElement> Json(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();
}
