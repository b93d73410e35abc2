using System.Globalization;
using WorkingConversations.Outcomes.Reporting;
using WorkingConversations.Outcomes.Scoring;

namespace WorkingConversations.Outcomes.Pages.Dashboard;

/// <summary>
/// The dashboard's sections (web.md, "The analyst dashboard") from the reports: each with what it counts and over whom
/// spelled out, its tables, and charts drawn from those tables. The evidence report lays out the same sections.
/// </summary>
internal static class DashboardSections
{
    public const string Nhs = "NHS Talking Therapies denominator";
    public const string AllReferrals = "all referrals";

    public static IReadOnlyList<DashboardSection> Build(DashboardData data, DisclosureSettings d, NationalReferenceSettings references) =>
    [
        Funnel(data, d), Outcomes(data, d, references), Trend(data, d), Waiting(data, d), StayingWell(data, d), Wellbeing(data, d),
        Circumstances(data, d), Cohorts(data, d),
    ];

    private static DashboardCell C(CountValue c, DisclosureSettings d) => DashboardCell.Count(c, d);

    private static DashboardCell R(decimal? rate, DisclosureSettings d, params CountValue[] from) => DashboardCell.Rate(rate, d, from);

    private static string Suppression(DisclosureSettings d) => FormattableString.Invariant(
        $"Counts from {d.SuppressFrom} to {d.SuppressTo} are shown as suppressed and never drawn; other counts are rounded to the nearest {d.RoundTo}; a rate is suppressed when a count it is made from is, and is otherwise worked out from the unrounded counts.");

    private static DashboardSection Funnel(DashboardData data, DisclosureSettings d)
    {
        var f = data.Funnel;
        var c = data.FunnelCounts;
        DashboardRow Row(string name, CountValue count, int raw) => new(name, [C(count, d), R(DisclosureControl.Rate(raw, c.Referred, d), d, count, f.Referred)]);
        var table = new DashboardTable("Referrals at each step", "Step", ["People", "Share of all referrals"],
        [
            Row("Referred", f.Referred, c.Referred), Row("Accepted", f.Accepted, c.Accepted), Row("Engaged (one conversation held)", f.Engaged, c.Engaged),
            Row("Finished treatment", f.Finished, c.Finished), Row("Recovered", f.Recovered, c.Recovered),
            Row("Sustained at 12 months", f.SustainedAt12Months, data.After.Sustained),
        ]);
        return new DashboardSection("funnel", "Funnel",
        [
            "Every referral received in the period, and how many reached each step. Each step is counted within the one before it.",
            "Finished treatment: the episode ended with 2 or more conversations held. Recovered: finished, with paired PHQ-9 and GAD-7 scores, at caseness at the start and below it at the end. Sustained at 12 months: recovered, the 12-month check-in done and no relapse up to it.",
            "Each share is over all referrals received in the period.", Suppression(d),
        ],
        [new DashboardChart("People at each step", ChartKind.Bars, table, ["People"], Shares: false)], [table]);
    }

