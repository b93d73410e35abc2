using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using WorkingConversations.Outcomes.Scoring;

namespace WorkingConversations.Outcomes.Reporting;

/// <summary>One cell of a start-by-later table: episodes that were <c>from</c> at the start and <c>to</c> at the later time point.</summary>
internal sealed record TransitionCell(string From, string To, CountValue Episodes);

/// <summary>
/// One circumstance between the start and a later time point (<c>start-to-end</c>, or <c>start-to-12-months</c>: the
/// follow-up circumstances in the 12-month check-in's window). <c>recorded</c> episodes have both time points; every pair
/// of <c>values</c> has its cell, zeros included. <c>gained</c> went from a value other than <c>good</c> to it, <c>lost</c>
/// the other way; <c>gainedRate.nhs</c> is over the recorded episodes not at <c>good</c> at the start (those who could
/// gain it), <c>lostRate.nhs</c> over those at it; both <c>allReferrals</c> over every referral of the period.
/// </summary>
internal sealed record CircumstanceTable(
    string Circumstance, string Between, IReadOnlyList<string> Values, string Good, CountValue Recorded, IReadOnlyList<TransitionCell> Cells,
    CountValue Gained, CountValue Lost, RatePair GainedRate, RatePair LostRate);

internal sealed record CircumstancesReport(DateOnly From, DateOnly To, Guid? PartnerId, string? Programme, CountValue Referrals, IReadOnlyList<CircumstanceTable> Tables);

internal static class GetCircumstances
{
    public const string StartToEnd = "start-to-end";
    public const string StartTo12Months = "start-to-12-months";

    /// <summary>
    /// The five circumstances, their values in table order, their good end, and their value in a snapshot (null: not
    /// recorded). Work is paid work or not (<see cref="Scoring.Circumstances.IsWorking"/>): nine employment codes make a
    /// table of 81 cells that disclosure control would leave nearly empty, and paid work is the transition measures.md names.
    /// </summary>
    public static readonly (string Name, string[] Values, string Good, Func<CircumstancesSnapshot, string?> Value)[] Measures =
    [
        ("housing", [.. HousingStatus.All], HousingStatus.Secure, s => s.Housing),
        ("work", ["working", "not-working"], "working", s => s.Employment is null ? null : Scoring.Circumstances.IsWorking(s.Employment) ? "working" : "not-working"),
        ("money", [.. MoneyStatus.All], MoneyStatus.MeetsBasicNeeds, s => s.Money),
        ("someone-to-turn-to", ["yes", "no"], "yes", s => s.HasSomeoneToTurnTo ? "yes" : "no"),
        ("community", ["yes", "no"], "yes", s => s.TakesPartInCommunity ? "yes" : "no"),
    ];

    public sealed record Counts(int Referrals, IReadOnlyDictionary<(string Between, string Circumstance, string From, string To), int> Cells);

    public static CircumstancesReport Decide(ReportQuery q, Counts c, DisclosureSettings d)
    {
        var tables = new List<CircumstanceTable>();
        foreach (var between in new[] { StartToEnd, StartTo12Months })
        {
            foreach (var (name, values, good, _) in Measures)
            {
                int N(string from, string to) => c.Cells.GetValueOrDefault((between, name, from, to));
                var cells = values.SelectMany(f => values.Select(t => (f, t, n: N(f, t)))).ToList();
                var recorded = cells.Sum(x => x.n);
                var gained = cells.Where(x => x.f != good && x.t == good).Sum(x => x.n);
                var lost = cells.Where(x => x.f == good && x.t != good).Sum(x => x.n);
                var goodAtStart = cells.Where(x => x.f == good).Sum(x => x.n);
                tables.Add(new CircumstanceTable(name, between, values, good, DisclosureControl.Count(recorded, d),
                    [.. cells.Select(x => new TransitionCell(x.f, x.t, DisclosureControl.Count(x.n, d)))],
                    DisclosureControl.Count(gained, d), DisclosureControl.Count(lost, d),
                    DisclosureControl.Rates(gained, recorded - goodAtStart, c.Referrals, d), DisclosureControl.Rates(lost, goodAtStart, c.Referrals, d)));
            }
        }

        return new(q.From, q.To, q.PartnerId, q.Programme, DisclosureControl.Count(c.Referrals, d), tables);
    }

    /// <summary>The true counts from the report cells (<see cref="ReportCells"/>: <c>circ:between:circumstance:from:to</c>).</summary>
    public static Counts From(CellCounts cells)
    {
        var counts = new Dictionary<(string, string, string, string), int>();
        foreach (var (key, n) in cells.Of(ReportCells.Circumstances))
        {
            var parts = key.Split(':');
            if (parts.Length == 4) counts[(parts[0], parts[1], parts[2], parts[3])] = n;
        }

        return new Counts(cells.Referrals, counts);
    }

    public static async Task<CircumstancesReport> ReadAsync(IQuerySession session, ReportQuery query, DisclosureSettings disclosure, CancellationToken ct) =>
        Decide(query, From(await CellCounts.ReadAsync(session, query, [ReportCells.Circumstances], ct)), disclosure);

    public static Task<Results<Ok<CircumstancesReport>, ValidationProblem>> Handle(
        [FromQuery(Name = "from")] string? fromDate, [FromQuery(Name = "to")] string? toDate, string? partnerId, string? programme, string? groupBy,
        IQuerySession session, DisclosureSettings disclosure, TimeProvider clock, CancellationToken ct) =>
        ReportEndpoint.Run(fromDate, toDate, partnerId, programme, groupBy, clock, q => ReadAsync(session, q, disclosure, ct));
}
