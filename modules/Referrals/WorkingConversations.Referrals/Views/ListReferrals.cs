using System.Globalization;
using Marten;
using Marten.Linq;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Http;
using WorkingConversations.BuildingBlocks.Auth;
using WorkingConversations.Referrals.Contracts;

namespace WorkingConversations.Referrals.Views;

/// <summary>
/// <c>GET /api/v1/referrals?status=&amp;since=&amp;limit=&amp;cursor=</c>: a partner's own referrals, or all of them for a
/// caseworker, oldest received first. Oldest first keeps the cursor stable: new referrals join the end of the list.
/// </summary>
internal static class ListReferrals
{
    public static readonly IReadOnlyList<string> Statuses =
    [
        ReferralStatuses.Received, ReferralStatuses.Accepted, ReferralStatuses.Declined, ReferralStatuses.Waitlisted,
        ReferralStatuses.Withdrawn, ReferralStatuses.InConversation, ReferralStatuses.Ended,
    ];

    public sealed record Query(string? Status, DateTimeOffset? Since, int Limit, int Offset);

    /// <summary>Pure: reads and checks the query string, reporting every bad parameter at once.</summary>
    public static (Query? Query, Validation Validation) Parse(string? status, string? since, string? limit, string? cursor)
    {
        var v = new Validation();
        if (status is not null) v.OneOf("status", status, Statuses);

        DateTimeOffset? sinceAt = null;
        if (since is not null)
        {
            if (DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)) sinceAt = parsed;
            else v.Add("since", "must be an ISO 8601 time such as 2026-11-01T00:00:00Z.");
        }

        var take = ListLimit.Read(v, limit);
        var offset = ListCursor.ReadOffset(v, cursor);
        return v.IsValid ? (new Query(status, sinceAt, take, offset), v) : (null, v);
    }

    public static async Task<Results<Ok<ListPage<object>>, ValidationProblem>> Handle(
        HttpContext http, IQuerySession session, string? status, string? since, string? limit, string? cursor, CancellationToken ct)
    {
        var (query, v) = Parse(status, since, limit, cursor);
        if (query is null) return v.ToProblem();

        var actor = Actor.From(http.User);
        IQueryable<ReferralView> views = session.Query<ReferralView>();
        if (actor.IsIn(Roles.Partner))
        {
            var partnerId = actor.PartnerId ?? Guid.Empty;
            views = views.Where(r => r.PartnerId == partnerId);
        }

        if (query.Status is { } s) views = views.Where(r => r.Status == s);
        if (query.Since is { } from) views = views.Where(r => r.ReceivedAt >= from);

        var page = await views.OrderBy(r => r.ReceivedAt).ThenBy(r => r.Id).Skip(query.Offset).Take(query.Limit + 1).ToListAsync(ct);
        return TypedResults.Ok(ListPage.At([.. page.Select(r => GetReferral.Present(r, actor)!)], query.Offset, query.Limit));
    }
}
