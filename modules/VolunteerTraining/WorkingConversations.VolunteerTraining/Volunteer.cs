using System.Collections.Immutable;

namespace WorkingConversations.VolunteerTraining;

internal static class Programmes
{
    public const string Volunteer = "volunteer";
    public const string Apprentice = "apprentice";
    public static readonly string[] All = [Volunteer, Apprentice];
}

/// <summary>Where a volunteer stands. Only <c>certified</c> may take participants.</summary>
internal static class VolunteerStatuses
{
    public const string InTraining = "in-training";
    public const string Certified = "certified";
    public const string Suspended = "suspended";
    public const string Lapsed = "lapsed";
    public const string Withdrawn = "withdrawn";
}

/// <summary>Levels of practice. Volunteers stop at practitioner; apprentices may go on to senior practitioner.</summary>
internal static class Levels
{
    public const string Trainee = "trainee";
    public const string Practitioner = "practitioner";
    public const string SeniorPractitioner = "senior-practitioner";
}

internal static class DbsLevels
{
    public const string Basic = "basic";
    public const string Standard = "standard";
    public const string Enhanced = "enhanced";
    public static readonly string[] All = [Basic, Standard, Enhanced];

    /// <summary>Basic below standard below enhanced: a higher check meets a lower requirement.</summary>
    public static int Rank(string level) => Array.IndexOf(All, level);
}

internal static class DbsEligibility
{
    public const string Eligible = "eligible";
    public const string NotEligible = "not-eligible";
    public static readonly string[] All = [Eligible, NotEligible];
}

internal sealed record ModuleResult(string Code, bool Passed, int? BestScore, DateOnly LastAssessedOn, int Attempts);

public sealed record DbsCheck(string Eligibility, string Level, DateOnly IssuedOn, bool UpdateService, DateOnly? ValidUntil);

/// <summary>A volunteer's training record, folded from their stream.</summary>
internal sealed record Volunteer(
    Guid Id,
    string Programme,
    DateTimeOffset EnrolledAt,
    string Status,
    string Level,
    int Capacity,
    DateTimeOffset? CertifiedAt,
    DateTimeOffset? PractitionerSince,
    ImmutableDictionary<string, ModuleResult> Modules,
    decimal PracticeHours,
    int SupervisionSessions,
    DbsCheck? Dbs)
{
    /// <summary>
    /// A suspension stands until someone reinstates the volunteer, even if their clearance lapses meanwhile: a lapse
    /// followed by a new DBS check must not lift it by the back door.
    /// </summary>
    public bool UnderSuspension { get; init; }

    /// <summary>When the volunteer was erased, with the steps it took; null while they have not been.</summary>
    public VolunteerErased? Erasure { get; init; }

    /// <summary>Cleared to practise, possibly suspended: the states Conversations has been told about.</summary>
    public bool HoldsClearance => Status is VolunteerStatuses.Certified or VolunteerStatuses.Suspended;

    public static Volunteer Create(VolunteerEnrolled e) =>
        new(e.VolunteerId, e.Programme, e.EnrolledAt, VolunteerStatuses.InTraining, Levels.Trainee, 0, null, null,
            ImmutableDictionary.Create<string, ModuleResult>(StringComparer.OrdinalIgnoreCase), 0m, 0, null);

    public Volunteer Apply(ModuleAssessed e)
    {
        var previous = Modules.GetValueOrDefault(e.ModuleCode);
        // A pass, once earned, stands: a later weaker attempt does not undo it.
        var result = new ModuleResult(e.ModuleCode, e.Passed || previous?.Passed == true, Best(previous?.BestScore, e.Score),
            previous is null || previous.LastAssessedOn < e.AssessedOn ? e.AssessedOn : previous.LastAssessedOn, (previous?.Attempts ?? 0) + 1);
        return this with { Modules = Modules.SetItem(e.ModuleCode, result) };
    }

    public Volunteer Apply(PracticeHoursLogged e) => this with { PracticeHours = PracticeHours + e.Hours };

    public Volunteer Apply(SupervisionSessionRecorded e) => this with { SupervisionSessions = SupervisionSessions + 1 };

    public Volunteer Apply(DbsCheckRecorded e) => this with { Dbs = new DbsCheck(e.Eligibility, e.Level, e.IssuedOn, e.UpdateService, e.ValidUntil) };

    public Volunteer Apply(VolunteerCertified e) => this with
    {
        Status = VolunteerStatuses.Certified, CertifiedAt = e.CertifiedAt, Capacity = e.Capacity,
        // Re-certifying after a lapse keeps a senior practitioner senior.
        Level = Level == Levels.Trainee ? Levels.Practitioner : Level,
        PractitionerSince = PractitionerSince ?? e.CertifiedAt,
    };

    public Volunteer Apply(ApprenticePromoted e) => this with { Level = e.Level, Capacity = e.Capacity };

    public Volunteer Apply(CapacityChanged e) => this with { Capacity = e.Capacity };

    public Volunteer Apply(VolunteerSuspended e) => this with { Status = VolunteerStatuses.Suspended, UnderSuspension = true };

    /// <summary>Reinstating lifts the suspension; a volunteer whose clearance lapsed meanwhile stays lapsed until re-certified.</summary>
    public Volunteer Apply(VolunteerReinstated e) => this with
    {
        Status = Status == VolunteerStatuses.Suspended ? VolunteerStatuses.Certified : Status,
        UnderSuspension = false,
    };

    public Volunteer Apply(VolunteerWithdrawn e) => this with { Status = VolunteerStatuses.Withdrawn };

    public Volunteer Apply(ClearanceLapsed e) => this with { Status = VolunteerStatuses.Lapsed };

    public Volunteer Apply(VolunteerErased e) => this with { Erasure = e };

    private static int? Best(int? a, int? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);
}

/// <summary>Who the volunteer is; personal data kept out of the stream so it can be erased.</summary>
internal sealed record VolunteerProfile(Guid Id, string GivenName, string FamilyName, string Email)
{
    /// <summary>What a volunteer's views show in place of the profile once it has been erased.</summary>
    public static VolunteerProfile Erased(Guid id) => new(id, BuildingBlocks.Http.ProtectedText.Masked, BuildingBlocks.Http.ProtectedText.Masked,
        BuildingBlocks.Http.ProtectedText.Masked);
}
