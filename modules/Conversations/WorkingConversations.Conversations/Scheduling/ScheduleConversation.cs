using Microsoft.AspNetCore.Http;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Http;
using WorkingConversations.BuildingBlocks.Http.Idempotency;
using WorkingConversations.BuildingBlocks.Journey;
using WorkingConversations.BuildingBlocks.Writing;
using WorkingConversations.Conversations.Contracts;

namespace WorkingConversations.Conversations.Scheduling;

internal sealed record ScheduleConversationRequest(DateTimeOffset? ScheduledFor, string? Mode, string? Location);

internal sealed record ScheduledConversation(Guid ConversationId);

internal static class ScheduleConversation
{
    public static readonly string[] Modes = ["in-person", "phone", "video"];

    public static Validation Validate(ScheduleConversationRequest request)
    {
        var v = new Validation();
        v.Required("scheduledFor", request.ScheduledFor);
        v.OneOf("mode", request.Mode, Modes);
        v.OptionalText("location", request.Location, 500);
        return v;
    }

    /// <summary>Pure: a conversation is scheduled in the open episode, with the practitioner who holds it.</summary>
    public static Decision<ConversationScheduled> Decide(ConversationsJourney journey, ScheduleConversationRequest request, Guid conversationId, DateTimeOffset now)
    {
        if (journey.Episode is not { } episode) return Refusal.Conflict("The participant has no open episode to schedule a conversation in.");
        if (episode.Ended) return StateProblems.Episode(Refusal.Conflict("The episode has ended: no more conversations can be scheduled."), episode);
        if (episode.PractitionerId is not { } practitioner) return Refusal.Conflict("Assign a practitioner before scheduling a conversation.");
        // The ConversationSummary projection (inline) records where the conversation id leads, in the same transaction.
        return Decision.Append(new ConversationScheduled(conversationId, journey.Id, episode.EpisodeNumber, practitioner, request.ScheduledFor!.Value,
            request.Mode!, request.Location, now));
    }

    public static Task<IResult> Handle(Guid id, JsonBody<ScheduleConversationRequest> body, HttpContext http, WriteStep write) =>
        write.RunAsync(http, Validate(body.Read), Deciding(id, body.Read),
            scheduled => Answer.Created($"/api/v1/conversations/{scheduled.ConversationId}", new ScheduledConversation(scheduled.ConversationId)));

    public static Func<WriteAttempt, Task<Decision<ConversationScheduled>>> Deciding(Guid id, ScheduleConversationRequest request) => async attempt =>
        await attempt.Journey<ConversationsJourney>(id) is { } journey
            ? Decide(journey, request, Guid.CreateVersion7(), attempt.Now)
            : JourneyAccess.NotYours(id);
}
