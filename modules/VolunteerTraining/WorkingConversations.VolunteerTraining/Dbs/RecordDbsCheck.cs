using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Wolverine;
using Wolverine.Marten;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Http;
using WorkingConversations.VolunteerTraining.Certifying;
using WorkingConversations.VolunteerTraining.Contracts;

namespace WorkingConversations.VolunteerTraining.Dbs;

/// <summary>The decision and the facts of the check. There is deliberately no field for the certificate's number or content.</summary>
public sealed record DbsCheckRequest(string? Eligibility, string? Level, DateOnly? IssuedOn, bool? UpdateService);

public sealed record DbsCheckResult(Guid VolunteerId, string Eligibility, string Level, DateOnly IssuedOn, bool UpdateService, DateOnly? ValidUntil, bool Current);

/// <summary>Sent, scheduled, for the day a recorded DBS check runs out; durable, so it survives restarts in between.</summary>
public sealed record DbsCheckLapseDue(Guid VolunteerId, DateOnly ValidUntil);

public static class RecordDbsCheck
{
    public static Validation Validate(DbsCheckRequest r, DateOnly today)
    {
        var v = new Validation();
        v.OneOf("eligibility", r.Eligibility, DbsEligibility.All);
        v.OneOf("level", r.Level, DbsLevels.All);
        Recording.NotInFuture(v, "issuedOn", r.IssuedOn, today);
        v.Required("updateService", r.UpdateService);
        return v;
    }

    public static DbsCheckRecorded Decide(Guid volunteerId, DbsCheckRequest r, CertificationRules rules, DateTimeOffset now) =>
        new(volunteerId, r.Eligibility!, r.Level!, r.IssuedOn!.Value, r.UpdateService!.Value,
            Requirements.ValidUntil(r.IssuedOn.Value, r.UpdateService.Value, rules), now);

    /// <summary>
    /// Pure: a newer check that would not clear anyone (not eligible, too low a level, already run out) takes away the
    /// clearance at once; waiting for the old check's date would let the practitioner keep practising on a check that no
    /// longer describes them.
    /// </summary>
    public static ClearanceLapsed? Consequence(Volunteer volunteer, DbsCheckRecorded recorded, CertificationRules rules, DateOnly today)
    {
        var check = new DbsCheck(recorded.Eligibility, recorded.Level, recorded.IssuedOn, recorded.UpdateService, recorded.ValidUntil);
        if (!volunteer.HoldsClearance || Requirements.DbsIsCurrent(check, rules, today)) return null;
        var reason = check.Eligibility != DbsEligibility.Eligible ? "DBS check decision: " + check.Eligibility
            : DbsLevels.Rank(check.Level) < DbsLevels.Rank(rules.DbsLevel) ? $"DBS check below the {rules.DbsLevel} level"
            : DbsCheckLapseDueHandler.Reason;
        return new ClearanceLapsed(volunteer.Id, reason, check.ValidUntil, recorded.RecordedAt);
    }

    /// <summary>A check lapses at the start of its <c>ValidUntil</c> day (UTC).</summary>
    public static DateTimeOffset LapsesAt(DateOnly validUntil) => new(validUntil.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    public static async Task<Results<Ok<DbsCheckResult>, ProblemHttpResult, ValidationProblem>> Handle(
        Guid id, DbsCheckRequest request, HttpContext http, IDocumentSession session, IMartenOutbox outbox, IOptions<CertificationRules> rules,
        TimeProvider clock, CancellationToken ct)
    {
        var today = Recording.Today(clock);
        var v = Validate(request, today);
        if (!v.IsValid) return v.ToProblem();

        session.StampFrom(http, outbox);
        var stream = await session.Events.FetchForWriting<Volunteer>(id, ct);
        if (stream.Aggregate is null) return Problem.NotFound($"No volunteer has the id {id}.");
        if (Recording.Refuse(stream.Aggregate) is { } refused) return refused;

        var recorded = Decide(id, request, rules.Value, clock.GetUtcNow());
        stream.AppendOne(recorded);
        if (Consequence(stream.Aggregate, recorded, rules.Value, today) is { } lapsed)
        {
            stream.AppendOne(lapsed);
            await outbox.PublishAsync(new PractitionerWithdrawn(id, lapsed.Reason, lapsed.LapsedAt));
        }

        if (recorded.ValidUntil is { } until)
        {
            // Stored with the event in one transaction: the lapse happens on the day even if nobody looks at this volunteer again.
            await outbox.ScheduleAsync(new DbsCheckLapseDue(id, until), LapsesAt(until));
        }

        await session.SaveChangesAsync(ct);
        var check = new DbsCheck(recorded.Eligibility, recorded.Level, recorded.IssuedOn, recorded.UpdateService, recorded.ValidUntil);
        return TypedResults.Ok(new DbsCheckResult(id, recorded.Eligibility, recorded.Level, recorded.IssuedOn, recorded.UpdateService,
            recorded.ValidUntil, Requirements.DbsIsCurrent(check, rules.Value, today)));
    }
}
