using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;
using WorkingConversations.VolunteerTraining.Contracts;
using Xunit;

namespace WorkingConversations.Testing;

/// <summary>
/// The one chain of steps a participant's journey takes in the tests, through the real API as partner, caseworker and
/// practitioner would: referred, accepted, assigned, in conversation, ended, followed up. VolunteerTraining's clearance
/// of a practitioner is published as that module would (<see cref="TrainingSteps"/> walks the real training instead).
/// <code>var participant = await new Scenario(service).Referred().Accepted().Assigned().InConversation();</code>
/// </summary>
public sealed class Scenario(ServiceFixture service)
{
    public const string DefaultReason = "Low mood since losing work";

    private readonly SemaphoreSlim _actors = new(1, 1);
    private (Guid Id, HttpClient Client)? _partner;
    private (HttpClient Client, Guid KeyId)? _caseworker;

    /// <summary>A scenario whose caseworker is one the test already has.</summary>
    public Scenario(ServiceFixture service, HttpClient caseworker) : this(service) => _caseworker = (caseworker, Guid.Empty);

    public ServiceFixture Service => service;

    /// <summary>The scenario's partner, registered on first use.</summary>
    public Task<(Guid Id, HttpClient Client)> Partner() => Once(() => _partner, async () => _partner = await service.NewPartner());

    public async Task<HttpClient> Caseworker() => (await CaseworkerWithKey()).Client;

    public Task<(HttpClient Client, Guid KeyId)> CaseworkerWithKey() => Once(() => _caseworker, async () =>
    {
        var (client, keyId, _) = await service.ClientFor("caseworker");
        _caseworker = (client, keyId);
    });

    /// <summary>A practitioner VolunteerTraining has cleared, and a client acting as them.</summary>
    public async Task<(Guid Id, HttpClient Client)> ClearedPractitioner(int capacity = 10, string programme = "volunteer")
    {
        var id = Guid.CreateVersion7();
        // As VolunteerTraining does: a practitioner is enrolled before being cleared (Access issues keys only to the enrolled).
        await Publish(new VolunteerRegistered(id, service.Clock.GetUtcNow()));
        await Publish(new PractitionerCleared(id, programme, capacity, service.Clock.GetUtcNow()));
        var (client, _, _) = await service.ClientFor("practitioner", practitionerId: id);
        return (id, client);
    }

    /// <summary>
    /// A practitioner key for a volunteer VolunteerTraining has enrolled but not cleared, who holds nobody: Access issues
    /// keys only for volunteers it has heard of.
    /// </summary>
    public async Task<(Guid Id, HttpClient Client, string Key)> EnrolledPractitioner()
    {
        var id = Guid.CreateVersion7();
        await Publish(new VolunteerRegistered(id, service.Clock.GetUtcNow()));
        var (client, _, key) = await service.ClientFor("practitioner", practitionerId: id);
        return (id, client, key);
    }

    /// <summary>Publishes a message as another module would, and waits until it and everything it caused is handled.</summary>
    public Task Publish(object message) =>
        service.WaitForMessages(async () =>
        {
            await using var scope = service.AppHost.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<IMessageBus>().PublishAsync(message);
        });

    /// <summary>A person referred by the scenario's partner (or <paramref name="partner"/>): a new participant, or a new episode of a known one.</summary>
    public async Task<Participant> Referred(Person? person = null, string reason = DefaultReason, HttpClient? partner = null)
    {
        partner ??= (await Partner()).Client;
        var created = await partner.PostAsJsonAsync("/api/v1/referrals", new
        {
            partnerReference = $"REF-{Guid.NewGuid():N}"[..20],
            person = (person ?? Person.Unique()).Body,
            reason,
            consent = new { given = true, recordedAt = "2026-11-01T10:00:00Z", recordedBy = "Caseworker A" },
            riskIndicators = Array.Empty<string>(),
            preferredContact = "phone",
        });
        var referral = await Expect(created, HttpStatusCode.Created);
        return new Participant(this, referral.GetProperty("participantId").GetGuid(), referral.GetProperty("id").GetGuid());
    }

    /// <summary>The caseworker accepts the referral, and Conversations opens the episode.</summary>
    public async Task Accept(Guid referralId)
    {
        var caseworker = await Caseworker();
        await service.WaitForMessages(async () =>
            await Expect(await caseworker.PostAsJsonAsync($"/api/v1/referrals/{referralId}/accept", new { }), HttpStatusCode.OK));
    }

    /// <summary>The caseworker assigns the practitioner to the participant's open episode.</summary>
    public async Task Assign(Guid participantId, Guid practitionerId) =>
        await Expect(await (await Caseworker()).PostAsJsonAsync($"/api/v1/participants/{participantId}/practitioner", new { practitionerId }), HttpStatusCode.OK);

