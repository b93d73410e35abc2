using System.Globalization;
using System.Text;
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
public static class ListReferrals
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

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

        var take = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out take) || take is < 1 or > MaxLimit))
        {
            v.Add("limit", $"must be a whole number from 1 to {MaxLimit}.");
        }

        var offset = 0;
        if (cursor is not null)
        {
            if (DecodeCursor(cursor) is { } decoded) offset = decoded;
            else v.Add("cursor", "is not a cursor this list gave out.");
        }

        return v.IsValid ? (new Query(status, sinceAt, take, offset), v) : (null, v);
    }

    public static string EncodeCursor(int offset) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes("o:" + offset.ToString(CultureInfo.InvariantCulture))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static int? DecodeCursor(string cursor)
    {
        if (cursor.Length is 0 or > 40) return null;
        var base64 = cursor.Replace('-', '+').Replace('_', '/');
        base64 = base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '=');
        var bytes = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64, bytes, out var written)) return null;
        var text = Encoding.UTF8.GetString(bytes, 0, written);
        return text.StartsWith("o:", StringComparison.Ordinal) &&
               int.TryParse(text.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
            ? offset
            : null;
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
        var items = page.Take(query.Limit).Select(r => GetReferral.Present(r, actor)!).ToArray();
        var next = page.Count > query.Limit ? EncodeCursor(query.Offset + query.Limit) : null;
        return TypedResults.Ok(new ListPage<object>(items, next));
    }
}
