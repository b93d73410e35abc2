using System.Globalization;
using Marten;
using Marten.Services;
using Npgsql;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Http;
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
        JsonBody<PostReferralRequest> body, HttpContext http, IDocumentSession session, IDocumentStore store, TimeProvider clock,
        ReferralsSettings settings, CancellationToken ct)
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
        var referralId = Guid.CreateVersion7();

        // Most referrals are of someone new. They are recorded straight away, and the unique match-key indexes say when
        // the person is known after all; that saves a lookup round trip on every new person's referral.
        var newParticipantId = Guid.CreateVersion7();
        session.Logger = new KnownPersonIsNotAFailure(session.Logger);
        session.Events.StartStream(newParticipantId, Decide(request, null, referralId, newParticipantId, partnerId, now));
        session.Insert(IdentityOf(person, keys, newParticipantId, existing: null, now));
        try
        {
            await session.SaveChangesAsync(ct);
            return Created(referralId, newParticipantId, now);
        }
        catch (Exception e) when (IsSamePerson(e))
        {
            // Known, or being referred this very moment: the referral joins their journey below.
        }

        // A session whose save failed still holds its work, so the known person's referral goes through a fresh one.
        await using var known = store.LightweightSession();
        known.StampFrom(http);
        var existing = await FindSamePerson(known, keys, ct);
        if (existing is null) return SamePersonAtTheSameMoment();

        var stream = await known.Events.FetchForWriting<ReferralsJourney>(existing.Id, ct);
        stream.AppendOne(Decide(request, stream.Aggregate, referralId, existing.Id, partnerId, now));
        known.Store(IdentityOf(person, keys, existing.Id, existing, now));
        try
        {
            await known.SaveChangesAsync(ct);
        }
        catch (Exception e) when (IsSamePerson(e) || e is JasperFx.ConcurrencyException)
        {
            return SamePersonAtTheSameMoment();
        }

        return Created(referralId, existing.Id, now);
    }

    private static Created<ReferralCreated> Created(Guid referralId, Guid participantId, DateTimeOffset now) =>
        TypedResults.Created($"/api/v1/referrals/{referralId}", new ReferralCreated(referralId, participantId, ReferralStatuses.Received, now));

    private static ProblemHttpResult SamePersonAtTheSameMoment() =>
        LegacyProblem.LostRace("A referral of the same person was recorded at the same moment, so this one was not. " +
                         "Send it again: it will join that person's journey.");

    private static ParticipantIdentity IdentityOf(PersonDetails person, PersonMatchKeys keys, Guid participantId, ParticipantIdentity? existing, DateTimeOffset now) =>
        new(participantId, new SealedText(person.GivenName!.Trim()), new SealedText(person.FamilyName!.Trim()),
            new SealedText(person.DateOfBirth!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            // A later referral that leaves an optional detail out keeps the one already held: nothing stored is lost.
            SealedText.From(person.Postcode is null ? null : ReferralRules.NormalisePostcode(person.Postcode)) ?? existing?.Postcode,
            SealedText.From(person.NhsNumber is null ? null : ReferralRules.NormaliseNhsNumber(person.NhsNumber)) ?? existing?.NhsNumber,
            SealedText.From(person.Email?.Trim()) ?? existing?.Email, SealedText.From(person.Phone?.Trim()) ?? existing?.Phone,
            keys.NhsNumberKey ?? existing?.NhsKey, keys.DemographicKey ?? existing?.DemographicKey,
            existing?.FirstReferredAt ?? now);

    /// <summary>The unique match-key indexes refused a second identity for the same person.</summary>
    private static bool IsSamePerson(Exception e)
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

    /// <summary>
    /// A referral of a known person is found out by the unique index refusing the new identity; that is the expected
    /// path, not a failure for the operators' log. Anything else is logged as before.
    /// </summary>
    private sealed class KnownPersonIsNotAFailure(IMartenSessionLogger inner) : IMartenSessionLogger
    {
        public void LogSuccess(NpgsqlCommand command) => inner.LogSuccess(command);

        public void LogSuccess(NpgsqlBatch batch) => inner.LogSuccess(batch);

        public void LogFailure(NpgsqlCommand command, Exception ex)
        {
            if (!IsSamePerson(ex)) inner.LogFailure(command, ex);
        }

        public void LogFailure(NpgsqlBatch batch, Exception ex)
        {
            if (!IsSamePerson(ex)) inner.LogFailure(batch, ex);
        }

        public void LogFailure(Exception ex, string message)
        {
            if (!IsSamePerson(ex)) inner.LogFailure(ex, message);
        }

        public void RecordSavedChanges(IDocumentSession session, IChangeSet commit) => inner.RecordSavedChanges(session, commit);

        public void OnBeforeExecute(NpgsqlCommand command) => inner.OnBeforeExecute(command);

        public void OnBeforeExecute(NpgsqlBatch batch) => inner.OnBeforeExecute(batch);
    }
}
