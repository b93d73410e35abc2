using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WorkingConversations.Outcomes.Contracts;
using WorkingConversations.Testing;

namespace WorkingConversations.Conversations.Tests;

[Collection(ConversationsCollection.Name)]
public class SafeguardingTests(ServiceFixture service)
{
    private readonly Given _given = new(service);

    [Fact]
    public async Task A_risk_disclosed_in_a_conversation_raises_an_open_concern_that_a_caseworker_acknowledges_once()
    {
        var (participantId, _, _, practitioner) = await _given.AssignedParticipant();
        var caseworker = await _given.Caseworker();
        var conversation = await Given.Schedule(practitioner, participantId, DateTimeOffset.UtcNow.AddDays(1));

        var recorded = await Given.Json(await Given.Record(practitioner, conversation, riskDisclosed: true), HttpStatusCode.OK);
        var concernId = recorded.GetProperty("safeguardingConcernId").GetGuid();

        var open = Assert.Single(await Given.Items(caseworker, $"/api/v1/safeguarding/concerns?status=open&participantId={participantId}"));
        Assert.Equal(concernId, open.GetProperty("id").GetGuid());
        Assert.Equal(("conversation", "open", 1), (open.GetProperty("source").GetString(), open.GetProperty("status").GetString(), open.GetProperty("episodeNumber").GetInt32()));
        Assert.Equal(conversation, open.GetProperty("sourceId").GetGuid());
        Assert.Equal(JsonValueKind.Null, open.GetProperty("acknowledgedAt").ValueKind);
        var types = (await Given.Items(caseworker, $"/api/v1/participants/{participantId}/history?module=Conversations")).Select(i => i.GetProperty("type").GetString()).ToList();
        Assert.Equal(types.IndexOf("conversation-held") + 1, types.IndexOf("safeguarding-concern-raised"));

        var acknowledged = await Given.Json(await caseworker.PostAsJsonAsync($"/api/v1/safeguarding/concerns/{concernId}/acknowledge",
            new { actionTaken = "Called the participant; GP informed" }), HttpStatusCode.OK);
        Assert.Equal("acknowledged", acknowledged.GetProperty("status").GetString());
        Assert.Equal("Called the participant; GP informed", acknowledged.GetProperty("actionTaken").GetString());

        var again = await Given.Problem(await caseworker.PostAsJsonAsync($"/api/v1/safeguarding/concerns/{concernId}/acknowledge",
            new { actionTaken = "Again" }), HttpStatusCode.Conflict);
        Assert.Equal("acknowledged", again.GetProperty("concernStatus").GetString());
        Assert.Empty(await Given.Items(caseworker, $"/api/v1/safeguarding/concerns?status=open&participantId={participantId}"));
        var stored = Assert.Single(await Given.Items(caseworker, $"/api/v1/safeguarding/concerns?status=acknowledged&participantId={participantId}"));
        Assert.Equal("Called the participant; GP informed", stored.GetProperty("actionTaken").GetString());
    }

    [Fact]
    public async Task A_PHQ9_with_item_9_above_0_becomes_an_open_questionnaire_concern()
    {
        var (participantId, _, _, practitioner) = await _given.AssignedParticipant();
        var caseworker = await _given.Caseworker();

        HttpResponseMessage? response = null;
        await service.WaitForMessages(async () => response = await practitioner.PostAsJsonAsync($"/api/v1/participants/{participantId}/questionnaires",
            new { instrument = "PHQ-9", timepoint = "start", answers = new[] { 2, 2, 1, 1, 2, 1, 1, 2, 1 }, administeredAt = DateTimeOffset.UtcNow.AddMinutes(-5) }));
        var questionnaire = await Given.Json(response!, HttpStatusCode.Created);
        Assert.True(questionnaire.GetProperty("riskIndicated").GetBoolean());

        var concern = Assert.Single(await Given.Items(caseworker, $"/api/v1/safeguarding/concerns?status=open&participantId={participantId}"));
        Assert.Equal("questionnaire", concern.GetProperty("source").GetString());
        Assert.Equal(questionnaire.GetProperty("id").GetGuid(), concern.GetProperty("sourceId").GetGuid());
    }

    [Fact]
    public async Task The_same_risk_message_delivered_twice_makes_exactly_one_concern()
    {
        var (participantId, _, _, _) = await _given.AssignedParticipant();
        var risk = new RiskIndicated(participantId, 1, Guid.CreateVersion7(), "PHQ-9", service.Clock.GetUtcNow());

        await _given.Publish(risk);
        await _given.Publish(risk);

        var concern = Assert.Single(await Given.Items(await _given.Caseworker(), $"/api/v1/safeguarding/concerns?participantId={participantId}"));
        Assert.Equal(risk.QuestionnaireId, concern.GetProperty("sourceId").GetGuid());
        var raised = await Given.Items(await _given.Caseworker(), $"/api/v1/participants/{participantId}/history?type=safeguarding-concern-raised");
        Assert.Single(raised);
    }

