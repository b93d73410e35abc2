using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Http;
using WorkingConversations.BuildingBlocks.Writing;
using WorkingConversations.VolunteerTraining.Certifying;
using WorkingConversations.VolunteerTraining.Contracts;

using WorkingConversations.BuildingBlocks.Http.Idempotency;

namespace WorkingConversations.VolunteerTraining.Dbs;

/// <summary>The decision and the facts of the check. There is deliberately no field for the certificate's number or content.</summary>
internal sealed record DbsCheckRequest(string? Eligibility, string? Level, DateOnly? IssuedOn, bool? UpdateService);

internal sealed record DbsCheckResult(Guid VolunteerId, string Eligibility, string Level, DateOnly IssuedOn, bool UpdateService, DateOnly? ValidUntil, bool Current);

/// <summary>Sent, scheduled, for the day a recorded DBS check runs out; durable, so it survives restarts in between.</summary>
public sealed record DbsCheckLapseDue(Guid VolunteerId, DateOnly ValidUntil);

internal static class RecordDbsCheck
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

    /// <summary>
    /// Pure: the check on the volunteer's record; a check that would clear nobody takes the clearance at once (and tells
    /// Conversations), and a check that runs out schedules its own lapse, stored with the event in one transaction, so the
    /// lapse happens on the day even if nobody looks at this volunteer again.
    /// </summary>
    public static Decision<DbsCheckResult> Record(Volunteer volunteer, DbsCheckRequest r, CertificationRules rules, DateTimeOffset now)
    {
        if (Recording.Refuse(volunteer) is { } refused) return refused;
        var today = Recording.Today(now);
        var recorded = Decide(volunteer.Id, r, rules, now);
        var check = new DbsCheck(recorded.Eligibility, recorded.Level, recorded.IssuedOn, recorded.UpdateService, recorded.ValidUntil);
        var decision = Decision.Of(new DbsCheckResult(volunteer.Id, recorded.Eligibility, recorded.Level, recorded.IssuedOn, recorded.UpdateService,
            recorded.ValidUntil, Requirements.DbsIsCurrent(check, rules, today))).Append(recorded);
        if (Consequence(volunteer, recorded, rules, today) is { } lapsed)
        {
            decision = decision.Append(lapsed).Publish(new PractitionerWithdrawn(volunteer.Id, lapsed.Reason, lapsed.LapsedAt));
        }

        return recorded.ValidUntil is { } until ? decision.Schedule(new DbsCheckLapseDue(volunteer.Id, until), LapsesAt(until)) : decision;
    }

    public static Task<IResult> Handle(Guid id, JsonBody<DbsCheckRequest> body, HttpContext http, WriteStep write, IOptions<CertificationRules> rules, TimeProvider clock) =>
        write.RunAsync(http, Validate(body.Read, Recording.Today(clock)),
            attempt => attempt.OnVolunteer(id, volunteer => Record(volunteer, body.Read, rules.Value, attempt.Now)), Answer.Ok);
}
