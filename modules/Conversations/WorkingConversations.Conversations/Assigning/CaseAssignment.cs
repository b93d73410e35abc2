using Marten;
using WorkingConversations.BuildingBlocks.Auth;

namespace WorkingConversations.Conversations.Assigning;

/// <summary>Who holds a participant now: the lookup behind capacity checks and a practitioner's access.</summary>
public sealed record CaseAssignment(Guid Id, Guid PractitionerId, int EpisodeNumber, bool Active, DateTimeOffset AssignedAt);

public static class ParticipantAccess
{
    /// <summary>Caseworkers reach every participant; a practitioner only those assigned to them now.</summary>
    public static async Task<bool> MayActOn(IQuerySession session, Actor actor, Guid participantId, CancellationToken ct)
    {
        if (actor.IsIn(Roles.Caseworker)) return true;
        if (!actor.IsIn(Roles.Practitioner) || actor.PractitionerId is null) return false;
        var assignment = await session.LoadAsync<CaseAssignment>(participantId, ct);
        return assignment is { Active: true } && assignment.PractitionerId == actor.PractitionerId;
    }
}