    [Fact]
    public async Task The_same_risk_message_delivered_twice_at_once_still_makes_exactly_one_concern()
    {
        var (participantId, _, _, _) = await _given.AssignedParticipant();
        var risk = new RiskIndicated(participantId, 1, Guid.CreateVersion7(), "PHQ-9", service.Clock.GetUtcNow());

        await service.WaitForMessages(async () =>
        {
            using var first = service.AppHost.Services.CreateScope();
            using var second = service.AppHost.Services.CreateScope();
            await Task.WhenAll(
                first.ServiceProvider.GetRequiredService<Wolverine.IMessageBus>().PublishAsync(risk).AsTask(),
                second.ServiceProvider.GetRequiredService<Wolverine.IMessageBus>().PublishAsync(risk).AsTask());
        });

        var concern = Assert.Single(await Given.Items(await _given.Caseworker(), $"/api/v1/safeguarding/concerns?participantId={participantId}"));
        Assert.Equal(risk.QuestionnaireId, concern.GetProperty("sourceId").GetGuid());
    }

    [Fact]
    public async Task Open_concerns_are_listed_oldest_first()
    {
        var (later, _, _, practitioner) = await _given.AssignedParticipant();
        var (earlier, _) = await _given.AcceptedParticipant();
        var conversation = await Given.Schedule(practitioner, later, DateTimeOffset.UtcNow.AddDays(1));
        Assert.Equal(HttpStatusCode.OK, (await Given.Record(practitioner, conversation, riskDisclosed: true)).StatusCode);
        // Raised second, but the questionnaire behind it indicated the risk a day earlier.
        await _given.Publish(new RiskIndicated(earlier, 1, Guid.CreateVersion7(), "PHQ-9", service.Clock.GetUtcNow().AddDays(-1)));

        var open = await Given.Items(await _given.Caseworker(), "/api/v1/safeguarding/concerns?status=open&limit=500");
        var mine = open.Select(c => c.GetProperty("participantId").GetGuid()).Where(p => p == earlier || p == later).ToList();
        Assert.Equal([earlier, later], mine);
        var raisedAt = open.Select(c => c.GetProperty("raisedAt").GetDateTimeOffset()).ToList();
        Assert.Equal(raisedAt.Order(), raisedAt);
    }

    [Fact]
    public async Task Acknowledging_needs_the_action_taken_and_a_known_concern_and_is_for_caseworkers_only()
    {
        var (participantId, _, _, practitioner) = await _given.AssignedParticipant();
        var caseworker = await _given.Caseworker();
        await _given.Publish(new RiskIndicated(participantId, 1, Guid.CreateVersion7(), "PHQ-9", service.Clock.GetUtcNow()));
        var concernId = Assert.Single(await Given.Items(caseworker, $"/api/v1/safeguarding/concerns?participantId={participantId}")).GetProperty("id").GetGuid();

        var invalid = await Given.Problem(await caseworker.PostAsJsonAsync($"/api/v1/safeguarding/concerns/{concernId}/acknowledge", new { actionTaken = " " }), HttpStatusCode.BadRequest);
        Assert.True(invalid.GetProperty("errors").TryGetProperty("actionTaken", out _));
        await Given.Problem(await caseworker.PostAsJsonAsync($"/api/v1/safeguarding/concerns/{Guid.CreateVersion7()}/acknowledge", new { actionTaken = "x" }), HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.Forbidden, (await practitioner.PostAsJsonAsync($"/api/v1/safeguarding/concerns/{concernId}/acknowledge", new { actionTaken = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await practitioner.GetAsync("/api/v1/safeguarding/concerns")).StatusCode);
        await Given.Problem(await caseworker.GetAsync("/api/v1/safeguarding/concerns?status=closed"), HttpStatusCode.BadRequest);

        var concern = Assert.Single(await Given.Items(caseworker, $"/api/v1/safeguarding/concerns?participantId={participantId}"));
        Assert.Equal("open", concern.GetProperty("status").GetString());
    }
}

/// <summary>The same tests once more, with the messages between modules travelling through RabbitMQ.</summary>
[Collection(ConversationsOnRabbitMqCollection.Name)]
public sealed class SafeguardingOnRabbitMqTests(RabbitMqServiceFixture service) : SafeguardingTests(service);