    /// <summary>The response's JSON, after checking its status; otherwise the test fails naming the route, the status and the body.</summary>
    public static async Task<JsonElement> Expect(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected,
            $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} gave {(int)response.StatusCode}, expected {(int)expected}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    private async Task<T> Once<T>(Func<T?> known, Func<Task> make) where T : struct
    {
        if (known() is { } found) return found;
        await _actors.WaitAsync();
        try
        {
            if (known() is null) await make();
            return known()!.Value;
        }
        finally
        {
            _actors.Release();
        }
    }
}

/// <summary>A participant on the way through the chain, with what the steps so far made: the referral, the practitioner, the conversation.</summary>
public sealed record Participant(Scenario Scenario, Guid ParticipantId, Guid ReferralId)
{
    public Guid PractitionerId { get; init; }

    public HttpClient? Practitioner { get; init; }

    public Guid ConversationId { get; init; }

    /// <summary>The caseworker accepts the referral, and Conversations opens the episode.</summary>
    public async Task<Participant> Accepted()
    {
        await Scenario.Accept(ReferralId);
        return this;
    }

    /// <summary>The caseworker assigns a newly cleared practitioner (of <paramref name="capacity"/>), or the one given.</summary>
    public async Task<Participant> Assigned(int capacity = 10, (Guid Id, HttpClient Client)? practitioner = null)
    {
        var (id, client) = practitioner ?? await Scenario.ClearedPractitioner(capacity);
        await Scenario.Assign(ParticipantId, id);
        return this with { PractitionerId = id, Practitioner = client };
    }

    /// <summary>The practitioner schedules a conversation and records it as held.</summary>
    public async Task<Participant> InConversation()
    {
        var practitioner = Practitioner ?? throw new InvalidOperationException("Assign a practitioner first.");
        var scheduled = await Scenario.Expect(await practitioner.PostAsJsonAsync($"/api/v1/participants/{ParticipantId}/conversations",
            new { scheduledFor = Scenario.Service.Clock.GetUtcNow().AddDays(1), mode = "in-person", location = (string?)null }), HttpStatusCode.Created);
        var conversationId = scheduled.GetProperty("conversationId").GetGuid();
        await Scenario.Expect(await practitioner.PostAsJsonAsync($"/api/v1/conversations/{conversationId}/record", new
        {
            attended = true, bestHopes = "Feel settled at home", preferredFutureSigns = new[] { "sleeping through" }, scale = 4,
            exceptions = "Walks help", onePointUp = "Out once a day", nextSmallStep = "Call a friend", notes = (string?)null, riskDisclosed = false,
            durationMinutes = 45,
        }), HttpStatusCode.OK);
        return this with { ConversationId = conversationId };
    }

    /// <summary>The episode ends, and Outcomes classifies it and schedules its follow-ups.</summary>
    public async Task<Participant> Ended(string reason = "goals-reached")
    {
        var client = Practitioner ?? await Scenario.Caseworker();
        await Scenario.Service.WaitForMessages(async () =>
            await Scenario.Expect(await client.PostAsJsonAsync($"/api/v1/participants/{ParticipantId}/end", new { reason }), HttpStatusCode.OK));
        return this;
    }

    /// <summary>A caseworker records the follow-up PHQ-9 of the ended episode.</summary>
    public async Task<Participant> FollowedUp(int[]? answers = null)
    {
        var caseworker = await Scenario.Caseworker();
        await Scenario.Expect(await caseworker.PostAsJsonAsync($"/api/v1/participants/{ParticipantId}/questionnaires",
            new { instrument = "PHQ-9", timepoint = "follow-up", answers = answers ?? [1, 1, 1, 0, 0, 0, 0, 0, 0], administeredAt = Scenario.Service.Clock.GetUtcNow() }),
            HttpStatusCode.Created);
        return this;
    }
}

/// <summary>The chain's steps on a participant still on its way, so that the steps read as one sentence.</summary>
public static class ScenarioSteps
{
    public static async Task<Participant> Accepted(this Task<Participant> participant) => await (await participant).Accepted();

    public static async Task<Participant> Assigned(this Task<Participant> participant, int capacity = 10, (Guid Id, HttpClient Client)? practitioner = null) =>
        await (await participant).Assigned(capacity, practitioner);

    public static async Task<Participant> InConversation(this Task<Participant> participant) => await (await participant).InConversation();

    public static async Task<Participant> Ended(this Task<Participant> participant, string reason = "goals-reached") => await (await participant).Ended(reason);

    public static async Task<Participant> FollowedUp(this Task<Participant> participant, int[]? answers = null) => await (await participant).FollowedUp(answers);
}
