namespace WorkingConversations.Outcomes.Scoring;

/// <summary>Circumstances as recorded at one time point (measures.md, "Circumstances").</summary>
public sealed record CircumstancesSnapshot(
    string Timepoint, string Housing, string Employment, string Money, bool HasSomeoneToTurnTo, bool TakesPartInCommunity, DateTimeOffset RecordedAt);

/// <summary>How one circumstance moved between two time points, as the API and the export write it.</summary>
internal static class Transition
{
    /// <summary>Bad at the first time point, good at the second (for example not working at start, working at the end).</summary>
    public const string Gained = "gained";

    /// <summary>Good at the first, bad at the second.</summary>
    public const string Lost = "lost";

    public const string StayedGood = "stayed-good";
    public const string StayedBad = "stayed-bad";

    public static string? Between(bool? from, bool? to) => (from, to) switch
    {
        (null, _) or (_, null) => null,
        (false, true) => Gained,
        (true, false) => Lost,
        (true, true) => StayedGood,
        _ => StayedBad,
    };
}

/// <summary>
/// Transitions of each circumstance between two time points (measures.md: "Reported as transitions between two time
/// points"). Each is null when either time point is missing. The good end of each is the one named in
/// <see cref="Circumstances"/>: paid work, secure housing, meeting basic needs every month, someone to turn to,
/// taking part in a community group or activity.
/// </summary>
public sealed record CircumstanceTransitions(string? Working, string? SecureHousing, string? MeetsBasicNeeds, string? SomeoneToTurnTo, string? Community)
{
    public static CircumstanceTransitions? Between(CircumstancesSnapshot? from, CircumstancesSnapshot? to)
    {
        if (from is null || to is null) return null;
        return new CircumstanceTransitions(
            Transition.Between(Circumstances.IsWorking(from.Employment), Circumstances.IsWorking(to.Employment)),
            Transition.Between(Circumstances.IsSecurelyHoused(from.Housing), Circumstances.IsSecurelyHoused(to.Housing)),
            Transition.Between(Circumstances.MeetsBasicNeeds(from.Money), Circumstances.MeetsBasicNeeds(to.Money)),
            Transition.Between(from.HasSomeoneToTurnTo, to.HasSomeoneToTurnTo),
            Transition.Between(from.TakesPartInCommunity, to.TakesPartInCommunity));
    }
}
