using Microsoft.Extensions.Configuration;
using WorkingConversations.Outcomes.Scoring;

namespace WorkingConversations.Outcomes;

/// <summary>
/// The module's settings, read from the <c>Outcomes</c> configuration section. Every threshold defaults to its
/// published value (measures.md); configuration can change them, and the projections re-derive from the stored scores.
/// </summary>
internal static class OutcomesSettings
{
    public const string Section = "Outcomes";

    /// <summary>
    /// The one <see cref="OutcomeThresholds"/> of the host (<c>Outcomes:Thresholds</c>). A setting that cannot be used
    /// stops the start-up naming it, rather than scoring questionnaires against it.
    /// </summary>
    public static OutcomeThresholds Thresholds(IConfiguration configuration)
    {
        var s = configuration.GetSection(Section + ":Thresholds");
        var d = OutcomeThresholds.Default;
        IReadOnlyList<int> Bounds(string name, IReadOnlyList<int> fallback) => s.GetSection(name).Get<int[]>() is { Length: > 0 } set ? set : fallback;
        var thresholds = d with
        {
            Phq9Caseness = s.GetValue(nameof(d.Phq9Caseness), d.Phq9Caseness),
            Gad7Caseness = s.GetValue(nameof(d.Gad7Caseness), d.Gad7Caseness),
            Phq9ReliableChange = s.GetValue(nameof(d.Phq9ReliableChange), d.Phq9ReliableChange),
            Gad7ReliableChange = s.GetValue(nameof(d.Gad7ReliableChange), d.Gad7ReliableChange),
            SwemwbsMeaningfulChange = s.GetValue(nameof(d.SwemwbsMeaningfulChange), d.SwemwbsMeaningfulChange),
            FinishedTreatmentConversations = s.GetValue(nameof(d.FinishedTreatmentConversations), d.FinishedTreatmentConversations),
            Phq9BandsFrom = Bounds(nameof(d.Phq9BandsFrom), d.Phq9BandsFrom),
            Gad7BandsFrom = Bounds(nameof(d.Gad7BandsFrom), d.Gad7BandsFrom),
            Ucla3Lonely = s.GetValue(nameof(d.Ucla3Lonely), d.Ucla3Lonely),
            WsasSignificantFrom = s.GetValue(nameof(d.WsasSignificantFrom), d.WsasSignificantFrom),
            WsasSevereAbove = s.GetValue(nameof(d.WsasSevereAbove), d.WsasSevereAbove),
            Ons4PositiveBandsFrom = Bounds(nameof(d.Ons4PositiveBandsFrom), d.Ons4PositiveBandsFrom),
            Ons4AnxietyBandsFrom = Bounds(nameof(d.Ons4AnxietyBandsFrom), d.Ons4AnxietyBandsFrom),
        };
        var problems = thresholds.Problems();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("The outcome thresholds cannot be used: " +
                string.Join(" ", problems.Select(p => $"{Section}:Thresholds:{p.Setting} {p.Rule}")));
        }

        return thresholds;
    }

    public static FollowUpSettings FollowUps(IConfiguration configuration)
    {
        var s = configuration.GetSection(Section + ":FollowUps");
        var d = FollowUpSettings.Default;
        var months = s.GetSection(nameof(d.IntervalsMonths)).Get<int[]>();
        return d with
        {
            IntervalsMonths = months is { Length: > 0 } ? [.. months.Where(m => m > 0).Distinct().Order()] : d.IntervalsMonths,
            GraceDays = s.GetValue(nameof(d.GraceDays), d.GraceDays),
            RelapseWindowMonths = s.GetValue(nameof(d.RelapseWindowMonths), d.RelapseWindowMonths),
        };
    }

    public static DisclosureSettings Disclosure(IConfiguration configuration)
    {
        var s = configuration.GetSection(Section + ":Disclosure");
        var d = DisclosureSettings.Default;
        return d with
        {
            SuppressFrom = s.GetValue(nameof(d.SuppressFrom), d.SuppressFrom),
            SuppressTo = s.GetValue(nameof(d.SuppressTo), d.SuppressTo),
            RoundTo = s.GetValue(nameof(d.RoundTo), d.RoundTo),
        };
    }
}
