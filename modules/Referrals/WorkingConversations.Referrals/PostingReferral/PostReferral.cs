using System.Globalization;
using Marten;
using Microsoft.AspNetCore.Http;
using WorkingConversations.BuildingBlocks.Auth;
using WorkingConversations.BuildingBlocks.Http;
using WorkingConversations.BuildingBlocks.Http.Idempotency;
using WorkingConversations.BuildingBlocks.Writing;
using WorkingConversations.Referrals.Contracts;
using WorkingConversations.Referrals.Identity;

namespace WorkingConversations.Referrals.PostingReferral;

internal sealed record ReferralCreated(Guid Id, Guid ParticipantId, string Status, DateTimeOffset ReceivedAt);

internal static class PostReferral
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

    /// <summary>
    /// Pure: the referral's event and the person's identity. A person not known to the service starts a journey, and
    /// their identity is inserted, not upserted, so that the unique match-key indexes refuse a second identity for
    /// someone referred at the same moment; a known person's referral joins their journey and keeps the identity
    /// details it leaves out.
    /// </summary>
    public static Decision<ReferralCreated> Record(PostReferralRequest r, PersonMatchKeys keys, ReferralsJourney? journey, ParticipantIdentity? known,
        Guid referralId, Guid participantId, Guid partnerId, DateTimeOffset now)
    {
        var decision = Decision.Of(new ReferralCreated(referralId, participantId, ReferralStatuses.Received, now))
            .Append(Decide(r, journey, referralId, participantId, partnerId, now));
        var identity = IdentityOf(r.Person!, keys, participantId, known, now);
        return known is null ? decision.Insert(identity) : decision.Store(identity);
    }

    public static Task<IResult> Handle(JsonBody<PostReferralRequest> body, HttpContext http, WriteStep write, TimeProvider clock, ReferralsSettings settings)
    {
        var request = body.Read;
        var actor = Actor.From(http.User);
        var (v, keys) = Check(request, actor, clock.GetUtcNow(), settings);
        var referralId = Guid.CreateVersion7();
        return write.RunAsync(http, v, attempt => Intake(attempt, request, keys!, referralId, actor.PartnerId!.Value),
            created => Answer.Created($"/api/v1/referrals/{created.Id}", created),
            WriteOptions);
    }

    /// <summary>
    /// The rules of a referral (<see cref="ReferralValidation"/>) and the key's partner; when they hold, the person's match
    /// keys. Every way in to intake (this route, FHIR messages) checks a referral with this.
    /// </summary>
    public static (BuildingBlocks.Validation Validation, PersonMatchKeys? Keys) Check(PostReferralRequest request, Actor actor, DateTimeOffset now,
        ReferralsSettings settings)
    {
        var v = ReferralValidation.Validate(request, now);
        if (v.IsValid && actor.PartnerId is null) v.Add("partnerId", "The API key is not linked to a partner.");
        var person = request.Person;
        var keys = v.IsValid
            ? ReferralRules.PersonMatchKeys(person!.GivenName!, person.FamilyName!, person.DateOfBirth!.Value, person.Postcode, person.NhsNumber, settings.MatchKey)
            : null;
        return (v, keys);
    }

    /// <summary>
    /// One attempt at recording a checked referral: the decision of <see cref="Record"/> on the person's journey. Every way
    /// in to intake writes through this, with <see cref="WriteOptions"/>.
    /// </summary>
    public static async Task<Decision<ReferralCreated>> Intake(WriteAttempt attempt, PostReferralRequest request, PersonMatchKeys keys, Guid referralId,
        Guid partnerId)
    {
        // One round trip says whether the person is known (either match key), so a known person's referral is never
        // first refused as a new person's (ADR 0008). Two referrals of one new person at the same moment both find
        // nobody; the match-key indexes then refuse the second, and its next attempt finds the first one's person.
        var existing = await FindSamePerson(attempt.Session, keys, attempt.Cancellation);
        if (existing is null)
        {
            var participantId = Guid.CreateVersion7();
            attempt.NewStream(participantId);
            return Record(request, keys, null, null, referralId, participantId, partnerId, attempt.Now);
        }

        var journey = await attempt.Stream<ReferralsJourney>(existing.Id);
        return Record(request, keys, journey, existing, referralId, existing.Id, partnerId, attempt.Now);
    }

    /// <summary>Two referrals of the same new person at the same moment: a race the next attempt decides.</summary>
    public static readonly WriteOptions WriteOptions = new() { LostRace = IsSamePerson };

    private static ParticipantIdentity IdentityOf(PersonDetails person, PersonMatchKeys keys, Guid participantId, ParticipantIdentity? existing, DateTimeOffset now) =>
        new(participantId, new SealedText(person.GivenName!.Trim()), new SealedText(person.FamilyName!.Trim()),
            new SealedText(person.DateOfBirth!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            // A later referral that leaves an optional detail out keeps the one already held: nothing stored is lost.
            SealedText.From(person.Postcode is null ? null : ReferralRules.NormalisePostcode(person.Postcode)) ?? existing?.Postcode,
            SealedText.From(person.NhsNumber is null ? null : ReferralRules.NormaliseNhsNumber(person.NhsNumber)) ?? existing?.NhsNumber,
            SealedText.From(person.Email?.Trim()) ?? existing?.Email, SealedText.From(person.Phone?.Trim()) ?? existing?.Phone,
            keys.NhsNumberKey ?? existing?.NhsKey, keys.DemographicKey ?? existing?.DemographicKey,
            existing?.FirstReferredAt ?? now)
        {
            SearchKey = keys.NameAndBirthKey ?? existing?.SearchKey,
        };

    /// <summary>The unique match-key indexes refused a second identity for the same person: known, or referred this very moment.</summary>
    private static bool IsSamePerson(Exception e) => LostRaces.IsUniqueViolation(e, "participant");

    /// <summary>
    /// The person either match key finds, in one query that the two unique match-key indexes answer; the NHS number's
    /// match wins when the keys find two different people.
    /// </summary>
    private static async Task<ParticipantIdentity?> FindSamePerson(IQuerySession session, PersonMatchKeys keys, CancellationToken ct)
    {
        var (nhs, demographic) = (keys.NhsNumberKey, keys.DemographicKey);
        var query = (nhs, demographic) switch
        {
            ({ }, { }) => session.Query<ParticipantIdentity>().Where(p => p.NhsKey == nhs || p.DemographicKey == demographic),
            ({ }, null) => session.Query<ParticipantIdentity>().Where(p => p.NhsKey == nhs),
            (null, { }) => session.Query<ParticipantIdentity>().Where(p => p.DemographicKey == demographic),
            _ => null,
        };
        if (query is null) return null;
        var found = await query.Take(2).ToListAsync(ct);
        return found.FirstOrDefault(p => nhs is not null && p.NhsKey == nhs) ?? found.FirstOrDefault();
    }
}
