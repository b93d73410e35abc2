using System.Net;
using System.Text.Json;
using WorkingConversations.Testing;
using WorkingConversations.VolunteerTraining.Contracts;

namespace WorkingConversations.Conversations.Tests;

[Collection(ConversationsCollection.Name)]
public sealed class AssignmentTests(ServiceFixture service)
{
    private readonly Given _given = new(service);

    [Fact]
    public async Task A_clearance_older_than_a_suspension_does_not_put_the_practitioner_back_to_work()
    {
        var (participantId, _) = await _given.AcceptedParticipant();
        var (practitioner, _) = await _given.ClearedPractitioner();
        var suspendedAt = service.Clock.GetUtcNow().AddMinutes(1);
        await _given.Publish(new PractitionerSuspended(practitioner, "Under review", suspendedAt));
        // The same clearance delivered again, late: it happened before the suspension.
        await _given.Publish(new PractitionerCleared(practitioner, "volunteer", 5, suspendedAt.AddMinutes(-5)));

        var refused = await Given.Problem(await _given.AssignResponse(participantId, practitioner), HttpStatusCode.Conflict);
        Assert.Equal("suspended", refused.GetProperty("practitionerStatus").GetString());
    }

    [Fact]
    public async Task Reassigning_keeps_the_history_and_moves_access_and_capacity_to_the_new_practitioner()
    {
        var (participantId, _, first, firstClient) = await _given.AssignedParticipant(capacity: 1);
        var (second, secondClient) = await _given.ClearedPractitioner(capacity: 1);
        var conversation = await Given.Schedule(firstClient, participantId, DateTimeOffset.UtcNow.AddDays(1));

        await _given.Assign(participantId, second);

        var assignments = await Given.Items(await _given.Caseworker(), $"/api/v1/participants/{participantId}/history?type=practitioner-assigned");
        Assert.Equal(2, assignments.Length);
        Assert.Equal(JsonValueKind.Null, assignments[0].GetProperty("data").GetProperty("previousPractitionerId").ValueKind);
        Assert.Equal(first, assignments[1].GetProperty("data").GetProperty("previousPractitionerId").GetGuid());

        // The first practitioner no longer reaches the participant; the second does, conversation included.
        await Given.Problem(await firstClient.GetAsync($"/api/v1/participants/{participantId}/conversations"), HttpStatusCode.NotFound);
        await Given.Problem(await Given.Record(firstClient, conversation), HttpStatusCode.NotFound);
        Assert.Equal(conversation, Assert.Single(await Given.Items(secondClient, $"/api/v1/participants/{participantId}/conversations")).GetProperty("conversationId").GetGuid());
        Assert.Equal(HttpStatusCode.OK, (await Given.Record(secondClient, conversation)).StatusCode);

        // Capacity follows the participant: the first has room again, the second is now full.
        Assert.Empty((await Given.Json(await firstClient.GetAsync($"/api/v1/practitioners/{first}/caseload"), HttpStatusCode.OK)).GetProperty("participants").EnumerateArray());
        var (another, _) = await _given.AcceptedParticipant();
        var full = await Given.Problem(await _given.AssignResponse(another, second), HttpStatusCode.Conflict);
        Assert.Equal((1, 1), (full.GetProperty("capacity").GetInt32(), full.GetProperty("caseload").GetInt32()));
        await _given.Assign(another, first);
    }

    [Fact]
    public async Task A_suspended_withdrawn_or_unknown_practitioner_cannot_be_assigned_and_a_reinstated_one_can()
    {
        var (participantId, _) = await _given.AcceptedParticipant();
        var (suspended, _) = await _given.ClearedPractitioner();
        var (withdrawn, _) = await _given.ClearedPractitioner();
        await _given.Publish(new PractitionerSuspended(suspended, "Supervision lapsed", service.Clock.GetUtcNow()));
        await _given.Publish(new PractitionerWithdrawn(withdrawn, "Moved away", service.Clock.GetUtcNow()));

        Assert.Equal("suspended", (await Given.Problem(await _given.AssignResponse(participantId, suspended), HttpStatusCode.Conflict)).GetProperty("practitionerStatus").GetString());
        Assert.Equal("withdrawn", (await Given.Problem(await _given.AssignResponse(participantId, withdrawn), HttpStatusCode.Conflict)).GetProperty("practitionerStatus").GetString());
        Assert.Equal("unknown", (await Given.Problem(await _given.AssignResponse(participantId, Guid.CreateVersion7()), HttpStatusCode.Conflict)).GetProperty("practitionerStatus").GetString());

        await _given.Publish(new PractitionerReinstated(suspended, service.Clock.GetUtcNow()));
        await _given.Assign(participantId, suspended);
    }

