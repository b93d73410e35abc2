using Marten;
using WorkingConversations.BuildingBlocks.Auth;
using WorkingConversations.BuildingBlocks.Writing;

namespace WorkingConversations.BuildingBlocks.Journey;

/// <summary>
/// The one rule of who may see a participant, and so read or write their journey: caseworkers every one; a practitioner
/// only a participant they hold, decided from the journey stream itself by the events modules registered with
/// <see cref="JourneyCatalog.DecidesAssignment{TEvent}"/> (a practitioner keeps an ended episode until the next one opens).
/// Anyone else, or an id that is not a participant journey, is told it does not exist (404, never 403), so ids leak nothing.
/// </summary>
public sealed class JourneyAccess(JourneyCatalog catalog)
{
    private readonly string[] _assignmentEvents = [.. catalog.AssignmentEventNames];

    public async Task<bool> MaySee(IQuerySession session, Actor actor, Guid participantId, CancellationToken ct)
    {
        if (actor.IsIn(Roles.Caseworker))
        {
            var first = await session.Events.QueryAllRawEvents()
                .Where(e => e.StreamId == participantId && e.Version == 1)
                .FirstOrDefaultAsync(ct);
            return first is not null && catalog.For(first.EventTypeName) is not null;
        }

        if (!actor.IsIn(Roles.Practitioner) || actor.PractitionerId is not { } practitioner || _assignmentEvents.Length == 0) return false;

        // One read: the stream's first event (is it a journey?) and every event that decides who holds the participant.
        var names = _assignmentEvents;
        var events = await session.Events.QueryAllRawEvents()
            .Where(e => e.StreamId == participantId && (e.Version == 1 || names.Contains(e.EventTypeName)))
            .OrderBy(e => e.Version)
            .ToListAsync(ct);
        if (events.Count == 0 || events[0].Version != 1 || catalog.For(events[0].EventTypeName) is null) return false;
        var latest = events.LastOrDefault(e => names.Contains(e.EventTypeName));
        return latest is not null && catalog.PractitionerDecidedBy(latest.Data) == practitioner;
    }

    /// <summary>What a caller who may not see the participant is told: that there is none.</summary>
    public static Refusal NotYours(Guid participantId) => Refusal.NotFound($"No participant with the id {participantId} is yours to see.");
}
