using Marten;
using WorkingConversations.BuildingBlocks.Auth;

namespace WorkingConversations.Conversations.Assigning;

/// <summary>
/// Who holds a participant: the lookup behind capacity checks and a practitioner's access. <see cref="Active"/> is
/// false once the episode has ended; the practitioner who held it keeps access to that ended episode until the next
/// one opens, so a late write gets the honest 409 instead of a 404.
/// </summary>
public sealed record CaseAssignment(Guid Id, Guid PractitionerId, int EpisodeNumber, bool Active, DateTimeOffset AssignedAt);

public static class ParticipantAccess
{
    /// <summary>Caseworkers reach every participant; a practitioner only those they hold (or held when the episode ended).</summary>
    public static async Task<bool> MayActOn(IQuerySession session, Actor actor, Guid participantId, CancellationToken ct)
    {
        if (actor.IsIn(Roles.Caseworker)) return true;
        if (!actor.IsIn(Roles.Practitioner) || actor.PractitionerId is null) return false;
        var assignment = await session.LoadAsync<CaseAssignment>(participantId, ct);
        return assignment is not null && assignment.PractitionerId == actor.PractitionerId;
    }
}
