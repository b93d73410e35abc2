using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Http;
using WorkingConversations.Referrals.Contracts;

namespace WorkingConversations.Referrals.Views;

/// <summary>A referral waiting for a caseworker's decision, with how long it has waited.</summary>
public sealed record QueuedReferral(
    Guid Id, Guid ParticipantId, Guid PartnerId, string PartnerReference, int EpisodeNumber, string Status, DateTimeOffset ReceivedAt,
    long WaitingSeconds, int WaitingDays, bool AttachedToOpenEpisode, string[] RiskIndicators);

/// <summary><c>GET /api/v1/referrals/triage-queue</c>: received and waitlisted referrals, oldest first.</summary>
internal static class TriageQueue
{
    public static QueuedReferral Queued(ReferralView r, DateTimeOffset now)
    {
        var waited = now - r.ReceivedAt;
        if (waited < TimeSpan.Zero) waited = TimeSpan.Zero;
        return new QueuedReferral(r.Id, r.ParticipantId, r.PartnerId, r.PartnerReference, r.EpisodeNumber, r.Status, r.ReceivedAt,
            (long)waited.TotalSeconds, waited.Days, r.AttachedToOpenEpisode, r.RiskIndicators);
    }

    public static async Task<Results<Ok<ListPage<QueuedReferral>>, ValidationProblem>> Handle(
        IQuerySession session, TimeProvider clock, string? limit, string? cursor, CancellationToken ct)
    {
        var (query, v) = ListReferrals.Parse(null, null, limit, cursor);
        if (query is null) return v.ToProblem();

        return TypedResults.Ok(await Page(session, clock.GetUtcNow(), query, ct));
    }

    /// <summary>A page of the queue, oldest first: the API's list and the caseworkers' page.</summary>
    public static async Task<ListPage<QueuedReferral>> Page(IQuerySession session, DateTimeOffset now, ListReferrals.Query query, CancellationToken ct)
    {
        var page = await session.Query<ReferralView>()
            .Where(r => r.Status == ReferralStatuses.Received || r.Status == ReferralStatuses.Waitlisted)
            .OrderBy(r => r.ReceivedAt).ThenBy(r => r.Id)
            .Skip(query.Offset).Take(query.Limit + 1)
            .ToListAsync(ct);
        return ListPage.At([.. page.Select(r => Queued(r, now))], query.Offset, query.Limit);
    }
}
