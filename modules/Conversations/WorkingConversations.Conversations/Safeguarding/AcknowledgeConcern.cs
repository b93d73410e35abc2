using Marten;
using Microsoft.AspNetCore.Http;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Http;
using WorkingConversations.BuildingBlocks.Writing;
using WorkingConversations.Conversations.Contracts;

using WorkingConversations.BuildingBlocks.Http.Idempotency;

namespace WorkingConversations.Conversations.Safeguarding;

internal sealed record AcknowledgeConcernRequest(string? ActionTaken);

internal static class AcknowledgeConcern
{
    public static Validation Validate(AcknowledgeConcernRequest r)
    {
        var v = new Validation();
        v.RequiredText("actionTaken", r.ActionTaken, 4000);
        return v;
    }

    /// <summary>Pure: an open concern is acknowledged once, with the action the caseworker took.</summary>
    public static Decision<SafeguardingConcernAcknowledged> Decide(ConversationsJourney? journey, Guid concernId, string actionTaken, DateTimeOffset now)
    {
        if (journey is null || !journey.Concerns.TryGetValue(concernId, out var concern)) return Refusal.NotFound($"No safeguarding concern has the id {concernId}.");
        if (concern.Status != ConcernStatuses.Open) return Refusal.Conflict("This concern has already been acknowledged.").With("concernStatus", concern.Status);
        return Decision.Append(new SafeguardingConcernAcknowledged(concernId, journey.Id, concern.EpisodeNumber, actionTaken, now));
    }

    public static Task<IResult> Handle(Guid id, JsonBody<AcknowledgeConcernRequest> body, HttpContext http, WriteStep write) =>
        write.RunAsync(http, Validate(body.Read), Deciding(id, body.Read), Answer.Ok);

    public static Func<WriteAttempt, Task<Decision<SafeguardingConcern>>> Deciding(Guid id, AcknowledgeConcernRequest request) => async attempt =>
    {
        var concern = await attempt.Session.LoadAsync<SafeguardingConcern>(id, attempt.Cancellation);
        if (concern is null) return Refusal.NotFound($"No safeguarding concern has the id {id}.");
        var journey = await attempt.Stream<ConversationsJourney>(concern.ParticipantId);
        // The answer is the concern as the inline projection makes it of the acknowledgement.
        return Decide(journey, id, request.ActionTaken!, attempt.Now).Select(acknowledged => new SafeguardingConcernProjection().Apply(acknowledged, concern));
    };
}
