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

/// <summary>The body of <c>POST /api/v1/referrals/{id}/withdraw</c>.</summary>
public sealed record WithdrawReferralRequest
{
    /// <summary>Why the referral is withdrawn, up to 1000 characters. Protected text.</summary>
    [Required, MaxLength(WithdrawReferral.ReasonMaxLength)]
    [Description("Required. Why the referral is withdrawn, at most 1000 characters.")]
    public string? Reason { get; init; }
}

public static class WithdrawReferral
{
    public const int ReasonMaxLength = 1000;

    public static Validation Validate(WithdrawReferralRequest? request)
    {
        var v = new Validation();
        if (!v.Required("body", request)) return v;
        v.RequiredText("reason", request!.Reason, ReasonMaxLength);
        return v;
    }

    /// <summary>
    /// Pure: a referral can be withdrawn until it is decided, that is from received or waitlisted. Once accepted, the
    /// episode belongs to Conversations and is ended there (<c>POST /participants/{id}/end</c>).
    /// </summary>
    public static TriageDecision<ReferralWithdrawn> Decide(ReferralsJourney journey, Guid referralId, WithdrawReferralRequest request, DateTimeOffset now)
    {
        var referral = journey.Referrals[referralId];
        return referral.Status is ReferralStatuses.Received or ReferralStatuses.Waitlisted
            ? TriageDecision<ReferralWithdrawn>.Allowed(new ReferralWithdrawn(referralId, journey.Id, referral.PartnerId, referral.EpisodeNumber,
                request.Reason!.Trim(), now))
            : TriageDecision<ReferralWithdrawn>.NotAllowed(referral.Status);
    }

    /// <summary>Partners withdraw their own referrals only (another partner's is 404); caseworkers any.</summary>
    public static async Task<Results<Ok<object>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, WithdrawReferralRequest request, HttpContext http, IDocumentSession session, IMartenOutbox outbox, TimeProvider clock, CancellationToken ct)
    {
        var v = Validate(request);
        if (!v.IsValid) return v.ToProblem();
        return await TriageStep.Run(id, http, session, outbox, journey => Decide(journey, id, request, clock.GetUtcNow()), publish: false, ct);
    }
}
