using Marten;
using Npgsql;
using NpgsqlTypes;

namespace WorkingConversations.Outcomes.Reporting;

/// <summary>
/// The true counts of some reports' cells over a period and filter: whole months summed from
/// <see cref="ReportCellRollup.Table"/>, and the days before the first whole month and after the last from the episode
/// rows' own <c>report_cells</c> column (as the summary reads its edges), so the cost follows the months and partners of
/// the period, not its episodes.
/// </summary>
internal sealed class CellCounts(IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> byReport)
{
    public int Referrals => Count(ReportCells.All, "referrals");

    public int Count(string report, string key) => Of(report).GetValueOrDefault(key);

    public IReadOnlyDictionary<string, int> Of(string report) => byReport.GetValueOrDefault(report) ?? new Dictionary<string, int>();

    public static async Task<CellCounts> ReadAsync(IQuerySession session, ReportQuery query, IReadOnlyCollection<string> reports, CancellationToken ct)
    {
        await using var connection = session.Database.CreateConnection();
        await connection.OpenAsync(ct);
        return await ReadAsync(connection, query, reports, ct);
    }

    public static async Task<CellCounts> ReadAsync(NpgsqlConnection connection, ReportQuery query, IReadOnlyCollection<string> reports, CancellationToken ct)
    {
        var cellFilter = (query.PartnerId is null ? "" : " and partner_id = @partner") + (query.Programme is null ? "" : " and programme = @programme");
        var rowFilter = (query.PartnerId is null ? "" : " and e.partner_id = @partner") + (query.Programme is null ? "" : " and coalesce(e.programme, 'none') = @programme");
        var sql = $"""
            select report, key, sum(n)::int
            from (
                select report, key, n
                from {ReportCellRollup.Table}
                where report = any(@reports) and month >= @months_from and month < @months_to{cellFilter}
                union all
                select split_part(f, ':', 1), substr(f, strpos(f, ':') + 1), 1
                from {OutcomeQueries.Table} e cross join lateral unnest(e.report_cells) f
                where ((e.received_at >= @from and e.received_at < @edge_to) or (e.received_at >= @edge_from and e.received_at < @to)){rowFilter}
                  and split_part(f, ':', 1) = any(@reports)
            ) counted
            group by 1, 2
            """;
        var (monthsFrom, monthsTo) = OutcomeQueries.WholeMonths(query);
        await using var command = OutcomeQueries.Command(connection, sql, query);
        command.Parameters.AddWithValue("reports", NpgsqlDbType.Array | NpgsqlDbType.Text, reports.Append(ReportCells.All).Distinct().ToArray());
        command.Parameters.AddWithValue("months_from", NpgsqlDbType.Date, monthsFrom);
        command.Parameters.AddWithValue("months_to", NpgsqlDbType.Date, monthsTo);
        command.Parameters.AddWithValue("edge_to", NpgsqlDbType.TimestampTz, monthsFrom.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));
        command.Parameters.AddWithValue("edge_from", NpgsqlDbType.TimestampTz, monthsTo.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));
        var byReport = new Dictionary<string, Dictionary<string, int>>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var report = reader.GetString(0);
            if (!byReport.TryGetValue(report, out var keys)) byReport[report] = keys = [];
            keys[reader.GetString(1)] = reader.GetInt32(2);
        }

        return new CellCounts(byReport.ToDictionary(kv => kv.Key, kv => (IReadOnlyDictionary<string, int>)kv.Value));
    }
}
