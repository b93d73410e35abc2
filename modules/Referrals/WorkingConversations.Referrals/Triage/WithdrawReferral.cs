using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Http;
using WorkingConversations.BuildingBlocks.Writing;
using WorkingConversations.Referrals.Contracts;

using WorkingConversations.BuildingBlocks.Http.Idempotency;

namespace WorkingConversations.Referrals.Triage;

/// <summary>The body of <c>POST /api/v1/referrals/{id}/withdraw</c>.</summary>
internal sealed record WithdrawReferralRequest
{
    /// <summary>Why the referral is withdrawn, up to 1000 characters. Protected text.</summary>
    [Required, MaxLength(WithdrawReferral.ReasonMaxLength)]
    [Description("Required. Why the referral is withdrawn, at most 1000 characters.")]
    public string? Reason { get; init; }
}

internal static class WithdrawReferral
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
    public static Decision<ReferralWithdrawn> Decide(ReferralsJourney journey, Guid referralId, WithdrawReferralRequest request, DateTimeOffset now)
    {
        var referral = journey.Referrals[referralId];
        return referral.Status is ReferralStatuses.Received or ReferralStatuses.Waitlisted
            ? Decision.Append(new ReferralWithdrawn(referralId, journey.Id, referral.PartnerId, referral.EpisodeNumber, request.Reason!.Trim(), now))
            : TriageStep.NotAllowed(referral.Status);
    }

    /// <summary>Partners withdraw their own referrals only (another partner's is 404); caseworkers any.</summary>
    public static Task<IResult> Handle(Guid id, JsonBody<WithdrawReferralRequest> body, HttpContext http, WriteStep write) =>
        TriageStep.Run(id, http, write, Validate(body.Value), (journey, now) => Decide(journey, id, body.Value!, now));
}
