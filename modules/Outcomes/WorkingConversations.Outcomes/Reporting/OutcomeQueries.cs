using Marten;
using Npgsql;
using NpgsqlTypes;

namespace WorkingConversations.Outcomes.Reporting;

/// <summary>
/// SQL over the episode outcome projection (table outcomes.mt_doc_episodeoutcome). The summary reads only the
/// duplicated columns declared in OutcomesModule and EpisodeOutcome, so PostgreSQL aggregates without touching the
/// JSON; the other reports read a few JSON fields as well. Which rows each count takes is defined once, in
/// <see cref="CountedEpisodes"/>: every outcome numerator is counted among finished, measurable episodes, as the
/// NHS Talking Therapies rates are (measures.md), so the same numerator sits over both denominators.
/// </summary>
internal static class OutcomeQueries
{
    public const string Table = "outcomes.mt_doc_episodeoutcome";

    /// <summary>
    /// True counts of one group, before disclosure control. <see cref="NotMeasurable"/> are finished episodes without
    /// paired scores; <see cref="FinishedMeasurable"/>, finished less those, is the <c>nhs</c> denominator of reliable
    /// improvement and deterioration, as <see cref="FinishedAtCaseness"/> (measurable only) is of recovery.
    /// </summary>
    public sealed record SummaryCounts(
        string Key, int Referrals, int Accepted, int Finished, int NotMeasurable, int FinishedAtCaseness, int Recovered,
        int ReliablyImproved, int ReliablyDeteriorated, int ReliablyRecovered)
    {
        public int FinishedMeasurable => Finished - NotMeasurable;
    }

    /// <summary>
    /// Whole months of the period come from the monthly cells (<see cref="MonthlyRollup"/>), the days before the first
    /// whole month and after the last from the daily cells. So the cost follows the months, edge days and partners in the
    /// period, not the number of episodes.
    /// </summary>
    public static async Task<IReadOnlyList<SummaryCounts>> SummaryAsync(IQuerySession session, ReportQuery query, CancellationToken ct)
    {
        await using var connection = session.Database.CreateConnection();
        await connection.OpenAsync(ct);
        return await SummaryAsync(connection, query, ct);
    }

    /// <summary>The groups' counts added up into one group, <c>all</c>.</summary>
    public static SummaryCounts Sum(IEnumerable<SummaryCounts> groups) => groups.Aggregate(new SummaryCounts("all", 0, 0, 0, 0, 0, 0, 0, 0, 0), (a, g) => new SummaryCounts(
        "all", a.Referrals + g.Referrals, a.Accepted + g.Accepted, a.Finished + g.Finished, a.NotMeasurable + g.NotMeasurable,
        a.FinishedAtCaseness + g.FinishedAtCaseness, a.Recovered + g.Recovered, a.ReliablyImproved + g.ReliablyImproved,
        a.ReliablyDeteriorated + g.ReliablyDeteriorated, a.ReliablyRecovered + g.ReliablyRecovered));

