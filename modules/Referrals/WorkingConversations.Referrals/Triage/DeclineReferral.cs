using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Http;
using WorkingConversations.BuildingBlocks.Writing;
using WorkingConversations.Referrals.Contracts;
using WorkingConversations.Referrals.Directory;

using WorkingConversations.BuildingBlocks.Http.Idempotency;

namespace WorkingConversations.Referrals.Triage;

/// <summary>The body of <c>POST /api/v1/referrals/{id}/decline</c>.</summary>
internal sealed record DeclineReferralRequest
{
    /// <summary>Why the referral is declined, up to 1000 characters; the partner sees it. Protected text.</summary>
    [Required, MaxLength(DeclineReferral.ReasonMaxLength)]
    [Description("Required. Why the referral is declined, at most 1000 characters. The partner sees it.")]
    public string? Reason { get; init; }

    /// <summary>
    /// Where the person was pointed instead: the id of a service of the directory, or free text (a service or organisation),
    /// up to 200 characters; the partner sees it (a directory service by its name).
    /// </summary>
    [MaxLength(DeclineReferral.SignpostedToMaxLength)]
    [Description("Optional. Where the person was pointed instead: the id of a directory service (GET /api/v1/directory/services), or free " +
                 "text, at most 200 characters. The partner sees it; a directory service by its name.")]
    public string? SignpostedTo { get; init; }
}

internal static class DeclineReferral
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

    /// <summary>
    /// Pure: declining is allowed from received or waitlisted, attached referrals included. A <paramref name="service"/>
    /// of the directory that signpostedTo named is recorded by its id, with its name for the partner to read.
    /// </summary>
    public static Decision<ReferralDeclined> Decide(ReferralsJourney journey, Guid referralId, DeclineReferralRequest request, DateTimeOffset now,
        DirectoryService? service = null)
    {
        var referral = journey.Referrals[referralId];
        return referral.Status is ReferralStatuses.Received or ReferralStatuses.Waitlisted
            ? Decision.Append(new ReferralDeclined(referralId, journey.Id, referral.PartnerId, referral.EpisodeNumber,
                request.Reason!.Trim(), service?.Name ?? request.SignpostedTo?.Trim(), now, service?.Id))
            : TriageStep.NotAllowed(referral.Status);
    }

    public static Task<IResult> Handle(Guid id, JsonBody<DeclineReferralRequest> body, HttpContext http, WriteStep write) =>
        TriageStep.Run(id, http, write, Validate(body.Value), async (journey, attempt) =>
        {
            // Free text is kept as it is; a value that is a directory service's id points to that service.
            var service = body.Value!.SignpostedTo is { } to ? await attempt.Session.LoadAsync<DirectoryService>(to.Trim(), attempt.Cancellation) : null;
            return Decide(journey, id, body.Value, attempt.Now, service);
        });
}
