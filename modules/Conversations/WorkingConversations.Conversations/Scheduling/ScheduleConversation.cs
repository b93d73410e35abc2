using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Http;
using WorkingConversations.BuildingBlocks.Journey;
using WorkingConversations.Conversations.Assigning;
using WorkingConversations.Conversations.Contracts;

namespace WorkingConversations.Conversations.Scheduling;

public sealed record ScheduleConversationRequest(DateTimeOffset? ScheduledFor, string? Mode, string? Location);

public sealed record ScheduledConversation(Guid ConversationId);

public static class ScheduleConversation
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

    public static (ConversationScheduled? Scheduled, ProblemHttpResult? Problem) Decide(
        ConversationsJourney journey, ScheduleConversationRequest request, Guid conversationId, DateTimeOffset now)
    {
        if (journey.Episode is not { } episode) return (null, LegacyProblem.Conflict("The participant has no open episode to schedule a conversation in."));
        if (episode.Ended)
            return (null, LegacyProblem.Conflict("The episode has ended: no more conversations can be scheduled.", StateProblems.Episode(episode)));
        if (episode.PractitionerId is not { } practitioner) return (null, LegacyProblem.Conflict("Assign a practitioner before scheduling a conversation."));
        return (new ConversationScheduled(conversationId, journey.Id, episode.EpisodeNumber, practitioner, request.ScheduledFor!.Value, request.Mode!, request.Location, now), null);
    }

    public static async Task<Results<Created<ScheduledConversation>, ProblemHttpResult, ValidationProblem>> Handle(
        Guid id, ScheduleConversationRequest request, HttpContext http, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var actor = session.StampFrom(http);
        if (!await ParticipantAccess.MayActOn(session, actor, id, ct)) return Problem.NotFound($"No participant with the id {id} is yours to see.");
        var v = Validate(request);
        if (!v.IsValid) return v.ToProblem();

        var stream = await session.Events.FetchForWriting<ConversationsJourney>(id, ct);
        if (stream.Aggregate is null) return Problem.NotFound($"No participant with the id {id} has an episode.");
        // A client holding the journey's ETag gets 412 rather than acting on a stale picture of it.
        if (LegacyProblem.CheckIfMatch(http.Request, stream) is { } stale) return stale;
        var (scheduled, problem) = Decide(stream.Aggregate, request, Guid.CreateVersion7(), clock.GetUtcNow());
        if (scheduled is null) return problem!;

        // The ConversationSummary projection (inline) records where the conversation id leads, in this same transaction.
        stream.AppendOne(scheduled);
        await session.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/conversations/{scheduled.ConversationId}", new ScheduledConversation(scheduled.ConversationId));
    }
}