    public static async Task<IReadOnlyList<SummaryCounts>> SummaryAsync(NpgsqlConnection connection, ReportQuery query, CancellationToken ct)
    {
        var (monthKey, dayKey, label) = query.GroupBy switch
        {
            ReportQuery.ByMonth => ("month", "(date_trunc('month', day))::date", "to_char(key, 'YYYY-MM')"),
            ReportQuery.ByPartner => ("partner_id", "partner_id", "key::text"),
            ReportQuery.ByProgramme => ("programme", "programme", "key"),
            _ => ("'all'::text", "'all'::text", "key"),
        };
        var partner = (query.PartnerId is null ? "" : " and partner_id = @partner") + (query.Programme is null ? "" : " and programme = @programme");
        var sums = string.Join(", ", MonthlyRollup.CountColumns.Split(", ").Select(c => $"sum({c})::int"));
        var sql = $"""
            select {label}, {sums}
            from (
                select {monthKey} as key, {MonthlyRollup.CountColumns}
                from {MonthlyRollup.Table}
                where month >= @months_from and month < @months_to{partner}
                union all
                select {dayKey}, {MonthlyRollup.CountColumns}
                from {MonthlyRollup.DailyTable}
                where {EdgeDays}{partner}
            ) counted
            group by key
            having sum(referrals) > 0
            order by key
            """;
        var rows = new List<SummaryCounts>();
        await using var command = Command(connection, sql, query);
        AddPeriodCells(command, query);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new SummaryCounts(reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetInt32(4),
                reader.GetInt32(5), reader.GetInt32(6), reader.GetInt32(7), reader.GetInt32(8), reader.GetInt32(9)));
        }

        return rows;
    }

    /// <summary>
    /// The whole calendar months inside the period, as [first day, first day after). A period inside one month has
    /// none: both ends are then the day after the period, so the rows cover all of it and the cells nothing.
    /// </summary>
    public static (DateOnly From, DateOnly To) WholeMonths(ReportQuery query)
    {
        var after = query.To.AddDays(1);
        var first = query.From.Day == 1 ? query.From : new DateOnly(query.From.Year, query.From.Month, 1).AddMonths(1);
        var last = after.Day == 1 ? after : new DateOnly(after.Year, after.Month, 1);
        return first < last ? (first, last) : (after, after);
    }

    /// <summary>The days of the period before its first whole month and after its last, as a condition on a daily cell's <c>day</c>.</summary>
    internal const string EdgeDays = "((day >= @days_from and day < @months_from) or (day >= @months_to and day < @days_to))";

    /// <summary>The parameters of the whole months (<c>months_from</c>, <c>months_to</c>) and of the edge days (<see cref="EdgeDays"/>).</summary>
    internal static void AddPeriodCells(NpgsqlCommand command, ReportQuery query)
    {
        var (monthsFrom, monthsTo) = WholeMonths(query);
        command.Parameters.AddWithValue("months_from", NpgsqlDbType.Date, monthsFrom);
        command.Parameters.AddWithValue("months_to", NpgsqlDbType.Date, monthsTo);
        command.Parameters.AddWithValue("days_from", NpgsqlDbType.Date, query.From);
        command.Parameters.AddWithValue("days_to", NpgsqlDbType.Date, query.To.AddDays(1));
    }

    /// <summary>
    /// True counts of the funnel: each stage within the one before it. <see cref="NotMeasurable"/> are finished episodes
    /// without paired scores, which <see cref="FinishedAtCaseness"/> and <see cref="Recovered"/> leave out.
    /// </summary>
    public sealed record FunnelCounts(int Referred, int Accepted, int Engaged, int Finished, int NotMeasurable, int FinishedAtCaseness, int Recovered);

    /// <summary>The summary's counts (its monthly cells) and the engaged episodes (the report cells).</summary>
    public static async Task<FunnelCounts> FunnelAsync(IQuerySession session, ReportQuery query, CancellationToken ct) =>
        Funnel(await TotalAsync(session, query, ct), await CellCounts.ReadAsync(session, query, [ReportCells.Funnel], ct));

    public static FunnelCounts Funnel(SummaryCounts s, CellCounts cells) =>
        new(s.Referrals, s.Accepted, cells.Count(ReportCells.Funnel, "engaged"), s.Finished, s.NotMeasurable, s.FinishedAtCaseness, s.Recovered);

    /// <summary>The summary's counts over the whole period and filter, as one group (zeros over an empty period).</summary>
    public static async Task<SummaryCounts> TotalAsync(IQuerySession session, ReportQuery query, CancellationToken ct) =>
        (await SummaryAsync(session, query with { GroupBy = null }, ct)).FirstOrDefault() ?? new SummaryCounts("all", 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /// <summary>
    /// True counts of the relapse report besides what <see cref="StayingWell"/> counts: finished and not measurable
    /// episodes, and check-ins one by one (due, done, missed).
    /// </summary>
    public sealed record RelapseCounts(int Finished, int NotMeasurable, int CheckInsDue, int CheckInsDone, int CheckInsMissed);

    public static async Task<RelapseCounts> RelapseAsync(IQuerySession session, ReportQuery query, CancellationToken ct)
    {
        var sql = $"""
            select count(*) filter (where {CountedEpisodes.Finished()})::int,
                   count(*) filter (where {CountedEpisodes.NotMeasurable()})::int,
                   coalesce(sum((data ->> 'FollowUpsDue')::int), 0)::int,
                   coalesce(sum((data ->> 'FollowUpsDone')::int), 0)::int,
                   coalesce(sum((data ->> 'FollowUpsMissed')::int), 0)::int
            from {Table}
            {Where(query)}
            """;
        var r = await SingleRowAsync(session, sql, query, 5, ct);
        return new RelapseCounts(r[0], r[1], r[2], r[3], r[4]);
    }

    public sealed record WaitingStats(int Count, double? MedianDays, double? P90Days);

    // The projection's JSON uses the document's property names as written (Marten's default casing).
    internal static string Json(string booleanProperty) => $"coalesce((data ->> '{booleanProperty}')::boolean, false)";

    /// <summary>The period and filters as a where clause; <paramref name="r"/> is the table's alias with its dot, or empty.</summary>
    internal static string Where(ReportQuery query, string r = "") =>
        $"where {r}received_at >= @from and {r}received_at < @to" + (query.PartnerId is null ? "" : $" and {r}partner_id = @partner")
        + (query.Programme is null ? "" : $" and coalesce({r}programme, 'none') = @programme");

    internal static NpgsqlCommand Command(NpgsqlConnection connection, string sql, ReportQuery query)
    {
        var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("from", NpgsqlDbType.TimestampTz, query.FromInstant.UtcDateTime);
        command.Parameters.AddWithValue("to", NpgsqlDbType.TimestampTz, query.ToExclusive.UtcDateTime);
        if (query.PartnerId is { } partner) command.Parameters.AddWithValue("partner", NpgsqlDbType.Uuid, partner);
        if (query.Programme is { } programme) command.Parameters.AddWithValue("programme", NpgsqlDbType.Text, programme);
        return command;
    }

    internal static async Task<int[]> SingleRowAsync(IQuerySession session, string sql, ReportQuery query, int columns, CancellationToken ct)
    {
        await using var connection = session.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var command = Command(connection, sql, query);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return [.. Enumerable.Range(0, columns).Select(reader.GetInt32)];
    }
}