    private static DashboardSection Outcomes(DashboardData data, DisclosureSettings d, NationalReferenceSettings references)
    {
        var s = data.Summary;
        var columns = new[] { "People with the result", "NHS denominator", $"Rate ({Nhs})", "All referrals", $"Rate ({AllReferrals})", "National figure" };
        DashboardCell National(string rate) => references.For(rate) is { } r
            ? DashboardCell.Words($"{DashboardCell.Percent(r.Value)} ({r.Description}; {r.Source}, {r.Year})")
            : DashboardCell.Words("none");
        DashboardRow Row(string name, CountValue numerator, CountValue nhs, RatePair rate, string key) =>
            new(name, [C(numerator, d), C(nhs, d), R(rate.Nhs, d, numerator, nhs), C(s.Referrals, d), R(rate.AllReferrals, d, numerator, s.Referrals), National(key)]);
        var finishedMeasurable = DisclosureControl.Count(
            Math.Max(0, (data.FunnelCounts.Finished - data.FunnelCounts.NotMeasurable)), d);
        var table = new DashboardTable("Recovery and reliable change under both denominators", "Outcome", columns,
        [
            Row("Recovery", s.Recovered, s.FinishedAtCaseness, s.RecoveryRate, "recoveryRate"),
            Row("Reliable improvement", s.ReliablyImproved, finishedMeasurable, s.ReliableImprovementRate, "reliableImprovementRate"),
            Row("Reliable recovery", s.ReliablyRecovered, s.FinishedAtCaseness, s.ReliableRecoveryRate, "reliableRecoveryRate"),
            Row("Reliable deterioration", s.ReliablyDeteriorated, finishedMeasurable, s.ReliableDeteriorationRate, "reliableDeteriorationRate"),
        ]);
        var lines = new List<ReferenceLine>();
        foreach (var (row, key) in new[] { ("Recovery", "recoveryRate"), ("Reliable improvement", "reliableImprovementRate"), ("Reliable recovery", "reliableRecoveryRate") })
        {
            if (references.For(key) is { } r) lines.Add(new ReferenceLine($"National {DashboardCell.Percent(r.Value)} ({r.Source}, {r.Year})", r.Value, row));
        }

        return new DashboardSection("outcomes", "Recovery and reliable change",
        [
            $"Each rate has the same numerator over two denominators. The {Nhs}: for recovery and reliable recovery, the people who finished treatment at caseness at the start with paired scores; for reliable improvement and deterioration, the people who finished treatment with paired scores. The {AllReferrals} denominator: every referral received in the period, whatever became of it.",
            "Recovery: at caseness at the start (PHQ-9 10 or more, or GAD-7 8 or more) and below both at the end. Reliable improvement: PHQ-9 fell by 6 or more or GAD-7 by 4 or more, and neither rose by that much. Reliable recovery: both. Paired scores: a first and a last PHQ-9 and GAD-7 from different questionnaires; finished episodes without them are counted apart and are in neither denominator's numerator.",
            $"Finished without paired scores (not measurable): {C(s.NotMeasurable, d).Text}. The national figures are NHS Talking Therapies figures from the service's settings, with their source and year.",
            Suppression(d),
        ],
        [new DashboardChart("Rates under both denominators, with the national figures", ChartKind.Bars, table, [$"Rate ({Nhs})", $"Rate ({AllReferrals})"], Shares: true,
            References: lines)], [table]);
    }

    private static DashboardSection Trend(DashboardData data, DisclosureSettings d)
    {
        var rows = data.Trend.Months.Select(m => new DashboardRow(MonthName(m.Key),
        [
            C(m.Referrals, d), R(m.RecoveryRate.Nhs, d, m.Recovered, m.FinishedAtCaseness), R(m.RecoveryRate.AllReferrals, d, m.Recovered, m.Referrals),
            R(m.ReliableImprovementRate.Nhs, d, m.ReliablyImproved, m.Finished, m.NotMeasurable), R(m.ReliableImprovementRate.AllReferrals, d, m.ReliablyImproved, m.Referrals),
            R(m.ReliableRecoveryRate.Nhs, d, m.ReliablyRecovered, m.FinishedAtCaseness), R(m.ReliableRecoveryRate.AllReferrals, d, m.ReliablyRecovered, m.Referrals),
        ])).ToList();
        var table = new DashboardTable("Referrals and rates by month of referral", "Month",
        [
            "Referrals", $"Recovery ({Nhs})", $"Recovery ({AllReferrals})", $"Reliable improvement ({Nhs})", $"Reliable improvement ({AllReferrals})",
            $"Reliable recovery ({Nhs})", $"Reliable recovery ({AllReferrals})",
        ], rows);
        return new DashboardSection("trend", "Monthly trend",
        [
            "Each month counts the referrals received in it, and the outcomes of those referrals so far, with the definitions and denominators of the recovery section. Recent months have had less time to finish.",
            Suppression(d),
        ],
        [
            new DashboardChart("Referrals by month", ChartKind.Bars, table, ["Referrals"], Shares: false),
            new DashboardChart("Recovery by month under both denominators", ChartKind.Lines, table, [$"Recovery ({Nhs})", $"Recovery ({AllReferrals})"], Shares: true),
        ], [table]);
    }

    private static readonly Dictionary<string, string> BandNames = new(StringComparer.Ordinal)
    {
        ["up-to-2-weeks"] = "Up to 2 weeks", ["2-to-4-weeks"] = "Over 2, up to 4 weeks", ["4-to-6-weeks"] = "Over 4, up to 6 weeks",
        ["6-to-12-weeks"] = "Over 6, up to 12 weeks", ["12-to-18-weeks"] = "Over 12, up to 18 weeks", ["over-18-weeks"] = "Over 18 weeks",
    };

