using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Auth;
using WorkingConversations.BuildingBlocks.Journey;
using WorkingConversations.BuildingBlocks.Volunteers;
using WorkingConversations.VolunteerTraining.Erasing;
using WorkingConversations.VolunteerTraining.Views;

namespace WorkingConversations.VolunteerTraining.Exporting;

internal sealed record VolunteerExportEvent(long Version, string Type, DateTimeOffset At, object Data, RecordedBy RecordedBy, string? CorrelationId);

/// <summary>
/// Everything held about a volunteer, as one JSON document, for a subject access request: their profile (null once
/// erased), every event of their own stream with its data (training, supervision notes, DBS facts, certification,
/// standing), and each module's section of what it holds keyed by their practitioner id (their API keys, their practice,
/// the reads of their record and the reads they made). Recorded in the read audit before it is built, so its own list
/// of reads shows it.
/// </summary>
internal static class ExportVolunteer
{
    public static async Task<Results<Ok<Dictionary<string, object?>>, ProblemHttpResult>> Handle(
        Guid id, HttpContext http, IDocumentSession session, VolunteerCatalog catalog, IReadAudit audit, TimeProvider clock, CancellationToken ct) =>
        await Build(id, http, session, catalog, audit, clock.GetUtcNow(), ct) is { } export
            ? TypedResults.Ok(export)
            : Problem.NotFound($"No volunteer has the id {id}.");

    /// <summary>The export, recorded in the read audit first; null when no volunteer has the id. The API and the page both answer it.</summary>
    public static async Task<Dictionary<string, object?>?> Build(
        Guid id, HttpContext http, IDocumentSession session, VolunteerCatalog catalog, IReadAudit audit, DateTimeOffset now, CancellationToken ct)
    {
        var events = await session.Events.FetchStreamAsync(id, token: ct);
        if (events.Count == 0 || events[0].Data is not VolunteerEnrolled) return null;

        audit.RecordVolunteer(session, http, Actor.From(http.User), id, ReadKinds.VolunteerExport, now);
        await session.SaveChangesAsync(ct);

        var subject = await EraseVolunteer.Subject(session, catalog, id, ct);
        var export = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["volunteerId"] = id,
            ["exportedAt"] = now,
            ["version"] = events[^1].Version,
            ["profile"] = await session.LoadAsync<VolunteerProfile>(id, ct),
            ["events"] = events.Select(Present).ToList(),
        };
        foreach (var section in catalog.ExportSections) export[section.Name] = await section.Read(session, subject, ct);
        return export;
    }

    private static VolunteerExportEvent Present(IEvent e)
    {
        var actor = Actor.Parse(e.UserName);
        return new VolunteerExportEvent(e.Version, e.EventTypeName, e.Timestamp, e.Data, new RecordedBy(actor.Role, actor.KeyId, actor.Name), e.CorrelationId);
    }
}
