namespace WorkingConversations.Outcomes.Scoring;

/// <summary>
/// Age at referral reported as a band, never as a date of birth or an exact age, so that an analyst's row cannot be
/// matched to a person (product.md: analysts never see a date of birth). Bands follow the ONS standard adult bands,
/// with 16-17 apart because the service accepts people from 16 (api.md: age 16 or over).
/// </summary>
internal static class AgeBands
{
    public const string Under18 = "16-17";

    public static IReadOnlyList<string> All { get; } = [Under18, "18-24", "25-34", "35-44", "45-54", "55-64", "65+"];

    /// <summary>The band of an age in whole years; null below 16, which the service never accepts.</summary>
    public static string? Of(int age) => age switch
    {
        < 16 => null,
        < 18 => Under18,
        < 25 => "18-24",
        < 35 => "25-34",
        < 45 => "35-44",
        < 55 => "45-54",
        < 65 => "55-64",
        _ => "65+",
    };
}
