using Microsoft.AspNetCore.Http;
using WorkingConversations.BuildingBlocks.Writing;
using WorkingConversations.Referrals.Contracts;

using WorkingConversations.BuildingBlocks.Http.Idempotency;

namespace WorkingConversations.Referrals.Triage;

internal static class AcceptReferral
{
    /// <summary>Pure: accepting is allowed from received or waitlisted, and never for a referral attached to an open episode.</summary>
    public static Decision<ReferralAccepted> Decide(ReferralsJourney journey, Guid referralId, DateTimeOffset now)
    {
        var referral = journey.Referrals[referralId];
        if (referral.AttachedTo is not null)
        {
            return TriageStep.NotAllowed(referral.Status, "This referral was attached to an episode that is already open; it cannot open another.");
        }

        if (referral.Status is not (ReferralStatuses.Received or ReferralStatuses.Waitlisted)) return TriageStep.NotAllowed(referral.Status);
        // Conversations opens the episode and Outcomes starts counting from the published message, sent only if the append commits.
        var accepted = new ReferralAccepted(referralId, journey.Id, referral.PartnerId, referral.EpisodeNumber, now);
        return Decision.Append(accepted).Publish(accepted);
    }

    public static Task<IResult> Handle(Guid id, JsonBody<NoFields> body, HttpContext http, WriteStep write) =>
        TriageStep.Run(id, http, write, (journey, now) => Decide(journey, id, now));
}
