using System.Globalization;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http;
using WorkingConversations.BuildingBlocks.Auth;
using WorkingConversations.BuildingBlocks.Http;
using WorkingConversations.BuildingBlocks.Journey;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.Journey.Auditing;
using WorkingConversations.Journey.Contracts;

namespace WorkingConversations.Journey.ReadingHistory;

internal sealed record RecordedBy(string Role, string Name, Guid KeyId);

internal sealed record HistoryItem(
    long Version, long Sequence, string Type, string Module, DateTimeOffset OccurredAt, RecordedBy RecordedBy,
    string? CorrelationId, string? CausationId, string Summary, object Data);

/// <summary>
/// A participant's journey as a timeline, built from the one stream and the modules' catalog entries. The page is cut
/// in SQL (by stream, version and type name, with LIMIT), so a long journey costs no more to page than a short one.
/// </summary>
internal static class GetHistory
{
    public sealed record Query(bool Descending, string[]? TypeNames, int Limit, long? AfterVersion)
    {
        /// <summary>The last version the timeline shows: a past view's (the journey as it stood then).</summary>
        public long? UpToVersion { get; init; }
    }

    public static HistoryItem ToItem(IEvent e, JourneyCatalog catalog)
    {
        var registration = catalog.For(e.EventType);
        var actor = Actor.Parse(e.UserName);
        return new HistoryItem(e.Version, e.Sequence, registration?.WireName ?? e.EventTypeName, registration?.Module ?? "unknown", e.Timestamp,
            new RecordedBy(actor.Role, actor.Name, actor.KeyId), e.CorrelationId, e.CausationId,
            registration?.Summarise(e.Data) ?? e.EventTypeName, e.Data);
    }

    /// <summary>Pure: checks the query string against the catalog, naming each bad field.</summary>
    public static (Query? Query, Validation Validation) Validate(JourneyCatalog catalog, string? order, string? module, string? type, string? limit, string? cursor)
    {
        var v = new Validation();
        v.OneOf("order", order, ["asc", "desc"], required: false);
        var size = ListLimit.Read(v, limit);
        var after = ListCursor.ReadLong(v, cursor);

        string[]? names = null;
        if (module is not null)
        {
            var modules = catalog.Modules.ToList();
            var match = modules.FirstOrDefault(m => string.Equals(m, module, StringComparison.OrdinalIgnoreCase));
            if (match is null) v.Add("module", $"must be one of {string.Join(", ", modules)}.");
            else names = catalog.Events.Where(e => e.Module == match).Select(e => e.WireName).ToArray();
        }

        if (type is not null)
        {
            if (catalog.For(type) is null) v.Add("type", "must be the wire name of a journey event, for example conversation-held.");
            else names = names is null ? [type] : names.Where(n => n == type).ToArray();
        }

        return v.IsValid ? (new Query(order == "desc", names, size, after), v) : (null, v);
    }

    /// <summary>One page of the stream's events, plus one more to tell whether another page follows.</summary>
    public static async Task<IReadOnlyList<IEvent>> Page(IQuerySession session, Guid participantId, Query q, CancellationToken ct)
    {
        var events = session.Events.QueryAllRawEvents().Where(e => e.StreamId == participantId);
        if (q.TypeNames is { } names) events = events.Where(e => names.Contains(e.EventTypeName));
        if (q.AfterVersion is { } after) events = q.Descending ? events.Where(e => e.Version < after) : events.Where(e => e.Version > after);
        if (q.UpToVersion is { } upTo) events = events.Where(e => e.Version <= upTo);
        events = q.Descending ? events.OrderByDescending(e => e.Version) : events.OrderBy(e => e.Version);
        return await events.Take(q.Limit + 1).ToListAsync(ct);
    }

    public static async Task<Results<Ok<ListPage<HistoryItem>>, ProblemHttpResult, ValidationProblem>> Handle(
        Guid id, string? order, string? module, string? type, string? limit, string? cursor,
        HttpContext http, IDocumentSession session, JourneyCatalog catalog, JourneyAccess access, TimeProvider clock, CancellationToken ct)
    {
        var (query, v) = Validate(catalog, order, module, type, limit, cursor);
        if (query is null) return v.ToProblem();

        var actor = Actor.From(http.User);
        if (!await access.MaySee(session, actor, id, ct)) return JourneyAccess.NotYours(id).AsProblem();

        var found = await Page(session, id, query, ct);
        var page = found.Take(query.Limit).Select(e => ToItem(e, catalog)).ToList();
        var next = found.Count > query.Limit ? ListCursor.After(page[^1].Version) : null;

        ReadAudit.Record(session, http, actor, id, ReadAudit.History, clock.GetUtcNow());
        await session.SaveChangesAsync(ct);
        return TypedResults.Ok(new ListPage<HistoryItem>(page, next));
    }
}
