using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Marten;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.Referrals.Contracts;
using WorkingConversations.Referrals.Views;

namespace WorkingConversations.Referrals.Triage;

public static class AcceptReferral
{
    /// <summary>Pure: accepting is allowed from received or waitlisted.</summary>
    public static TriageDecision<ReferralAccepted> Decide(ReferralsJourney journey, Guid referralId, DateTimeOffset now)
    {
        var referral = journey.Referrals[referralId];
        if (referral.AttachedTo is not null)
        {
            return TriageDecision<ReferralAccepted>.NotAllowed(referral.Status, "This referral was attached to an episode that is already open; it cannot open another.");
        }

        return referral.Status is ReferralStatuses.Received or ReferralStatuses.Waitlisted
            ? TriageDecision<ReferralAccepted>.Allowed(new ReferralAccepted(referralId, journey.Id, referral.PartnerId, referral.EpisodeNumber, now))
            : TriageDecision<ReferralAccepted>.NotAllowed(referral.Status);
    }

    public static async Task<Results<Ok<ReferralView>, ProblemHttpResult>> Handle(
        Guid id, HttpContext http, IDocumentSession session, IMartenOutbox outbox, TimeProvider clock, CancellationToken ct)
    {
        var view = await session.LoadAsync<ReferralView>(id, ct);
        if (view is null) return Problem.NotFound($"No referral has the id {id}.");

        session.StampFrom(http, outbox);
        var stream = await session.Events.FetchForWriting<ReferralsJourney>(view.ParticipantId, ct);
        var decision = Decide(stream.Aggregate!, id, clock.GetUtcNow());
        if (decision.Event is not { } accepted) return decision.Problem!;

        stream.AppendOne(accepted);
        // Conversations opens the episode and Outcomes starts counting from this message, sent only if the append commits.
        await outbox.PublishAsync(accepted);
        await session.SaveChangesAsync(ct);
        return TypedResults.Ok(await session.LoadAsync<ReferralView>(id, ct) ?? view);
    }
}

/// <summary>The outcome of a triage rule: the event to append, or the 409 problem naming the current status.</summary>
public sealed record TriageDecision<TEvent>(TEvent? Event, ProblemHttpResult? Problem) where TEvent : class
{
    public static TriageDecision<TEvent> Allowed(TEvent e) => new(e, null);

    public static TriageDecision<TEvent> NotAllowed(string currentStatus, string? detail = null) =>
        new(null, BuildingBlocks.Problem.Conflict(
            detail ?? $"The referral is '{currentStatus}', and that does not allow this change.",
            new Dictionary<string, object?> { ["currentStatus"] = currentStatus }));
}
