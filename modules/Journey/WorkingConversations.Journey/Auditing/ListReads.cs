using System.Globalization;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http;
using WorkingConversations.BuildingBlocks.Http;
using WorkingConversations.BuildingBlocks.Journey;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.Journey.Contracts;

namespace WorkingConversations.Journey.Auditing;

public sealed record AuditItem(
    long Id, Guid ParticipantId, string Kind, AuditActor Actor, DateTimeOffset At, string Route, string CorrelationId, string? SearchedFor = null,
    int? Found = null, Guid? VolunteerId = null)
{
    internal static AuditItem From(JourneyRead r) =>
        new(r.Id, r.ParticipantId, r.Kind, new AuditActor(r.ActorRole, r.ActorName, r.ActorKeyId), r.At, r.Route, r.CorrelationId, r.SearchedFor, r.Found,
            r.VolunteerId);
}

public sealed record AuditActor(string Role, string Name, Guid KeyId);

/// <summary>Who read which journey: <c>GET /api/v1/audit</c> for administrators, newest first, cursor-paginated.</summary>
internal static class ListReads
{
    public sealed record Query(Guid? ParticipantId, Guid? ActorKeyId, string? ActorName, DateTimeOffset? From, DateTimeOffset? To, int Limit, (DateTimeOffset At, long Id)? After);

    /// <summary>Pure: reads and checks the query string, naming each bad field.</summary>
    public static (Query? Query, Validation Validation) Validate(string? participantId, string? actor, string? from, string? to, string? limit, string? cursor)
    {
        var v = new Validation();
        Guid? participant = null;
        if (participantId is not null)
        {
            if (Guid.TryParse(participantId, out var p)) participant = p;
            else v.Add("participantId", "must be a participant id (a GUID).");
        }

        Guid? actorKey = null;
        string? actorName = null;
        if (actor is not null)
        {
            if (Guid.TryParse(actor, out var k)) actorKey = k;
            else if (v.RequiredText("actor", actor, 200)) actorName = actor;
        }

        var fromTime = Time(v, "from", from);
        var toTime = Time(v, "to", to);
        if (fromTime > toTime) v.Add("to", "must not be before 'from'.");
        var size = ListLimit.Read(v, limit);
        // Newest first: the position after the last item of a page, whose next page is older.
        var after = ListCursor.ReadTimeAndLong(v, cursor);
        return v.IsValid ? (new Query(participant, actorKey, actorName, fromTime, toTime, size, after), v) : (null, v);
    }

    internal static DateTimeOffset? Time(Validation v, string field, string? value)
    {
        if (value is null) return null;
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)) return t;
        v.Add(field, "must be a date and time in ISO 8601, for example 2026-11-01T10:00:00Z.");
        return null;
    }

    public static async Task<IReadOnlyList<JourneyRead>> Find(IQuerySession session, Query q, CancellationToken ct)
    {
        IQueryable<JourneyRead> reads = session.Query<JourneyRead>();
        if (q.ParticipantId is { } participant) reads = reads.Where(r => r.ParticipantId == participant);
        if (q.ActorKeyId is { } key) reads = reads.Where(r => r.ActorKeyId == key);
        if (q.ActorName is { } name) reads = reads.Where(r => r.ActorName == name);
        if (q.From is { } from) reads = reads.Where(r => r.At >= from);
        if (q.To is { } to) reads = reads.Where(r => r.At <= to);
        if (q.After is { } after) reads = reads.Where(r => r.At < after.At || (r.At == after.At && r.Id < after.Id));
        return await reads.OrderByDescending(r => r.At).ThenByDescending(r => r.Id).Take(q.Limit + 1).ToListAsync(ct);
    }

    public static async Task<Results<Ok<ListPage<AuditItem>>, ValidationProblem>> Handle(
        string? participantId, string? actor, string? from, string? to, string? limit, string? cursor, IQuerySession session, CancellationToken ct)
    {
        var (query, v) = Validate(participantId, actor, from, to, limit, cursor);
        if (query is null) return v.ToProblem();

        var found = await Find(session, query, ct);
        var page = found.Take(query.Limit).ToList();
        var next = found.Count > query.Limit ? ListCursor.After(page[^1].At, page[^1].Id) : null;
        return TypedResults.Ok(new ListPage<AuditItem>(page.Select(AuditItem.From).ToList(), next));
    }
}
