using System.Globalization;
using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Auth;
using WorkingConversations.BuildingBlocks.Http.Idempotency;
using WorkingConversations.Referrals.Contracts;
using WorkingConversations.Referrals.Identity;

namespace WorkingConversations.Referrals.PostingReferral;

public sealed record ReferralCreated(Guid Id, Guid ParticipantId, string Status, DateTimeOffset ReceivedAt);

public static class PostReferral
{
    /// <summary>
    /// Pure: the event a referral appends. A person with no journey starts one; a returning person gets the next
    /// episode; a person whose episode is still open has the referral attached to it for a caseworker to look at.
    /// </summary>
    public static object Decide(PostReferralRequest r, ReferralsJourney? journey, Guid referralId, Guid participantId, Guid partnerId, DateTimeOffset now)
    {
        var reason = r.Reason!.Trim();
        if (journey?.OpenEpisode is { } open)
        {
            // The risks the second partner flags must reach triage as surely as the first partner's did.
            return new ReferralAttachedToOpenEpisode(referralId, participantId, partnerId, r.PartnerReference!.Trim(), open, reason, now,
                r.RiskIndicators ?? [], r.PreferredContact);
        }

        var episode = (journey?.Episodes ?? 0) + 1;
        return new ReferralReceived(referralId, participantId, partnerId, r.PartnerReference!.Trim(), episode, reason,
            r.RiskIndicators ?? [], r.PreferredContact, ReferralRules.AgeOn(r.Person!.DateOfBirth!.Value, DateOnly.FromDateTime(now.UtcDateTime)), now);
    }

    public static async Task<Results<Created<ReferralCreated>, ValidationProblem, ProblemHttpResult>> Handle(
        JsonBody<PostReferralRequest> body, HttpContext http, IDocumentSession session, TimeProvider clock, ReferralsSettings settings, CancellationToken ct)
    {
        // WithJsonBody has already answered a body that could not be read.
        var request = body.Value ?? throw new InvalidOperationException("The referral body was not read.");
        var now = clock.GetUtcNow();
        var v = ReferralValidation.Validate(request, now);
        if (!v.IsValid) return v.ToProblem();

        var actor = session.StampFrom(http);
        if (actor.PartnerId is not { } partnerId) return Problem.Validation("partnerId", "The API key is not linked to a partner.");

        var person = request.Person!;
        var keys = ReferralRules.PersonMatchKeys(person.GivenName!, person.FamilyName!, person.DateOfBirth!.Value, person.Postcode, person.NhsNumber, settings.MatchKey);
        var existing = await FindSamePerson(session, keys, ct);

        var referralId = Guid.CreateVersion7();
        var participantId = existing?.Id ?? Guid.CreateVersion7();
        object appended;
        if (existing is null)
        {
            appended = Decide(request, null, referralId, participantId, partnerId, now);
            session.Events.StartStream(participantId, appended);
        }
        else
        {
            var stream = await session.Events.FetchForWriting<ReferralsJourney>(participantId, ct);
            appended = Decide(request, stream.Aggregate, referralId, participantId, partnerId, now);
            stream.AppendOne(appended);
        }

        session.Store(new ParticipantIdentity(participantId, new SealedText(person.GivenName!.Trim()), new SealedText(person.FamilyName!.Trim()),
            new SealedText(person.DateOfBirth!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            // A later referral that leaves an optional detail out keeps the one already held: nothing stored is lost.
            SealedText.From(person.Postcode is null ? null : ReferralRules.NormalisePostcode(person.Postcode)) ?? existing?.Postcode,
            SealedText.From(person.NhsNumber is null ? null : ReferralRules.NormaliseNhsNumber(person.NhsNumber)) ?? existing?.NhsNumber,
            SealedText.From(person.Email?.Trim()) ?? existing?.Email, SealedText.From(person.Phone?.Trim()) ?? existing?.Phone,
            keys.NhsNumberKey ?? existing?.NhsKey, keys.DemographicKey ?? existing?.DemographicKey,
            existing?.FirstReferredAt ?? now));
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (Exception e) when (IsSamePersonRace(e))
        {
            return Problem.Conflict("A referral of the same person was recorded at the same moment, so this one was not. " +
                                    "Send it again: it will join that person's journey.");
        }

        return TypedResults.Created($"/api/v1/referrals/{referralId}", new ReferralCreated(referralId, participantId, ReferralStatuses.Received, now));
    }

    /// <summary>The unique match-key indexes refused a second identity for the same new person.</summary>
    private static bool IsSamePersonRace(Exception e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation } unique &&
                unique.ConstraintName?.Contains("participant", StringComparison.Ordinal) == true)
            {
                return true;
            }
        }

        return false;
    }

    private static async Task<ParticipantIdentity?> FindSamePerson(IQuerySession session, PersonMatchKeys keys, CancellationToken ct)
    {
        if (keys.NhsNumberKey is { } nhs)
        {
            var byNhs = await session.Query<ParticipantIdentity>().FirstOrDefaultAsync(p => p.NhsKey == nhs, ct);
            if (byNhs is not null) return byNhs;
        }

        return keys.DemographicKey is { } demographic
            ? await session.Query<ParticipantIdentity>().FirstOrDefaultAsync(p => p.DemographicKey == demographic, ct)
            : null;
    }
}
