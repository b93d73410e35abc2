using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Http;

namespace WorkingConversations.Conversations.Safeguarding;

internal static class ListConcerns
{
    /// <summary>Caseworkers' list: oldest first, so the concern that has waited longest is on top.</summary>
    public static async Task<Results<Ok<ListPage<SafeguardingConcern>>, ValidationProblem>> Handle(
        string? status, Guid? participantId, string? limit, string? cursor, IQuerySession session, CancellationToken ct)
    {
        var v = new Validation();
        v.OneOf("status", status, ConcernStatuses.All, required: false);
        var size = ListLimit.Read(v, limit);
        var offset = ListCursor.ReadOffset(v, cursor);
        if (!v.IsValid) return v.ToProblem();

        var query = session.Query<SafeguardingConcern>().AsQueryable();
        if (status is not null) query = query.Where(c => c.Status == status);
        if (participantId is { } participant) query = query.Where(c => c.ParticipantId == participant);
        var page = await query.OrderBy(c => c.RaisedAt).ThenBy(c => c.Id).Skip(offset).Take(size + 1).ToListAsync(ct);
        return TypedResults.Ok(ListPage.At(page, offset, size));
    }
}
