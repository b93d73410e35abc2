using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WorkingConversations.Testing;

namespace WorkingConversations.Journey.Tests;

[CollectionDefinition(Name)]
public sealed class JourneyCollection : ICollectionFixture<ServiceFixture>
{
    public const string Name = "journey";
}

/// <summary>The same host with every message between modules on RabbitMQ, by configuration alone.</summary>
[CollectionDefinition(Name)]
public sealed class RabbitMqJourneyCollection : ICollectionFixture<RabbitMqServiceFixture>
{
    public const string Name = "journey-rabbitmq";
}

[Collection(JourneyCollection.Name)]
public class WalkingSkeletonTests(ServiceFixture service)
{
    [Fact]
    public async Task A_referral_travels_through_all_four_modules_and_the_history_shows_each_step_with_who_and_when()
    {
        var (_, partner) = await service.NewPartner();
        var (caseworker, caseworkerKeyId, _) = await service.ClientFor("caseworker");
        var (trainer, _, _) = await service.ClientFor("trainer");

        // Referrals: a partner refers a person.
        var created = await partner.PostAsJsonAsync("/api/v1/referrals", Referral("Skeleton", "9434765919"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var referral = await created.Content.ReadFromJsonAsync<JsonElement>();
        var referralId = referral.GetProperty("id").GetGuid();
        var participantId = referral.GetProperty("participantId").GetGuid();

        // VolunteerTraining: a volunteer is certified; Conversations hears of it by message.
        var volunteerId = (await (await trainer.PostAsJsonAsync("/api/v1/volunteers",
            new { givenName = "Val", familyName = "Unteer", email = "val@example.org", programme = "volunteer" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await service.MeetCertificationRequirements(trainer, volunteerId);
        var certification = await service.WaitForMessages(async () =>
            Assert.Equal(HttpStatusCode.OK, (await trainer.PostAsJsonAsync($"/api/v1/volunteers/{volunteerId}/certify", new { })).StatusCode));
        Assert.Contains(certification.MessageSucceeded.MessagesOf<VolunteerTraining.Contracts.PractitionerCleared>(), m => m.PractitionerId == volunteerId);

        // Referrals -> Conversations: accepting publishes the message that opens the episode.
        var acceptance = await service.WaitForMessages(async () =>
            Assert.Equal(HttpStatusCode.OK, (await caseworker.PostAsJsonAsync($"/api/v1/referrals/{referralId}/accept", new { }, CorrelationHeader("skeleton-accept"))).StatusCode));
        Assert.Contains(acceptance.MessageSucceeded.MessagesOf<Referrals.Contracts.ReferralAccepted>(), m => m.ReferralId == referralId);

        // Conversations: assign the cleared practitioner, schedule and record a conversation.
        Assert.Equal(HttpStatusCode.OK, (await caseworker.PostAsJsonAsync($"/api/v1/participants/{participantId}/practitioner", new { practitionerId = volunteerId })).StatusCode);
        var (practitioner, practitionerKeyId, _) = await service.ClientFor("practitioner", practitionerId: volunteerId);
        var scheduled = await practitioner.PostAsJsonAsync($"/api/v1/participants/{participantId}/conversations",
            new { scheduledFor = DateTimeOffset.UtcNow.AddDays(1), mode = "phone" });
        Assert.Equal(HttpStatusCode.Created, scheduled.StatusCode);
        var conversationId = (await scheduled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("conversationId").GetGuid();
        var recorded = await practitioner.PostAsJsonAsync($"/api/v1/conversations/{conversationId}/record", new
        {
            attended = true, bestHopes = "Feel settled at home", preferredFutureSigns = new[] { "sleeping through" }, scale = 4,
            exceptions = "Walks help", onePointUp = "Out once a day", nextSmallStep = "Call a friend", riskDisclosed = false, durationMinutes = 45,
        });
        Assert.Equal(HttpStatusCode.OK, recorded.StatusCode);

        // Outcomes: a PHQ-9, scored, and counted by the outcomes projection.
        var phq9 = await practitioner.PostAsJsonAsync($"/api/v1/participants/{participantId}/questionnaires",
            new { instrument = "PHQ-9", timepoint = "start", answers = new[] { 2, 2, 1, 1, 2, 1, 1, 2, 0 }, administeredAt = DateTimeOffset.UtcNow });
        Assert.Equal(HttpStatusCode.Created, phq9.StatusCode);
        var score = await phq9.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(12m, score.GetProperty("total").GetDecimal());
        Assert.Equal("moderate", score.GetProperty("band").GetString());
        Assert.True(score.GetProperty("caseness").GetBoolean());

        await using (var session = service.Services.GetRequiredService<Marten.IDocumentStore>().QuerySession())
        {
            var outcome = await session.LoadAsync<Outcomes.Projections.EpisodeOutcome>(Outcomes.Projections.EpisodeOutcome.KeyOf(participantId, 1));
            Assert.NotNull(outcome);
            Assert.Equal(1, outcome.Questionnaires);
            Assert.Equal(1, outcome.ConversationsHeld);
            Assert.Equal(12m, outcome.FirstPhq9);
        }

        // The history: every module's events, in order, with the actor and correlation id.
        var history = await caseworker.GetFromJsonAsync<JsonElement>($"/api/v1/participants/{participantId}/history?order=asc");
        var items = history.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(
            ["referral-received", "referral-accepted", "episode-opened", "practitioner-assigned", "conversation-scheduled", "conversation-held", "questionnaire-recorded"],
            items.Select(i => i.GetProperty("type").GetString()!).ToArray());
        Assert.Equal(["Referrals", "Referrals", "Conversations", "Conversations", "Conversations", "Conversations", "Outcomes"],
            items.Select(i => i.GetProperty("module").GetString()!).ToArray());
        Assert.Equal(items.Select(i => i.GetProperty("sequence").GetInt64()).Order().ToArray(), items.Select(i => i.GetProperty("sequence").GetInt64()).ToArray());
        Assert.Equal("partner", items[0].GetProperty("recordedBy").GetProperty("role").GetString());
        Assert.Equal("caseworker", items[1].GetProperty("recordedBy").GetProperty("role").GetString());
        Assert.Equal(caseworkerKeyId, items[1].GetProperty("recordedBy").GetProperty("keyId").GetGuid());
        Assert.Equal("skeleton-accept", items[1].GetProperty("correlationId").GetString());
        // The episode was opened by Conversations reacting to the message: same correlation, same (relayed) actor.
        Assert.Equal("skeleton-accept", items[2].GetProperty("correlationId").GetString());
        Assert.Equal(caseworkerKeyId, items[2].GetProperty("recordedBy").GetProperty("keyId").GetGuid());
        Assert.Equal(practitionerKeyId, items[5].GetProperty("recordedBy").GetProperty("keyId").GetGuid());
        Assert.All(items, i => Assert.False(string.IsNullOrEmpty(i.GetProperty("summary").GetString())));

        // VolunteerTraining keeps its events on the volunteer's own stream (architecture.md): the step that let this
        // practitioner take the participant is there, with who recorded it.
        var volunteerHistory = await trainer.GetFromJsonAsync<JsonElement>($"/api/v1/volunteers/{volunteerId}/history");
        var certified = volunteerHistory.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("type").GetString() == "volunteer-certified");
        Assert.Equal("trainer", certified.GetProperty("recordedBy").GetProperty("role").GetString());
        Assert.False(string.IsNullOrEmpty(certified.GetProperty("correlationId").GetString()));
    }

    private static Action<HttpRequestMessage> CorrelationHeader(string id) => r => r.Headers.Add("X-Correlation-Id", id);

    internal static object Referral(string familyName, string? nhsNumber = null) => new
    {
        partnerReference = $"REF-{Guid.NewGuid():N}"[..20],
        person = new { givenName = "Sam", familyName, dateOfBirth = "1990-04-01", postcode = "L8 1XY", nhsNumber },
        reason = "Low mood since losing work",
        consent = new { given = true, recordedAt = "2026-11-01T10:00:00Z", recordedBy = "Caseworker A" },
        riskIndicators = Array.Empty<string>(),
        preferredContact = "phone",
    };
}

/// <summary>The walking skeleton once more, with the modules' messages travelling through RabbitMQ.</summary>
[Collection(RabbitMqJourneyCollection.Name)]
public sealed class WalkingSkeletonOnRabbitMqTests(RabbitMqServiceFixture service) : WalkingSkeletonTests(service)
{
    [Fact]
    public async Task Accepting_a_referral_sends_its_message_through_the_broker_and_Conversations_takes_it_from_a_broker_queue()
    {
        var (_, partner) = await service.NewPartner();
        var (caseworker, _, _) = await service.ClientFor("caseworker");
        var created = await partner.PostAsJsonAsync("/api/v1/referrals", Referral($"Broker-{Guid.NewGuid():N}"[..20]));
        var referralId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var acceptance = await service.WaitForMessages(async () =>
            Assert.Equal(HttpStatusCode.OK, (await caseworker.PostAsJsonAsync($"/api/v1/referrals/{referralId}/accept", new { })).StatusCode));

        var sent = Assert.Single(acceptance.Sent.Envelopes(), e => e.Message is Referrals.Contracts.ReferralAccepted);
        Assert.Equal("rabbitmq", sent.Destination!.Scheme);
        var received = Assert.Single(acceptance.Received.Envelopes(), e => e.Message is Referrals.Contracts.ReferralAccepted);
        Assert.Equal("rabbitmq", received.Destination!.Scheme);
        Assert.StartsWith(service.Prefix, received.Destination.Segments.Last(), StringComparison.Ordinal);
        Assert.Contains(acceptance.MessageSucceeded.MessagesOf<Referrals.Contracts.ReferralAccepted>(), m => m.ReferralId == referralId);

        // The queue is the broker's, not the process's: it is there when asked for by name.
        var factory = new RabbitMQ.Client.ConnectionFactory { Uri = service.Broker };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeclarePassiveAsync(received.Destination.Segments.Last());
    }
}

internal static class HttpClientExtensions
{
    public static Task<HttpResponseMessage> PostAsJsonAsync<T>(this HttpClient client, string url, T body, Action<HttpRequestMessage> configure)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        configure(request);
        return client.SendAsync(request);
    }
}
