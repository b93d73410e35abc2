using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Http;
using WorkingConversations.BuildingBlocks.Writing;
using WorkingConversations.Referrals.Contracts;

using WorkingConversations.BuildingBlocks.Http.Idempotency;

namespace WorkingConversations.Referrals.Triage;

/// <summary>The body of <c>POST /api/v1/referrals/{id}/waitlist</c>.</summary>
internal sealed record WaitlistReferralRequest
{
    /// <summary>Optional: why the referral waits, up to 1000 characters; the partner sees it. Protected text.</summary>
    [MaxLength(WaitlistReferral.ReasonMaxLength)]
    [Description("Optional. Why the referral waits, at most 1000 characters. The partner sees it.")]
    public string? Reason { get; init; }
}

internal static class WaitlistReferral
{
    public const int ReasonMaxLength = 1000;

    public static Validation Validate(WaitlistReferralRequest? request)
    {
        var v = new Validation();
        if (request?.Reason is not null) v.RequiredText("reason", request.Reason, ReasonMaxLength);
        return v;
    }

    /// <summary>
    /// Pure: only a received referral can be waitlisted. A referral attached to an open episode cannot: it opens no
    /// episode of its own to wait for, so it is declined or withdrawn instead.
    /// </summary>
    public static Decision<ReferralWaitlisted> Decide(ReferralsJourney journey, Guid referralId, WaitlistReferralRequest? request, DateTimeOffset now)
    {
        var referral = journey.Referrals[referralId];
        if (referral.AttachedTo is not null)
        {
            return TriageStep.NotAllowed(referral.Status,
                "This referral was attached to an episode that is already open; decline or withdraw it instead.");
        }

        return referral.Status == ReferralStatuses.Received
            ? Decision.Append(new ReferralWaitlisted(referralId, journey.Id, referral.PartnerId, referral.EpisodeNumber, request?.Reason?.Trim(), now))
            : TriageStep.NotAllowed(referral.Status);
    }

    public static Task<IResult> Handle(Guid id, JsonBody<WaitlistReferralRequest> body, HttpContext http, WriteStep write) =>
        TriageStep.Run(id, http, write, Validate(body.Value), (journey, now) => Decide(journey, id, body.Value, now));
}