    private static DashboardSection Waiting(DashboardData data, DisclosureSettings d)
    {
        var w = data.Waiting;
        var distribution = new DashboardTable("Wait from referral to the first conversation", "Wait", ["People"],
            [.. w.Distribution.Select(b => new DashboardRow(BandNames.GetValueOrDefault(b.Band, b.Band), [C(b.Episodes, d)])),
             new DashboardRow("Not seen (yet)", [C(w.NotSeen, d)])]);
        var seen = w.ReceivedToFirstConversation;
        var shares = new DashboardTable("Seen within 6 and 18 weeks", "Seen", ["People", "Share of people seen", "Share of all referrals"],
        [
            new("Within 6 weeks", [C(w.SeenWithin6Weeks, d), R(w.Within6WeeksRate.Nhs, d, w.SeenWithin6Weeks, seen.Episodes), R(w.Within6WeeksRate.AllReferrals, d, w.SeenWithin6Weeks, w.Referrals)]),
            new("Within 18 weeks", [C(w.SeenWithin18Weeks, d), R(w.Within18WeeksRate.Nhs, d, w.SeenWithin18Weeks, seen.Episodes), R(w.Within18WeeksRate.AllReferrals, d, w.SeenWithin18Weeks, w.Referrals)]),
            new("All seen", [C(seen.Episodes, d), DashboardCell.Words("Median " + Days(seen.MedianDays) + ", 90th percentile " + Days(seen.P90Days)), C(w.Referrals, d)]),
        ]);
        return new DashboardSection("waiting", "Waiting times",
        [
            "The days from a referral's receipt to the first conversation held, for the referrals received in the period. Not seen: declined, still waiting, or not yet seen.",
            "The shares seen within 6 weeks (42 days) and 18 weeks (126 days) have the same numerator over two denominators: the people seen (a first conversation held), and all referrals, where anyone not seen counts as not seen in time.",
            Suppression(d),
        ],
        [new DashboardChart("People by wait for a first conversation", ChartKind.Bars, distribution, ["People"], Shares: false)], [distribution, shares]);
    }

    private static string Days(decimal? days) => days is { } x ? x.ToString("0.#", CultureInfo.InvariantCulture) + " days" : "not shown";

    private static DashboardSection StayingWell(DashboardData data, DisclosureSettings d)
    {
        var s = data.StayingWell;
        var curve = new DashboardTable("Still recovered after the end", "After the end", ["At risk", "Relapsed", "Censored (check-in missed)", "Still recovered",
            $"Share still recovered ({Nhs})", $"Share still recovered ({AllReferrals})"],
            [.. s.Curve.Select(p => new DashboardRow(Months(p.Months),
            [
                C(p.AtRisk, d), C(p.Relapsed, d), C(p.Censored, d), C(p.StillRecovered, d),
                R(p.StillRecoveredShare.Nhs, d, p.AtRisk, p.Relapsed), R(p.StillRecoveredShare.AllReferrals, d, p.StillRecovered, s.Referrals),
            ]))]);
        var after = new DashboardTable("After the episode", "Result", ["People", $"Rate ({Nhs})", $"Rate ({AllReferrals})"],
        [
            new("Ended recovered", [C(s.RecoveredAtEnd, d), DashboardCell.Words("the denominator"), R(DisclosureControl.Rate(data.After.Recovered, data.After.Referrals, d), d, s.RecoveredAtEnd, s.Referrals)]),
            new("Sustained recovery", [C(s.Sustained, d), R(s.SustainedRecoveryRate.Nhs, d, s.Sustained, s.RecoveredAtEnd), R(s.SustainedRecoveryRate.AllReferrals, d, s.Sustained, s.Referrals)]),
            new("Relapse", [C(s.Relapsed, d), R(s.RelapseRate.Nhs, d, s.Relapsed, s.RecoveredAtEnd), R(s.RelapseRate.AllReferrals, d, s.Relapsed, s.Referrals)]),
            new("Recurrence", [C(s.Recurred, d), R(s.RecurrenceRate.Nhs, d, s.Recurred, s.RecoveredAtEnd), R(s.RecurrenceRate.AllReferrals, d, s.Recurred, s.Referrals)]),
            new("Returned", [C(s.Returned, d), R(s.ReturnRate.Nhs, d, s.Returned, s.Ended), R(s.ReturnRate.AllReferrals, d, s.Returned, s.Referrals)]),
        ]);
        return new DashboardSection("staying-well", "Staying well",
        [
            $"Of the people whose episode ended in recovery, the share still recovered at each check-in after the end (a survival curve). At risk: still followed at that check-in. A missed check-in censors the person: they leave the curve, counted neither as well nor as relapsed. The {Nhs} share multiplies, check-in by check-in, 1 less those relapsed over those at risk; the {AllReferrals} share is those known to be still recovered over every referral of the period.",
            $"Relapse: a follow-up within 12 months of the end at caseness and reliably worse than the episode's last score; recurrence: the same later. Sustained recovery: the 12-month check-in done and no relapse. Their {Nhs} rate is over the people who ended recovered; returned (referred again within 12 months) is over every ended episode.",
            Suppression(d),
        ],
        [new DashboardChart("Share still recovered after the end", ChartKind.Lines, curve, [$"Share still recovered ({Nhs})", $"Share still recovered ({AllReferrals})"], Shares: true)],
        [curve, after]);
    }

