using Marten;
using Npgsql;
using NpgsqlTypes;

namespace WorkingConversations.Outcomes.Reporting;

/// <summary>
/// The true counts of some reports' cells over a period and filter: whole months summed from
/// <see cref="ReportCellRollup.Table"/>, and the days before the first whole month and after the last from
/// <see cref="ReportCellRollup.DailyTable"/> (as the summary reads its edges), so the cost follows the months, edge days
/// and partners of the period, not its episodes.
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
        var sql = $"""
            select report, key, sum(n)::int
            from (
                select report, key, n
                from {ReportCellRollup.Table}
                where report = any(@reports) and month >= @months_from and month < @months_to{cellFilter}
                union all
                select report, key, n
                from {ReportCellRollup.DailyTable}
                where report = any(@reports) and {OutcomeQueries.EdgeDays}{cellFilter}
            ) counted
            group by 1, 2
            """;
        await using var command = OutcomeQueries.Command(connection, sql, query);
        command.Parameters.AddWithValue("reports", NpgsqlDbType.Array | NpgsqlDbType.Text, reports.Append(ReportCells.All).Distinct().ToArray());
        OutcomeQueries.AddPeriodCells(command, query);
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
