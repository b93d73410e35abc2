using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Marten;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Http;
using WorkingConversations.Referrals.Contracts;

namespace WorkingConversations.Referrals.Triage;

/// <summary>The body of <c>POST /api/v1/referrals/{id}/decline</c>.</summary>
public sealed record DeclineReferralRequest
{
    /// <summary>Why the referral is declined, up to 1000 characters; the partner sees it. Protected text.</summary>
    [Required, MaxLength(DeclineReferral.ReasonMaxLength)]
    [Description("Required. Why the referral is declined, at most 1000 characters. The partner sees it.")]
    public string? Reason { get; init; }

    /// <summary>Where the person was pointed instead (a service or organisation), up to 200 characters; the partner sees it.</summary>
    [MaxLength(DeclineReferral.SignpostedToMaxLength)]
    [Description("Optional. Where the person was pointed instead, at most 200 characters. The partner sees it.")]
    public string? SignpostedTo { get; init; }
}

public static class DeclineReferral
{
    public const int ReasonMaxLength = 1000;
    public const int SignpostedToMaxLength = 200;

    public static Validation Validate(DeclineReferralRequest? request)
    {
        var v = new Validation();
        if (!v.Required("body", request)) return v;
        v.RequiredText("reason", request!.Reason, ReasonMaxLength);
        if (request.SignpostedTo is not null) v.RequiredText("signpostedTo", request.SignpostedTo, SignpostedToMaxLength);
        return v;
    }

    /// <summary>Pure: declining is allowed from received or waitlisted, attached referrals included.</summary>
    public static TriageDecision<ReferralDeclined> Decide(ReferralsJourney journey, Guid referralId, DeclineReferralRequest request, DateTimeOffset now)
    {
        var referral = journey.Referrals[referralId];
        return referral.Status is ReferralStatuses.Received or ReferralStatuses.Waitlisted
            ? TriageDecision<ReferralDeclined>.Allowed(new ReferralDeclined(referralId, journey.Id, referral.PartnerId, referral.EpisodeNumber,
                request.Reason!.Trim(), request.SignpostedTo?.Trim(), now))
            : TriageDecision<ReferralDeclined>.NotAllowed(referral.Status);
    }

    public static async Task<Results<Ok<object>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, DeclineReferralRequest request, HttpContext http, IDocumentSession session, IMartenOutbox outbox, TimeProvider clock, CancellationToken ct)
    {
        var v = Validate(request);
        if (!v.IsValid) return v.ToProblem();
        return await TriageStep.Run(id, http, session, outbox, journey => Decide(journey, id, request, clock.GetUtcNow()), publish: false, ct);
    }
}
