namespace WorkingConversations.Outcomes.Scoring;

/// <summary>
/// The questionnaires the service records and the shape of their answers, as published in measures.md ("Instruments").
/// The names are the API's wire values (api.md, "Outcomes"), so they are compared exactly, case and all.
/// </summary>
internal static class Instruments
{
    public const string Phq9 = "PHQ-9";
    public const string Gad7 = "GAD-7";
    public const string Swemwbs = "SWEMWBS";
    public const string Ons4 = "ONS4";
    public const string Ucla3 = "UCLA-3";
    public const string Wsas = "WSAS";

    // Thresholds and bands are settings, not constants: OutcomeThresholds.

    // Source: NHS Talking Therapies (formerly IAPT) manual and data set.
    public const int Phq9Items = 9;
    public const int Phq9MinAnswer = 0;
    public const int Phq9MaxAnswer = 3;
    public const int Phq9MinTotal = Phq9Items * Phq9MinAnswer;
    public const int Phq9MaxTotal = Phq9Items * Phq9MaxAnswer;

    /// <summary>0-based index of PHQ-9 item 9 (thoughts of self-harm), whose answer above 0 raises a risk indication.</summary>
    public const int Phq9RiskItemIndex = 8;

    // Source: NHS Talking Therapies (formerly IAPT) manual and data set.
    public const int Gad7Items = 7;
    public const int Gad7MinAnswer = 0;
    public const int Gad7MaxAnswer = 3;
    public const int Gad7MinTotal = Gad7Items * Gad7MinAnswer;
    public const int Gad7MaxTotal = Gad7Items * Gad7MaxAnswer;

    // Source: Warwick Medical School (SWEMWBS scoring guidance).
    public const int SwemwbsItems = 7;
    public const int SwemwbsMinAnswer = 1;
    public const int SwemwbsMaxAnswer = 5;

    // Source: Government Statistical Service harmonised standard for personal well-being (ONS4).
    public const int Ons4Items = 4;
    public const int Ons4MinAnswer = 0;
    public const int Ons4MaxAnswer = 10;

    // Source: ONS loneliness guidance (UCLA 3-item scale).
    public const int Ucla3Items = 3;
    public const int Ucla3MinAnswer = 1;
    public const int Ucla3MaxAnswer = 3;
    public const int Ucla3MinTotal = Ucla3Items * Ucla3MinAnswer;
    public const int Ucla3MaxTotal = Ucla3Items * Ucla3MaxAnswer;

    // Source: Mundt et al. 2002 and the NHS Data Dictionary.
    public const int WsasItems = 5;
    public const int WsasMinAnswer = 0;
    public const int WsasMaxAnswer = 8;
    public const int WsasMaxTotal = WsasItems * WsasMaxAnswer;

    /// <summary>0-based index of the WSAS work item, which may be "not applicable" (sent as null).</summary>
    public const int WsasWorkItemIndex = 0;

    /// <summary>Every instrument, in the order the API documents them.</summary>
    public static IReadOnlyList<string> All { get; } = [Phq9, Gad7, Swemwbs, Ons4, Ucla3, Wsas];

    /// <summary>Item count and answer range of every instrument, keyed by its exact wire name.</summary>
    public static IReadOnlyDictionary<string, InstrumentShape> Shapes { get; } = new Dictionary<string, InstrumentShape>(StringComparer.Ordinal)
    {
        [Phq9] = new(Phq9, Phq9Items, Phq9MinAnswer, Phq9MaxAnswer),
        [Gad7] = new(Gad7, Gad7Items, Gad7MinAnswer, Gad7MaxAnswer),
        [Swemwbs] = new(Swemwbs, SwemwbsItems, SwemwbsMinAnswer, SwemwbsMaxAnswer),
        [Ons4] = new(Ons4, Ons4Items, Ons4MinAnswer, Ons4MaxAnswer),
        [Ucla3] = new(Ucla3, Ucla3Items, Ucla3MinAnswer, Ucla3MaxAnswer),
        [Wsas] = new(Wsas, WsasItems, WsasMinAnswer, WsasMaxAnswer),
    };

    public static bool IsKnown(string? instrument) => instrument is not null && Shapes.ContainsKey(instrument);
}

/// <summary>How many answers an instrument has and the whole-number range each answer must fall in.</summary>
internal sealed record InstrumentShape(string Name, int Items, int MinAnswer, int MaxAnswer);

/// <summary>When in a journey a questionnaire was administered (api.md, "Outcomes": the <c>timepoint</c> field).</summary>
internal static class Timepoints
{
    public const string Start = "start";
    public const string Session = "session";
    public const string End = "end";
    public const string FollowUp = "follow-up";

    public static IReadOnlyList<string> All { get; } = [Start, Session, End, FollowUp];

    public static bool IsKnown(string? timepoint) => timepoint is not null && All.Contains(timepoint, StringComparer.Ordinal);
}

/// <summary>
/// Answers to the optional direct loneliness question asked beside UCLA-3 (ONS loneliness guidance: "How often do you
/// feel lonely?"), as the API's <c>directLoneliness</c> codes (api.md). It is not scored: it is validated, stored with
/// the UCLA-3 score and returned.
/// </summary>
internal static class DirectLonelinessAnswers
{
    public const string OftenOrAlways = "often-always";
    public const string SomeOfTheTime = "some-of-the-time";
    public const string Occasionally = "occasionally";
    public const string HardlyEver = "hardly-ever";
    public const string Never = "never";

    public static IReadOnlyList<string> All { get; } = [OftenOrAlways, SomeOfTheTime, Occasionally, HardlyEver, Never];
}
