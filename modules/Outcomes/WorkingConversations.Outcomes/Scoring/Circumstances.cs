namespace WorkingConversations.Outcomes.Scoring;

/// <summary>
/// The fixed choice lists for circumstances (measures.md, "Circumstances (social determinants)"), as the kebab-case
/// codes the API accepts. Connection (has someone to turn to; takes part in a community group) is two yes/no
/// answers and needs no list.
/// </summary>
internal static class Circumstances
{
    /// <summary>
    /// Whether an employment status counts as working when reporting transitions such as "not working at start,
    /// working at 12 months". Paid work only: volunteering, caring, study and retirement are valued but are not
    /// employment, and counting them would blur the employment outcome.
    /// </summary>
    public static bool IsWorking(string? employment) =>
        employment is EmploymentStatus.EmployedFullTime or EmploymentStatus.EmployedPartTime or EmploymentStatus.SelfEmployed;

    /// <summary>Secure housing is the good end of a housing transition (for example insecure at start, secure at the end).</summary>
    public static bool IsSecurelyHoused(string? housing) => housing is HousingStatus.Secure;

    /// <summary>Meeting basic needs every month is the good end of a money transition.</summary>
    public static bool MeetsBasicNeeds(string? money) => money is MoneyStatus.MeetsBasicNeeds;
}

internal static class HousingStatus
{
    public const string Secure = "secure";

    /// <summary>At risk of losing it.</summary>
    public const string Insecure = "insecure";

    public const string Temporary = "temporary";
    public const string Homeless = "homeless";

    public static IReadOnlyList<string> All { get; } = [Secure, Insecure, Temporary, Homeless];
}

internal static class EmploymentStatus
{
    public const string EmployedFullTime = "employed-full-time";
    public const string EmployedPartTime = "employed-part-time";
    public const string SelfEmployed = "self-employed";
    public const string UnemployedSeekingWork = "unemployed-seeking-work";
    public const string UnableToWorkIllHealth = "unable-to-work-ill-health";
    public const string Student = "student";
    public const string Retired = "retired";
    public const string Carer = "carer";
    public const string Volunteering = "volunteering";

    public static IReadOnlyList<string> All { get; } =
    [
        EmployedFullTime, EmployedPartTime, SelfEmployed, UnemployedSeekingWork, UnableToWorkIllHealth,
        Student, Retired, Carer, Volunteering,
    ];
}

internal static class MoneyStatus
{
    /// <summary>Can meet basic needs every month.</summary>
    public const string MeetsBasicNeeds = "meets-basic-needs";

    public const string SometimesCannot = "sometimes-cannot";
    public const string UsuallyCannot = "usually-cannot";

    public static IReadOnlyList<string> All { get; } = [MeetsBasicNeeds, SometimesCannot, UsuallyCannot];
}
