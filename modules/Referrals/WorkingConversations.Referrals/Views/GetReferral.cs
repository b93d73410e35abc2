using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Auth;

namespace WorkingConversations.Referrals.Views;

/// <summary>A partner's view: status only, no clinical detail.</summary>
public sealed record PartnerReferral(Guid Id, Guid? ParticipantId, string PartnerReference, string Status, DateTimeOffset ReceivedAt, StatusChange[] StatusHistory);

/// <summary>A caseworker's view adds the triage detail.</summary>
public sealed record CaseworkerReferral(
    Guid Id, Guid ParticipantId, Guid PartnerId, string PartnerReference, int EpisodeNumber, string Status, DateTimeOffset ReceivedAt,
    bool AttachedToOpenEpisode, string[] RiskIndicators, StatusChange[] StatusHistory);

public static class GetReferral
{
    /// <summary>Partners see their own referrals only; another partner's is "not found", not "forbidden", so ids leak nothing.</summary>
    public static object? Present(ReferralView view, Actor actor) =>
        actor.IsIn(Roles.Partner)
            ? view.PartnerId == actor.PartnerId
                ? new PartnerReferral(view.Id, view.ParticipantId, view.PartnerReference, view.Status, view.ReceivedAt, view.StatusHistory)
                : null
            : new CaseworkerReferral(view.Id, view.ParticipantId, view.PartnerId, view.PartnerReference, view.EpisodeNumber, view.Status,
                view.ReceivedAt, view.AttachedToOpenEpisode, view.RiskIndicators, view.StatusHistory);

    public static async Task<Results<Ok<object>, ProblemHttpResult>> Handle(Guid id, HttpContext http, IQuerySession session, CancellationToken ct)
    {
        var view = await session.LoadAsync<ReferralView>(id, ct);
        var presented = view is null ? null : Present(view, Actor.From(http.User));
        return presented is null ? Problem.NotFound($"No referral has the id {id}.") : TypedResults.Ok(presented);
    }
}
