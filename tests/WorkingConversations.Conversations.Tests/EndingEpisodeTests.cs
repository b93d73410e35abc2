using System.Net;
using System.Net.Http.Json;
using WorkingConversations.Conversations.Contracts;
using WorkingConversations.Testing;

namespace WorkingConversations.Conversations.Tests;

[Collection(ConversationsCollection.Name)]
public class EndingEpisodeTests(ServiceFixture service)
{
    private readonly Given _given = new(service);

    [Fact]
    public async Task Ending_publishes_EpisodeEnded_with_the_referral_and_conversations_held_and_the_referral_shows_ended()
    {
        var (participantId, referralId, _, practitioner) = await _given.AssignedParticipant();
        var caseworker = await _given.Caseworker();
        var held = await Given.Schedule(practitioner, participantId, DateTimeOffset.UtcNow.AddDays(1));
        Assert.Equal(HttpStatusCode.OK, (await Given.Record(practitioner, held)).StatusCode);
        var missed = await Given.Schedule(practitioner, participantId, DateTimeOffset.UtcNow.AddDays(8));
        Assert.Equal(HttpStatusCode.OK, (await practitioner.PostAsJsonAsync($"/api/v1/conversations/{missed}/missed", new { reason = "did-not-attend" })).StatusCode);

        HttpResponseMessage? response = null;
        var tracked = await service.WaitForMessages(async () =>
            response = await practitioner.PostAsJsonAsync($"/api/v1/participants/{participantId}/end", new { reason = "goals-reached", note = "Back at work" }));

        var ended = await Given.Json(response!, HttpStatusCode.OK);
        Assert.Equal("ended", ended.GetProperty("status").GetString());
        Assert.Equal(1, ended.GetProperty("conversationsHeld").GetInt32());
        // Published through the outbox whether or not another module handles it yet.
        var message = Assert.Single(tracked.Sent.MessagesOf<EpisodeEnded>().Concat(tracked.NoRoutes.MessagesOf<EpisodeEnded>()).Distinct());
        Assert.Equal((participantId, referralId, 1, "goals-reached", 1), (message.ParticipantId, message.ReferralId, message.EpisodeNumber, message.Reason, message.ConversationsHeld));

        var referral = await Given.Json(await caseworker.GetAsync($"/api/v1/referrals/{referralId}"), HttpStatusCode.OK);
        Assert.Equal("ended", referral.GetProperty("status").GetString());
        var history = await Given.Items(caseworker, $"/api/v1/participants/{participantId}/history?module=Conversations&order=desc");
        Assert.Equal("episode-ended", history[0].GetProperty("type").GetString());
    }

    [Fact]
    public async Task After_the_end_recording_scheduling_assigning_missing_and_ending_again_are_409_naming_the_episode_status()
    {
        var (participantId, _, _, practitioner) = await _given.AssignedParticipant();
        var caseworker = await _given.Caseworker();
        var conversation = await Given.Schedule(practitioner, participantId, DateTimeOffset.UtcNow.AddDays(1));
        Assert.Equal(HttpStatusCode.OK, (await _given.End(caseworker, participantId, "disengaged")).StatusCode);
        var (other, _) = await _given.ClearedPractitioner();

        foreach (var attempt in new Func<Task<HttpResponseMessage>>[]
                 {
                     () => Given.Record(caseworker, conversation),
                     () => Given.Record(practitioner, conversation),
                     () => caseworker.PostAsJsonAsync($"/api/v1/conversations/{conversation}/missed", new { reason = "cancelled-by-service" }),
                     () => caseworker.PostAsJsonAsync($"/api/v1/participants/{participantId}/conversations", new { scheduledFor = DateTimeOffset.UtcNow.AddDays(2), mode = "video" }),
                     () => _given.AssignResponse(participantId, other),
                     () => caseworker.PostAsJsonAsync($"/api/v1/participants/{participantId}/end", new { reason = "other" }),
                 })
        {
            var problem = await Given.Problem(await attempt(), HttpStatusCode.Conflict);
            Assert.Equal("ended", problem.GetProperty("episodeStatus").GetString());
        }

        // Nothing the rejected requests tried was stored.
        var item = Assert.Single(await Given.Items(caseworker, $"/api/v1/participants/{participantId}/conversations"));
        Assert.Equal("scheduled", item.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Ending_takes_the_participant_off_the_caseload_and_frees_the_practitioners_place()
    {
        var (participantId, _, practitionerId, practitioner) = await _given.AssignedParticipant(capacity: 1);
        var (next, _) = await _given.AcceptedParticipant();
        await Given.Problem(await _given.AssignResponse(next, practitionerId), HttpStatusCode.Conflict);

        Assert.Equal(HttpStatusCode.OK, (await _given.End(practitioner, participantId, "moved-away")).StatusCode);

        var caseload = await Given.Json(await practitioner.GetAsync($"/api/v1/practitioners/{practitionerId}/caseload"), HttpStatusCode.OK);
        Assert.Empty(caseload.GetProperty("participants").EnumerateArray());
        await _given.Assign(next, practitionerId);
    }

    [Fact]
    public async Task Ending_needs_a_known_reason_and_a_note_of_sensible_length()
    {
        var (participantId, _, _, practitioner) = await _given.AssignedParticipant();

        var problem = await Given.Problem(await practitioner.PostAsJsonAsync($"/api/v1/participants/{participantId}/end",
            new { reason = "fed-up", note = new string('x', 4001) }), HttpStatusCode.BadRequest);

        var errors = problem.GetProperty("errors");
        Assert.Contains("goals-reached", errors.GetProperty("reason")[0].GetString(), StringComparison.Ordinal);
        Assert.True(errors.TryGetProperty("note", out _));
        Assert.Equal(HttpStatusCode.OK, (await _given.End(practitioner, participantId, "referred-on")).StatusCode);
    }

    [Fact]
    public async Task A_new_episode_after_the_end_starts_unassigned_and_the_previous_practitioner_no_longer_reaches_it()
    {
        var familyName = Given.UniqueName();
        var (participantId, _) = await _given.AcceptedParticipant(familyName);
        var (practitionerId, practitioner) = await _given.ClearedPractitioner();
        await _given.Assign(participantId, practitionerId);
        Assert.Equal(HttpStatusCode.OK, (await _given.End(practitioner, participantId)).StatusCode);
        // The practitioner who ended it still reads the ended episode.
        Assert.Equal(HttpStatusCode.OK, (await practitioner.GetAsync($"/api/v1/participants/{participantId}/conversations")).StatusCode);

        var (again, _) = await _given.AcceptedParticipant(familyName);
        Assert.Equal(participantId, again);

        await Given.Problem(await practitioner.GetAsync($"/api/v1/participants/{participantId}/conversations"), HttpStatusCode.NotFound);
        var (next, nextClient) = await _given.ClearedPractitioner();
        await _given.Assign(participantId, next);
        var conversation = await Given.Schedule(nextClient, participantId, DateTimeOffset.UtcNow.AddDays(1));
        var item = Assert.Single(await Given.Items(nextClient, $"/api/v1/participants/{participantId}/conversations"), i => i.GetProperty("conversationId").GetGuid() == conversation);
        Assert.Equal(2, item.GetProperty("episodeNumber").GetInt32());
    }
}

/// <summary>The same tests once more, with the messages between modules travelling through RabbitMQ.</summary>
[Collection(ConversationsOnRabbitMqCollection.Name)]
public sealed class EndingEpisodeOnRabbitMqTests(RabbitMqServiceFixture service) : EndingEpisodeTests(service);
