using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Http;
using WorkingConversations.Conversations.Practitioners;

namespace WorkingConversations.Conversations.Assigning;

public sealed record ParticipantNeedingReassignment(
    Guid ParticipantId, int EpisodeNumber, Guid PractitionerId, string PractitionerStatus, DateTimeOffset PractitionerStatusSince, DateTimeOffset AssignedAt);

internal static class NeedsReassignment
{
    /// <summary>Pure: open participants held by a practitioner who may no longer practise; the longest waiting first.</summary>
    public static IReadOnlyList<ParticipantNeedingReassignment> Select(IEnumerable<Practitioner> practitioners, IEnumerable<CaseAssignment> assignments)
    {
        var unavailable = practitioners.Where(p => !p.MayTakeParticipants).ToDictionary(p => p.Id);
        return
        [
            .. assignments
                .Where(a => a.Active && unavailable.ContainsKey(a.PractitionerId))
                .Select(a =>
                {
                    var p = unavailable[a.PractitionerId];
                    return new ParticipantNeedingReassignment(a.Id, a.EpisodeNumber, p.Id, p.Status, p.UpdatedAt, a.AssignedAt);
                })
                .OrderBy(x => x.PractitionerStatusSince).ThenBy(x => x.AssignedAt).ThenBy(x => x.ParticipantId),
        ];
    }

    public static async Task<Results<Ok<ListPage<ParticipantNeedingReassignment>>, ValidationProblem>> Handle(
        string? limit, string? cursor, IQuerySession session, CancellationToken ct)
    {
        var v = new Validation();
        var size = ListLimit.Read(v, limit);
        var offset = ListCursor.ReadOffset(v, cursor);
        if (!v.IsValid) return v.ToProblem();

        var unavailable = await session.Query<Practitioner>().Where(p => p.Status != PractitionerStatuses.Cleared).ToListAsync(ct);
        var ids = unavailable.Select(p => p.Id).ToArray();
        var assignments = ids.Length == 0
            ? []
            : await session.Query<CaseAssignment>().Where(a => a.Active && a.PractitionerId.IsOneOf(ids)).ToListAsync(ct);
        return TypedResults.Ok(ListPage.At([.. Select(unavailable, assignments).Skip(offset).Take(size + 1)], offset, size));
    }
}
