using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using WorkingConversations.BuildingBlocks.Auth;

namespace WorkingConversations.BuildingBlocks.Journey.ReadingHistory;

public sealed record RecordedBy(string Role, string Name, Guid KeyId);

public sealed record HistoryItem(
    long Version, long Sequence, string Type, string Module, DateTimeOffset OccurredAt, RecordedBy RecordedBy,
    string? CorrelationId, string? CausationId, string Summary, object Data);

/// <summary>A participant's whole journey as a timeline, built from the one stream and the modules' catalog entries.</summary>
public static class GetHistory
{
    public static HistoryItem ToItem(IEvent e, JourneyCatalog catalog)
    {
        var registration = catalog.For(e.EventType);
        var actor = Actor.Parse(e.UserName);
        return new HistoryItem(e.Version, e.Sequence, registration?.WireName ?? e.EventTypeName, registration?.Module ?? "unknown", e.Timestamp,
            new RecordedBy(actor.Role, actor.Name, actor.KeyId), e.CorrelationId, e.CausationId,
            registration?.Summarise(e.Data) ?? e.EventTypeName, e.Data);
    }

    public static async Task<Results<Ok<ListPage<HistoryItem>>, ProblemHttpResult, ValidationProblem>> Handle(
        Guid id, string? order, string? module, string? type, int? limit, string? cursor,
        IQuerySession session, JourneyCatalog catalog, CancellationToken ct)
    {
        var v = new Validation();
        v.OneOf("order", order, ["asc", "desc"], required: false);
        v.InRange("limit", limit, 1, 500, required: false);
        long? after = null;
        if (cursor is not null)
        {
            if (long.TryParse(cursor, out var parsed)) after = parsed;
            else v.Add("cursor", "is not a cursor this list gave out.");
        }

        if (!v.IsValid) return v.ToProblem();

        var events = await session.Events.FetchStreamAsync(id, token: ct);
        if (events.Count == 0) return Problem.NotFound($"No participant has the id {id}.");

        var descending = order == "desc";
        var items = events
            .Select(e => ToItem(e, catalog))
            .Where(i => module is null || string.Equals(i.Module, module, StringComparison.OrdinalIgnoreCase))
            .Where(i => type is null || i.Type == type);
        items = descending ? items.OrderByDescending(i => i.Version) : items.OrderBy(i => i.Version);
        if (after is { } a) items = items.Where(i => descending ? i.Version < a : i.Version > a);

        var size = limit ?? 50;
        var page = items.Take(size + 1).ToList();
        var next = page.Count > size ? page[size - 1].Version.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        return TypedResults.Ok(new ListPage<HistoryItem>(page.Take(size).ToList(), next));
    }
}
