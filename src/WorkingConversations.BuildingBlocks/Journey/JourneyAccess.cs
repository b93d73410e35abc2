using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using WorkingConversations.BuildingBlocks.Auth;

namespace WorkingConversations.BuildingBlocks.Journey;

/// <summary>
/// Who may read a journey: caseworkers every one; a practitioner only a participant they hold now, decided from the
/// stream itself by the events modules registered with <see cref="JourneyCatalog.DecidesAssignment{TEvent}"/>.
/// Anyone else, or an id that is not a participant journey, is told it does not exist (404, never 403), so ids leak nothing.
/// </summary>
public static class JourneyAccess
{
    public static async Task<bool> MayRead(IQuerySession session, JourneyCatalog catalog, Actor actor, Guid participantId, CancellationToken ct)
    {
        if (!await IsJourney(session, catalog, participantId, ct)) return false;
        if (actor.IsIn(Roles.Caseworker)) return true;
        return actor.IsIn(Roles.Practitioner) && actor.PractitionerId is { } practitioner &&
               await HeldBy(session, catalog, participantId, ct) == practitioner;
    }

    public static ProblemHttpResult NotFound(Guid participantId) =>
        Problem.NotFound($"No participant with the id {participantId} is yours to see.");

    /// <summary>A participant journey starts with a registered journey event; a volunteer's stream, for one, does not.</summary>
    public static async Task<bool> IsJourney(IQuerySession session, JourneyCatalog catalog, Guid participantId, CancellationToken ct)
    {
        var first = await session.Events.QueryAllRawEvents()
            .Where(e => e.StreamId == participantId && e.Version == 1)
            .FirstOrDefaultAsync(ct);
        return first is not null && catalog.For(first.EventTypeName) is not null;
    }

    /// <summary>The practitioner named by the latest assignment-deciding event, or null when nobody holds the participant.</summary>
    public static async Task<Guid?> HeldBy(IQuerySession session, JourneyCatalog catalog, Guid participantId, CancellationToken ct)
    {
        var names = catalog.AssignmentEventNames.ToArray();
        if (names.Length == 0) return null;
        var latest = await session.Events.QueryAllRawEvents()
            .Where(e => e.StreamId == participantId && names.Contains(e.EventTypeName))
            .OrderByDescending(e => e.Version)
            .FirstOrDefaultAsync(ct);
        return latest is null ? null : catalog.PractitionerDecidedBy(latest.Data);
    }
}
