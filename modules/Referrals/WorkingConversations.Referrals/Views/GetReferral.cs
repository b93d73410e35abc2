using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Auth;
using WorkingConversations.Referrals.Contracts;

namespace WorkingConversations.Referrals.Views;

/// <summary>
/// A partner's view: where its referral stands, with the triage reasons it needs to tell the person (why declined,
/// where signposted). No clinical detail: no risk indicators, no referral reason, no reason an episode ended.
/// </summary>
internal sealed record PartnerReferral(Guid Id, Guid? ParticipantId, string PartnerReference, string Status, DateTimeOffset ReceivedAt, StatusChange[] StatusHistory);

/// <summary>A caseworker's view adds the triage detail.</summary>
internal sealed record CaseworkerReferral(
    Guid Id, Guid ParticipantId, Guid PartnerId, string PartnerReference, int EpisodeNumber, string Status, DateTimeOffset ReceivedAt,
    DateTimeOffset UpdatedAt, bool AttachedToOpenEpisode, string[] RiskIndicators, StatusChange[] StatusHistory);

internal static class GetReferral
{
    /// <summary>Partners see their own referrals only; another partner's is "not found", not "forbidden", so ids leak nothing.</summary>
    public static object? Present(ReferralView view, Actor actor) =>
        actor.IsIn(Roles.Partner)
            ? view.PartnerId == actor.PartnerId ? ForPartner(view) : null
            : ForCaseworker(view);

    public static PartnerReferral ForPartner(ReferralView view) =>
        new(view.Id, view.ParticipantId, view.PartnerReference, view.Status, view.ReceivedAt,
            view.StatusHistory.Select(s => s.Status is ReferralStatuses.Ended or ReferralStatuses.InConversation ? s with { Reason = null } : s).ToArray());

    public static CaseworkerReferral ForCaseworker(ReferralView view) =>
        new(view.Id, view.ParticipantId, view.PartnerId, view.PartnerReference, view.EpisodeNumber, view.Status,
            view.ReceivedAt, view.UpdatedAt, view.AttachedToOpenEpisode, view.RiskIndicators, view.StatusHistory);

    public static async Task<Results<Ok<object>, ProblemHttpResult>> Handle(Guid id, HttpContext http, IQuerySession session, CancellationToken ct)
    {
        var view = await session.LoadAsync<ReferralView>(id, ct);
        var presented = view is null ? null : Present(view, Actor.From(http.User));
        return presented is null ? Problem.NotFound($"No referral has the id {id}.") : TypedResults.Ok(presented);
    }
}
