using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Http;
using WorkingConversations.BuildingBlocks.Journey;
using WorkingConversations.Conversations.Contracts;

namespace WorkingConversations.Conversations.Safeguarding;

public sealed record AcknowledgeConcernRequest(string? ActionTaken);

public static class AcknowledgeConcern
{
    public static Validation Validate(AcknowledgeConcernRequest r)
    {
        var v = new Validation();
        v.RequiredText("actionTaken", r.ActionTaken, 4000);
        return v;
    }

    /// <summary>Pure: an open concern is acknowledged once, with the action the caseworker took.</summary>
    public static (SafeguardingConcernAcknowledged? Acknowledged, ProblemHttpResult? Problem) Decide(
        ConversationsJourney? journey, Guid concernId, string actionTaken, DateTimeOffset now)
    {
        if (journey is null || !journey.Concerns.TryGetValue(concernId, out var concern))
            return (null, Problem.NotFound($"No safeguarding concern has the id {concernId}."));
        if (concern.Status != ConcernStatuses.Open)
            return (null, LegacyProblem.Conflict("This concern has already been acknowledged.", new Dictionary<string, object?> { ["concernStatus"] = concern.Status }));
        return (new SafeguardingConcernAcknowledged(concernId, journey.Id, concern.EpisodeNumber, actionTaken, now), null);
    }

    public static async Task<Results<Ok<SafeguardingConcern>, ProblemHttpResult, ValidationProblem>> Handle(
        Guid id, AcknowledgeConcernRequest request, HttpContext http, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        session.StampFrom(http);
        var concern = await session.LoadAsync<SafeguardingConcern>(id, ct);
        if (concern is null) return Problem.NotFound($"No safeguarding concern has the id {id}.");
        var v = Validate(request);
        if (!v.IsValid) return v.ToProblem();

        var stream = await session.Events.FetchForWriting<ConversationsJourney>(concern.ParticipantId, ct);
        // A client holding the journey's ETag gets 412 rather than acting on a stale picture of it.
        if (LegacyProblem.CheckIfMatch(http.Request, stream) is { } stale) return stale;
        var (acknowledged, problem) = Decide(stream.Aggregate, id, request.ActionTaken!, clock.GetUtcNow());
        if (acknowledged is null) return problem!;

        stream.AppendOne(acknowledged);
        await session.SaveChangesAsync(ct);
        return TypedResults.Ok(concern with
        {
            Status = ConcernStatuses.Acknowledged, AcknowledgedAt = acknowledged.AcknowledgedAt, ActionTaken = acknowledged.ActionTaken,
        });
    }
}
