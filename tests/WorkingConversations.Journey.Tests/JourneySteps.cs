using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Wolverine;
using WorkingConversations.Testing;
using WorkingConversations.VolunteerTraining.Contracts;

namespace WorkingConversations.Journey.Tests;

/// <summary>The person a test refers; every identifying string is unique to the test, so a database dump can look for it.</summary>
internal sealed record Person(string GivenName, string FamilyName, string DateOfBirth, string Postcode, string NhsNumber, string Email, string Phone)
{
    public static Person Unique()
    {
        var tag = Guid.NewGuid().ToString("N")[..10];
        var letters = new string(tag.Select(c => (char)('a' + (c % 26))).ToArray());
        return new Person("Gwen" + letters, "Quill" + letters, $"19{Random.Shared.Next(50, 99)}-0{Random.Shared.Next(1, 9)}-1{Random.Shared.Next(1, 9)}",
            "EH99 1SP", ValidNhsNumber(), $"gwen.{letters}@example.org", $"07700 9{Random.Shared.Next(10000, 99999)}");
    }

    /// <summary>A random ten-digit number that passes the NHS modulus-11 check.</summary>
    private static string ValidNhsNumber()
    {
        while (true)
        {
            var digits = Enumerable.Range(0, 9).Select(i => i == 0 ? Random.Shared.Next(4, 10) : Random.Shared.Next(0, 10)).ToArray();
            var check = 11 - digits.Select((d, i) => d * (10 - i)).Sum() % 11;
            if (check == 11) check = 0;
            if (check == 10) continue;
            return string.Concat(digits) + check;
        }
    }

    public string[] IdentifyingStrings => [GivenName, FamilyName, DateOfBirth, NhsNumber, Email, Phone];
}

/// <summary>
/// The walking skeleton's steps, through the real API: a partner refers, a caseworker triages, VolunteerTraining's
/// clearance message (published as that module would) makes a practitioner, who holds conversations and questionnaires.
/// </summary>
internal sealed class JourneySteps(ServiceFixture service)
{
    private (Guid Id, HttpClient Client)? _partner;
    private (HttpClient Client, Guid KeyId)? _caseworker;

    public async Task<(Guid Id, HttpClient Client)> Partner() => _partner ??= await service.NewPartner();

    public async Task<HttpClient> Caseworker() => (await CaseworkerWithKey()).Client;

    public async Task<(HttpClient Client, Guid KeyId)> CaseworkerWithKey()
    {
        if (_caseworker is { } known) return known;
        var (client, keyId, _) = await service.ClientFor("caseworker");
        _caseworker = (client, keyId);
        return (client, keyId);
    }

    public async Task<(Guid ParticipantId, Guid ReferralId)> Refer(Person? person = null, string reason = "Low mood since losing work")
    {
        person ??= Person.Unique();
        var (_, partner) = await Partner();
        var created = await partner.PostAsJsonAsync("/api/v1/referrals", new
        {
            partnerReference = $"REF-{Guid.NewGuid():N}"[..20],
            person = new
            {
                givenName = person.GivenName, familyName = person.FamilyName, dateOfBirth = person.DateOfBirth, postcode = person.Postcode,
                nhsNumber = person.NhsNumber, email = person.Email, phone = person.Phone,
            },
            reason,
            consent = new { given = true, recordedAt = "2026-11-01T10:00:00Z", recordedBy = "Caseworker A" },
            riskIndicators = Array.Empty<string>(),
            preferredContact = "phone",
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var referral = await created.Content.ReadFromJsonAsync<JsonElement>();
        return (referral.GetProperty("participantId").GetGuid(), referral.GetProperty("id").GetGuid());
    }

    public async Task Waitlist(Guid referralId, string reason) =>
        Assert.Equal(HttpStatusCode.OK, (await (await Caseworker()).PostAsJsonAsync($"/api/v1/referrals/{referralId}/waitlist", new { reason })).StatusCode);

    /// <summary>Accepts and waits for Conversations to open the episode.</summary>
    public async Task Accept(Guid referralId)
    {
        var caseworker = await Caseworker();
        await service.WaitForMessages(async () =>
            Assert.Equal(HttpStatusCode.OK, (await caseworker.PostAsJsonAsync($"/api/v1/referrals/{referralId}/accept", new { })).StatusCode));
    }

    /// <summary>A practitioner VolunteerTraining has cleared, and a client acting as them.</summary>
    public async Task<(Guid Id, HttpClient Client)> ClearedPractitioner()
    {
        var id = Guid.CreateVersion7();
        await service.WaitForMessages(async () =>
        {
            using var scope = service.AppHost.Services.CreateScope();
            await scope.ServiceProvider.GetRequiredService<IMessageBus>().PublishAsync(new PractitionerCleared(id, "volunteer", 10, service.Clock.GetUtcNow()));
        });
        var (client, _, _) = await service.ClientFor("practitioner", practitionerId: id);
        return (id, client);
    }

    public async Task Assign(Guid participantId, Guid practitionerId) =>
        Assert.Equal(HttpStatusCode.OK,
            (await (await Caseworker()).PostAsJsonAsync($"/api/v1/participants/{participantId}/practitioner", new { practitionerId })).StatusCode);

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
    public async Task<Journey> HeldJourney(Person? person = null, string reason = "Low mood since losing work")
    {
        var (participantId, referralId) = await Refer(person, reason);
        await Accept(referralId);
        var (practitionerId, practitioner) = await ClearedPractitioner();
        await Assign(participantId, practitionerId);
        var conversationId = await Schedule(practitioner, participantId);
        await Hold(practitioner, conversationId);
        Assert.Equal(HttpStatusCode.Created, (await Phq9(practitioner, participantId, [2, 2, 1, 1, 2, 1, 1, 2, 0], "start")).StatusCode);
        return new Journey(participantId, referralId, practitionerId, practitioner);
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
