namespace WorkingConversations.VolunteerTraining.Certifying;

/// <summary>
/// What it takes to practise, from configuration section <c>VolunteerTraining:Certification</c>. The defaults are the
/// programme's published rules (docs/modules/volunteer-training.md); every required module must always be passed.
/// </summary>
internal sealed class CertificationRules
{
    public const string SectionName = "VolunteerTraining:Certification";

    public decimal VolunteerPracticeHours { get; set; } = 20m;
    public decimal ApprenticePracticeHours { get; set; } = 60m;
    public int SupervisionSessions { get; set; } = 3;

    /// <summary>The lowest DBS level accepted: basic, standard or enhanced.</summary>
    public string DbsLevel { get; set; } = DbsLevels.Enhanced;

    /// <summary>How long a check not on the update service counts from its issue date.</summary>
    public int DbsValidityYears { get; set; } = 3;

    public int VolunteerCapacity { get; set; } = 3;
    public int ApprenticeCapacity { get; set; } = 6;

    public SeniorPractitionerRules SeniorPractitioner { get; set; } = new();

    public decimal PracticeHoursFor(string programme) => programme == Programmes.Apprentice ? ApprenticePracticeHours : VolunteerPracticeHours;

    public int CapacityFor(string programme) => programme == Programmes.Apprentice ? ApprenticeCapacity : VolunteerCapacity;

    public IEnumerable<string> Check()
    {
        if (VolunteerPracticeHours < 0 || ApprenticePracticeHours < 0) yield return "Practice hours must not be negative.";
        if (SupervisionSessions < 0) yield return "SupervisionSessions must not be negative.";
        if (!DbsLevels.All.Contains(DbsLevel, StringComparer.Ordinal)) yield return $"DbsLevel must be one of {string.Join(", ", DbsLevels.All)}.";
        if (DbsValidityYears < 1) yield return "DbsValidityYears must be at least 1.";
        if (VolunteerCapacity < 1 || ApprenticeCapacity < 1 || SeniorPractitioner.Capacity < 1) yield return "Capacities must be at least 1.";
        if (SeniorPractitioner.PracticeHours < 0 || SeniorPractitioner.SupervisionSessions < 0 || SeniorPractitioner.MonthsAsPractitioner < 0)
            yield return "SeniorPractitioner requirements must not be negative.";
    }
}

/// <summary>What an apprentice practitioner needs to become a senior practitioner (section <c>...:SeniorPractitioner</c>).</summary>
internal sealed class SeniorPractitionerRules
{
    /// <summary>Supervised practice hours in all, counting those before certification.</summary>
    public decimal PracticeHours { get; set; } = 150m;

    /// <summary>Supervision sessions in all, counting those before certification.</summary>
    public int SupervisionSessions { get; set; } = 12;

    public int MonthsAsPractitioner { get; set; } = 6;
    public int Capacity { get; set; } = 8;
}
