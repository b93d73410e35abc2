using Microsoft.AspNetCore.Http;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Http;
using WorkingConversations.BuildingBlocks.Writing;
using WorkingConversations.Conversations.Contracts;

using WorkingConversations.BuildingBlocks.Http.Idempotency;

namespace WorkingConversations.Conversations.Recording;

internal sealed record RecordMissedConversationRequest(string? Reason);

internal sealed record MissedConversation(Guid ConversationId, Guid ParticipantId, int EpisodeNumber, string Status, string Reason);

internal static class RecordMissedConversation
{
    public static readonly string[] Reasons = ["did-not-attend", "cancelled-by-participant", "cancelled-by-service"];

    public static Validation Validate(RecordMissedConversationRequest r)
    {
        var v = new Validation();
        v.OneOf("reason", r.Reason, Reasons);
        return v;
    }

    /// <summary>Pure: only a scheduled conversation of the open episode can be missed or cancelled, and only once.</summary>
    public static Decision<ConversationMissed> Decide(ConversationsJourney journey, Guid conversationId, string reason, DateTimeOffset now)
    {
        var (found, refused) = ScheduledConversation.Find(journey, conversationId);
        if (found is not { } episode) return refused!;
        return Decision.Append(new ConversationMissed(conversationId, journey.Id, episode.EpisodeNumber, episode.PractitionerId ?? Guid.Empty, reason, now));
    }

    public static Task<IResult> Handle(Guid id, JsonBody<RecordMissedConversationRequest> body, HttpContext http, WriteStep write) =>
        write.RunAsync(http, Validate(body.Read), Deciding(id, body.Read),
            missed => Answer.Ok(new MissedConversation(id, missed.ParticipantId, missed.EpisodeNumber, ConversationStatuses.Missed, missed.Reason)));

    public static Func<WriteAttempt, Task<Decision<ConversationMissed>>> Deciding(Guid id, RecordMissedConversationRequest request) => async attempt =>
        await ScheduledConversation.JourneyOf(attempt, id) is { } journey
            ? Decide(journey, id, request.Reason!, attempt.Now)
            : ScheduledConversation.NotYours(id);
}
