using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Marten;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Journey;
using WorkingConversations.BuildingBlocks.Auth;
using WorkingConversations.Referrals.Views;

namespace WorkingConversations.Referrals.Triage;

/// <summary>The outcome of a triage rule: the event to append, or the 409 problem naming the current status.</summary>
public sealed record TriageDecision<TEvent>(TEvent? Event, ProblemHttpResult? Problem) where TEvent : class
{
    public static TriageDecision<TEvent> Allowed(TEvent e) => new(e, null);

    public static TriageDecision<TEvent> NotAllowed(string currentStatus, string? detail = null) =>
        new(null, BuildingBlocks.LegacyProblem.Conflict(
            detail ?? $"The referral is '{currentStatus}', and that does not allow this change.",
            new Dictionary<string, object?> { ["currentStatus"] = currentStatus }));
}

/// <summary>
/// What every triage route does: find the referral the caller may see (404 otherwise), decide on the journey's current
/// state, append the event stamped with who and when, and answer with the caller's view of the result.
/// </summary>
internal static class TriageStep
{
    public static async Task<Results<Ok<object>, ValidationProblem, ProblemHttpResult>> Run<TEvent>(
        Guid id, HttpContext http, IDocumentSession session, IMartenOutbox outbox, Func<ReferralsJourney, TriageDecision<TEvent>> decide,
        bool publish, CancellationToken ct) where TEvent : class
    {
        var actor = Actor.From(http.User);
        var view = await session.LoadAsync<ReferralView>(id, ct);
        if (view is null || GetReferral.Present(view, actor) is null) return Problem.NotFound($"No referral has the id {id}.");

        session.StampFrom(http, outbox);
        var stream = await session.Events.FetchForWriting<ReferralsJourney>(view.ParticipantId, ct);
        // A client holding the journey's ETag gets 412 rather than acting on a stale picture of it.
        if (LegacyProblem.CheckIfMatch(http.Request, stream) is { } stale) return stale;
        var decision = decide(stream.Aggregate!);
        if (decision.Event is not { } e) return decision.Problem!;

        stream.AppendOne(e);
        if (publish) await outbox.PublishAsync(e);
        await session.SaveChangesAsync(ct);
        var updated = await session.LoadAsync<ReferralView>(id, ct) ?? view;
        return TypedResults.Ok(GetReferral.Present(updated, actor)!);
    }
}
