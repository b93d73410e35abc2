using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http;
using WorkingConversations.BuildingBlocks.Auth;
using WorkingConversations.BuildingBlocks.Http;
using WorkingConversations.BuildingBlocks.Journey;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.Journey.Auditing;
using WorkingConversations.Journey.Contracts;
using WorkingConversations.Journey.ReadingHistory;

namespace WorkingConversations.Journey.Exporting;

/// <summary>
/// Everything held about a person, as one JSON document, for a subject access request: each module's registered
/// section (Referrals gives the identity), every event of the journey with its data (questionnaires are events), and
/// every recorded read of the journey, this export included.
/// </summary>
internal static class ExportJourney
{
    public static async Task<Results<Ok<Dictionary<string, object?>>, ProblemHttpResult>> Handle(
        Guid id, HttpContext http, IDocumentSession session, JourneyCatalog catalog, JourneyAccess access, TimeProvider clock, CancellationToken ct)
    {
        var actor = Actor.From(http.User);
        if (!await access.MaySee(session, actor, id, ct)) return JourneyAccess.NotYours(id).AsProblem();
        return TypedResults.Ok(await Build(id, http, actor, session, catalog, clock.GetUtcNow(), ct));
    }

    /// <summary>The export of a participant the caller may see, recorded in the read audit first: the API's answer and the page's download.</summary>
    public static async Task<Dictionary<string, object?>> Build(
        Guid id, HttpContext http, Actor actor, IDocumentSession session, JourneyCatalog catalog, DateTimeOffset now, CancellationToken ct)
    {
        // Recorded first, so the export's own list of reads shows this one too.
        ReadAudit.Record(session, http, actor, id, ReadAudit.Export, now);
        await session.SaveChangesAsync(ct);

        var events = await session.Events.FetchStreamAsync(id, token: ct);
        var export = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["participantId"] = id,
            ["exportedAt"] = now,
            ["version"] = events.Count == 0 ? 0 : events[^1].Version,
        };
        foreach (var section in catalog.ExportSections) export[section.Name] = await section.Read(session, id, ct);

        export["events"] = events.Select(e => GetHistory.ToItem(e, catalog)).ToList();
        var reads = await session.Query<JourneyRead>().Where(r => r.ParticipantId == id)
            .OrderBy(r => r.At).ThenBy(r => r.Id).ToListAsync(ct);
        export["reads"] = reads.Select(AuditItem.From).ToList();
        return export;
    }
}
