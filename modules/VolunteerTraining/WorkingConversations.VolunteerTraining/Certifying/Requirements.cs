using System.Globalization;
using WorkingConversations.VolunteerTraining.Curriculum;

namespace WorkingConversations.VolunteerTraining.Certifying;

/// <summary>One requirement and how the volunteer stands against it; <c>Requirement</c> is a stable key such as "module:SFP-01".</summary>
public sealed record RequirementStatus(string Requirement, string Description, bool Met, string Current, string Needed);

/// <summary>The pure rules of certification and promotion, shared by the certify endpoint and the trainer's progress view.</summary>
internal static class Requirements
{
    public const string PracticeHours = "practice-hours";
    public const string SupervisionSessions = "supervision-sessions";
    public const string DbsCheck = "dbs-check";
    public const string MonthsAsPractitioner = "months-as-practitioner";

    public static string ModuleKey(string code) => "module:" + code;

    /// <summary>Everything needed to be certified as a practitioner on the volunteer's programme.</summary>
    public static IReadOnlyList<RequirementStatus> ForCertification(Volunteer v, TrainingCurriculum curriculum, CertificationRules rules, DateOnly today) =>
    [
        .. Modules(v, curriculum.RequiredFor(v.Programme)),
        Hours(v.PracticeHours, rules.PracticeHoursFor(v.Programme)),
        Sessions(v.SupervisionSessions, rules.SupervisionSessions),
        Dbs(v.Dbs, rules, today),
    ];

    /// <summary>Everything an apprentice practitioner needs to become a senior practitioner.</summary>
    public static IReadOnlyList<RequirementStatus> ForSeniorPractitioner(Volunteer v, TrainingCurriculum curriculum, CertificationRules rules, DateOnly today)
    {
        var senior = rules.SeniorPractitioner;
        var months = v.PractitionerSince is { } since ? WholeMonthsBetween(DateOnly.FromDateTime(since.UtcDateTime), today) : 0;
        return
        [
            .. Modules(v, curriculum.RequiredFor(Levels.SeniorPractitioner)),
            Hours(v.PracticeHours, senior.PracticeHours),
            Sessions(v.SupervisionSessions, senior.SupervisionSessions),
            new RequirementStatus(MonthsAsPractitioner, $"At least {senior.MonthsAsPractitioner} months as a practitioner",
                months >= senior.MonthsAsPractitioner, $"{months} months", $"{senior.MonthsAsPractitioner} months"),
            Dbs(v.Dbs, rules, today),
        ];
    }

    /// <summary>A check counts while the decision is "eligible", its level is high enough and it has not run out.</summary>
    public static bool DbsIsCurrent(DbsCheck? dbs, CertificationRules rules, DateOnly today) =>
        dbs is not null && dbs.Eligibility == DbsEligibility.Eligible && DbsLevels.Rank(dbs.Level) >= DbsLevels.Rank(rules.DbsLevel) && !HasLapsed(dbs, today);

    public static bool HasLapsed(DbsCheck dbs, DateOnly today) => !dbs.UpdateService && dbs.ValidUntil is { } until && today >= until;

    public static DateOnly? ValidUntil(DateOnly issuedOn, bool updateService, CertificationRules rules) =>
        updateService ? null : issuedOn.AddYears(rules.DbsValidityYears);

    private static IEnumerable<RequirementStatus> Modules(Volunteer v, IEnumerable<CurriculumModule> required) =>
        required.Select(m =>
        {
            var result = v.Modules.GetValueOrDefault(m.Code);
            var current = result is null ? "not assessed" : result.Passed ? "passed" : $"not passed ({result.Attempts} attempt{(result.Attempts == 1 ? "" : "s")})";
            return new RequirementStatus(ModuleKey(m.Code), $"Module {m.Code} {m.Title} passed", result?.Passed == true, current, "passed");
        });

    private static RequirementStatus Hours(decimal has, decimal needed) =>
        new(PracticeHours, $"At least {Format(needed)} supervised practice hours", has >= needed, $"{Format(has)} hours", $"{Format(needed)} hours");

    private static RequirementStatus Sessions(int has, int needed) =>
        new(SupervisionSessions, $"At least {needed} supervision sessions", has >= needed, $"{has} sessions", $"{needed} sessions");

    private static RequirementStatus Dbs(DbsCheck? dbs, CertificationRules rules, DateOnly today)
    {
        var needed = $"an eligible {rules.DbsLevel} DBS check issued within {rules.DbsValidityYears} years or on the update service";
        var current = dbs switch
        {
            null => "no check recorded",
            { Eligibility: not DbsEligibility.Eligible } => $"decision: {dbs.Eligibility}",
            _ when DbsLevels.Rank(dbs.Level) < DbsLevels.Rank(rules.DbsLevel) => $"{dbs.Level} check, issued {Iso(dbs.IssuedOn)}",
            _ when HasLapsed(dbs, today) => $"{dbs.Level} check lapsed on {Iso(dbs.ValidUntil!.Value)}",
            { UpdateService: true } => $"{dbs.Level} check on the update service",
            _ => $"{dbs.Level} check valid until {Iso(dbs.ValidUntil!.Value)}",
        };
        return new RequirementStatus(DbsCheck, "A current DBS check: " + needed, DbsIsCurrent(dbs, rules, today), current, needed);
    }

    private static int WholeMonthsBetween(DateOnly from, DateOnly to)
    {
        var months = (to.Year - from.Year) * 12 + to.Month - from.Month;
        return to.Day < from.Day ? months - 1 : months;
    }

    private static string Format(decimal hours) => hours.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