    [Fact]
    public async Task A_practitioner_at_capacity_cannot_take_another_participant_until_their_capacity_is_raised()
    {
        var (_, _, practitionerId, _) = await _given.AssignedParticipant(capacity: 1);
        var (participantId, _) = await _given.AcceptedParticipant();

        var full = await Given.Problem(await _given.AssignResponse(participantId, practitionerId), HttpStatusCode.Conflict);
        Assert.Equal((1, 1), (full.GetProperty("capacity").GetInt32(), full.GetProperty("caseload").GetInt32()));

        await _given.Publish(new PractitionerCapacityChanged(practitionerId, 2, service.Clock.GetUtcNow()));
        await _given.Assign(participantId, practitionerId);
    }

    [Fact]
    public async Task A_withdrawn_practitioners_open_participants_need_reassignment_and_their_past_record_stays()
    {
        var (participantId, _, withdrawn, practitioner) = await _given.AssignedParticipant();
        var caseworker = await _given.Caseworker();
        var held = await Given.Schedule(practitioner, participantId, DateTimeOffset.UtcNow.AddDays(1));
        Assert.Equal(HttpStatusCode.OK, (await Given.Record(practitioner, held)).StatusCode);

        await _given.Publish(new PractitionerWithdrawn(withdrawn, "Left the programme", service.Clock.GetUtcNow()));

        var waiting = Assert.Single(await Given.Items(caseworker, "/api/v1/practitioners/needs-reassignment?limit=500"), i => i.GetProperty("participantId").GetGuid() == participantId);
        Assert.Equal((withdrawn, "withdrawn"), (waiting.GetProperty("practitionerId").GetGuid(), waiting.GetProperty("practitionerStatus").GetString()));
        var record = Assert.Single(await Given.Items(caseworker, $"/api/v1/participants/{participantId}/conversations"));
        Assert.Equal(("held", withdrawn), (record.GetProperty("status").GetString(), record.GetProperty("practitionerId").GetGuid()));

        var (replacement, _) = await _given.ClearedPractitioner();
        await _given.Assign(participantId, replacement);

        Assert.DoesNotContain(await Given.Items(caseworker, "/api/v1/practitioners/needs-reassignment?limit=500"), i => i.GetProperty("participantId").GetGuid() == participantId);
        record = Assert.Single(await Given.Items(caseworker, $"/api/v1/participants/{participantId}/conversations"));
        Assert.Equal(withdrawn, record.GetProperty("practitionerId").GetGuid());
        var assigned = await Given.Items(caseworker, $"/api/v1/participants/{participantId}/history?type=practitioner-assigned&order=desc");
        Assert.Equal(withdrawn, assigned[0].GetProperty("data").GetProperty("previousPractitionerId").GetGuid());
    }

    [Fact]
    public async Task A_suspended_practitioners_open_participants_need_reassignment_until_they_are_reinstated()
    {
        var (participantId, _, suspended, _) = await _given.AssignedParticipant();
        var caseworker = await _given.Caseworker();

        await _given.Publish(new PractitionerSuspended(suspended, "DBS check lapsed", service.Clock.GetUtcNow()));
        Assert.Contains(await Given.Items(caseworker, "/api/v1/practitioners/needs-reassignment?limit=500"),
            i => i.GetProperty("participantId").GetGuid() == participantId && i.GetProperty("practitionerStatus").GetString() == "suspended");

        await _given.Publish(new PractitionerReinstated(suspended, service.Clock.GetUtcNow()));
        Assert.DoesNotContain(await Given.Items(caseworker, "/api/v1/practitioners/needs-reassignment?limit=500"), i => i.GetProperty("participantId").GetGuid() == participantId);
    }
}