    private static string Months(int months) => months == 1 ? "1 month" : FormattableString.Invariant($"{months} months");

    private static DashboardSection Wellbeing(DashboardData data, DisclosureSettings d)
    {
        var w = data.Wellbeing;
        var t = w.MeaningfulChange.ToString("0.##", CultureInfo.InvariantCulture);
        var bands = new DashboardTable("SWEMWBS change from first to last", "Change", ["People"],
            [.. w.Distribution.Select(b => new DashboardRow(char.ToUpperInvariant(b.Label[0]) + b.Label[1..], [C(b.Episodes, d)]))]);
        var summary = new DashboardTable("Meaningful change", "Result", ["People", "Share of people measured", "Share of all referrals"],
        [
            new("Improved", [C(w.Improved, d), R(w.ImprovedRate.Nhs, d, w.Improved, w.Measured), R(w.ImprovedRate.AllReferrals, d, w.Improved, w.Referrals)]),
            new("No meaningful change", [C(w.NoMeaningfulChange, d), DashboardCell.Words(""), DashboardCell.Words("")]),
            new("Deteriorated", [C(w.Deteriorated, d), R(w.DeterioratedRate.Nhs, d, w.Deteriorated, w.Measured), R(w.DeterioratedRate.AllReferrals, d, w.Deteriorated, w.Referrals)]),
            new("Measured", [C(w.Measured, d), DashboardCell.Words(""), C(w.Referrals, d)]),
        ]);
        return new DashboardSection("wellbeing", "Wellbeing",
        [
            $"The change in SWEMWBS metric score from the first to the last, for people who finished treatment with two SWEMWBS questionnaires (measured). A change of {t} or more is meaningful (Shah et al. 2018 give 1 to 3; the service takes the conservative end, a setting). The chart marks it where the bands meet.",
            "The shares improved and deteriorated have the same numerator over two denominators: the people measured, and all referrals.",
            Suppression(d),
        ],
        [new DashboardChart("People by SWEMWBS change", ChartKind.Bars, bands, ["People"], Shares: false,
            Markers: [new ChartMarker($"meaningful fall ({t})", 1), new ChartMarker($"meaningful rise ({t})", 3)])],
        [bands, summary]);
    }

    private static readonly Dictionary<string, string> Names = new(StringComparer.Ordinal)
    {
        ["housing"] = "Housing", ["work"] = "Work", ["money"] = "Money", ["someone-to-turn-to"] = "Someone to turn to", ["community"] = "Community group",
        [GetCircumstances.StartToEnd] = "start to end", [GetCircumstances.StartTo12Months] = "start to 12 months",
        ["not-working"] = "not working", ["meets-basic-needs"] = "meets basic needs", ["sometimes-cannot"] = "sometimes cannot", ["usually-cannot"] = "usually cannot",
    };

    private static string Name(string code) => Names.GetValueOrDefault(code, code);

