using System.Net;
using System.Text.Json;
using WorkingConversations.Testing;

namespace WorkingConversations.Conversations.Tests;

[Collection(ConversationsCollection.Name)]
public sealed class CaseloadTests(ServiceFixture service)
{
    private readonly Given _given = new(service);

    [Fact]
    public async Task A_caseload_shows_each_participant_with_the_next_conversation_and_the_days_since_last_contact()
    {
        var (seen, _, practitionerId, practitioner) = await _given.AssignedParticipant();
        var (notYetSeen, _) = await _given.AcceptedParticipant();
        await _given.Assign(notYetSeen, practitionerId);
        var first = await Given.Schedule(practitioner, seen, service.Clock.GetUtcNow().AddHours(1));
        Assert.Equal(HttpStatusCode.OK, (await Given.Record(practitioner, first)).StatusCode);

        service.Clock.Advance(TimeSpan.FromDays(3) + TimeSpan.FromHours(2));
        await Given.Schedule(practitioner, seen, service.Clock.GetUtcNow().AddDays(7));
        var soonest = await Given.Schedule(practitioner, seen, service.Clock.GetUtcNow().AddDays(2), mode: "video");

        var caseload = await Given.Json(await practitioner.GetAsync($"/api/v1/practitioners/{practitionerId}/caseload"), HttpStatusCode.OK);
        Assert.Equal(2, caseload.GetProperty("activeParticipants").GetInt32());
        var participants = caseload.GetProperty("participants").EnumerateArray().ToDictionary(p => p.GetProperty("participantId").GetGuid());
        Assert.Equal(3, participants[seen].GetProperty("daysSinceLastContact").GetInt32());
        Assert.Equal(1, participants[seen].GetProperty("conversationsHeld").GetInt32());
        var next = participants[seen].GetProperty("nextConversation");
        Assert.Equal((soonest, "video", false), (next.GetProperty("conversationId").GetGuid(), next.GetProperty("mode").GetString(), next.GetProperty("overdue").GetBoolean()));
        Assert.Equal(JsonValueKind.Null, participants[notYetSeen].GetProperty("nextConversation").ValueKind);
        Assert.Equal(JsonValueKind.Null, participants[notYetSeen].GetProperty("daysSinceLastContact").ValueKind);

        // A caseworker sees the same caseload.
        var asCaseworker = await Given.Json(await (await _given.Caseworker()).GetAsync($"/api/v1/practitioners/{practitionerId}/caseload"), HttpStatusCode.OK);
        Assert.Equal(2, asCaseworker.GetProperty("participants").GetArrayLength());
    }
}
