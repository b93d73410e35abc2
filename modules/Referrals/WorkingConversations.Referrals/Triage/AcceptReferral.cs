using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Marten;
using WorkingConversations.Referrals.Contracts;

namespace WorkingConversations.Referrals.Triage;

public static class AcceptReferral
{
    /// <summary>Pure: accepting is allowed from received or waitlisted, and never for a referral attached to an open episode.</summary>
    public static TriageDecision<ReferralAccepted> Decide(ReferralsJourney journey, Guid referralId, DateTimeOffset now)
    {
        var referral = journey.Referrals[referralId];
        if (referral.AttachedTo is not null)
        {
            return TriageDecision<ReferralAccepted>.NotAllowed(referral.Status, "This referral was attached to an episode that is already open; it cannot open another.");
        }

        return referral.Status is ReferralStatuses.Received or ReferralStatuses.Waitlisted
            ? TriageDecision<ReferralAccepted>.Allowed(new ReferralAccepted(referralId, journey.Id, referral.PartnerId, referral.EpisodeNumber, now))
            : TriageDecision<ReferralAccepted>.NotAllowed(referral.Status);
    }

    // Conversations opens the episode and Outcomes starts counting from the published message, sent only if the append commits.
    public static Task<Results<Ok<object>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, HttpContext http, IDocumentSession session, IMartenOutbox outbox, TimeProvider clock, CancellationToken ct) =>
        TriageStep.Run(id, http, session, outbox, journey => Decide(journey, id, clock.GetUtcNow()), publish: true, ct);
}