    private static DashboardSection Circumstances(DashboardData data, DisclosureSettings d)
    {
        var c = data.Circumstances;
        var summary = new DashboardTable("Gained and lost between two time points", "Circumstance",
            ["Recorded at both", "Gained", $"Gained (share of those who could)", $"Gained ({AllReferrals})", "Lost", "Lost (share of those who could)", $"Lost ({AllReferrals})"],
            [.. c.Tables.Select(t => new DashboardRow($"{Name(t.Circumstance)}, {Name(t.Between)}",
            [
                C(t.Recorded, d), C(t.Gained, d), R(t.GainedRate.Nhs, d, t.Gained, t.Recorded), R(t.GainedRate.AllReferrals, d, t.Gained, c.Referrals),
                C(t.Lost, d), R(t.LostRate.Nhs, d, t.Lost, t.Recorded), R(t.LostRate.AllReferrals, d, t.Lost, c.Referrals),
            ]))]);
        var crossTabs = c.Tables.Select(t => new DashboardTable($"{Name(t.Circumstance)}, {Name(t.Between)}", "At the start",
            [.. t.Values.Select(v => $"{(t.Between == GetCircumstances.StartToEnd ? "At the end" : "At 12 months")}: {Name(v)}")],
            [.. t.Values.Select(from => new DashboardRow(Name(from), [.. t.Values.Select(to => C(t.Cells.Single(x => x.From == from && x.To == to).Episodes, d))]))]));
        return new DashboardSection("circumstances", "Circumstances",
        [
            "How housing, work, money, having someone to turn to and taking part in a community group moved between the start and the end, and between the start and 12 months after the end (the circumstances recorded at the 12-month check-in). Each start-by-later table counts the people recorded at both time points.",
            $"Gained: from another value to the good one (secure housing, paid work, meeting basic needs every month, someone to turn to, taking part). Its first share is over the people recorded at both who were not at the good value at the start (those who could gain it); lost is over those who were. The {AllReferrals} shares are over every referral of the period.",
            Suppression(d),
        ],
        [new DashboardChart("Gained, as a share of those who could", ChartKind.Bars, summary, ["Gained (share of those who could)"], Shares: true)],
        [summary, .. crossTabs]);
    }

    private static DashboardSection Cohorts(DashboardData data, DisclosureSettings d)
    {
        var c = data.Cohorts;
        string Key(string kind, string key) => (kind, key) switch
        {
            (_, "none") => kind == "programme" ? "No conversation held" : "Certified: no conversation held",
            (_, "unknown") => "Certified: not known",
            ("programme", _) => char.ToUpperInvariant(key[0]) + key[1..] + "s",
            _ => "Certified " + key.Replace("-Q", " quarter ", StringComparison.Ordinal),
        };
        var rows = c.ByProgramme.Select(g => (kind: "programme", g)).Concat(c.ByCertifiedQuarter.Select(g => (kind: "quarter", g)))
            .Select(x => new DashboardRow(Key(x.kind, x.g.Key),
            [
                C(x.g.Referrals, d), C(x.g.Finished, d), C(x.g.Recovered, d), R(x.g.RecoveryRate.Nhs, d, x.g.Recovered, x.g.FinishedAtCaseness),
                R(x.g.RecoveryRate.AllReferrals, d, x.g.Recovered, x.g.Referrals), R(x.g.ReliableImprovementRate.Nhs, d, x.g.ReliablyImproved, x.g.Finished, x.g.NotMeasurable),
                R(x.g.ReliableImprovementRate.AllReferrals, d, x.g.ReliablyImproved, x.g.Referrals),
            ])).ToList();
        var table = new DashboardTable("Outcomes by the practitioner's training pathway", "Practitioners",
            ["Referrals", "Finished", "Recovered", $"Recovery ({Nhs})", $"Recovery ({AllReferrals})", $"Reliable improvement ({Nhs})", $"Reliable improvement ({AllReferrals})"], rows);
        return new DashboardSection("cohorts", "Practitioner cohorts",
        [
            "Each episode counts with the practitioner who held most of its conversations: by their programme (volunteer or apprentice), and by the quarter in which they were first certified. The definitions and both denominators are those of the recovery section.",
            Suppression(d),
        ],
        [new DashboardChart("Recovery by training pathway under both denominators", ChartKind.Bars, table, [$"Recovery ({Nhs})", $"Recovery ({AllReferrals})"], Shares: true)],
        [table]);
    }

    private static string MonthName(string key) =>
        DateOnly.ParseExact(key + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture).ToString("MMMM yyyy", CultureInfo.GetCultureInfo("en-GB"));
}
