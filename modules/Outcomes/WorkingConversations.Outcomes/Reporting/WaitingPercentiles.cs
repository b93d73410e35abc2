using System.Globalization;
using Npgsql;
using NpgsqlTypes;

namespace WorkingConversations.Outcomes.Reporting;

/// <summary>
/// Exact medians and 90th percentiles of the waits without reading every episode of the period. The report cells hold a
/// histogram of each wait in buckets of <see cref="ReportCells.BucketDays"/> days; the histogram says which bucket holds
/// the values a percentile is drawn from and how many of the period's values come before them there, and those two
/// values alone are then read through a covering index on the wait (<see cref="ReportCellRollup.WaitIndexes"/>). The
/// result is PostgreSQL's <c>percentile_cont</c>: the linear interpolation between the two values around
/// <c>p (n - 1)</c>.
/// </summary>
internal static class WaitingPercentiles
{
    public static async Task<OutcomeQueries.WaitingStats> ReadAsync(NpgsqlConnection connection, ReportQuery query, CellCounts cells, string wait, string column,
        CancellationToken ct)
    {
        var n = cells.Count(ReportCells.Waiting, wait);
        var prefix = $"h:{wait}:";
        var histogram = cells.Of(ReportCells.Waiting)
            .Where(c => c.Key.StartsWith(prefix, StringComparison.Ordinal) && c.Value > 0)
            .Select(c => (Bucket: long.Parse(c.Key[prefix.Length..], CultureInfo.InvariantCulture), Count: c.Value))
            .OrderBy(b => b.Bucket).ToList();
        if (n == 0 || histogram.Sum(b => b.Count) != n) return new OutcomeQueries.WaitingStats(n, null, null);
        return new OutcomeQueries.WaitingStats(n, await PercentileAsync(0.5), await PercentileAsync(0.9));

        async Task<double> PercentileAsync(double p)
        {
            var row = p * (n - 1);
            long first = (long)Math.Floor(row), second = (long)Math.Ceiling(row);
            var (lower, before) = BucketOf(first);
            var values = await ValuesAsync(connection, query, column, lower * (double)ReportCells.BucketDays, first - before, (int)(second - first) + 1, ct);
            return first == second ? values[0] : values[0] + (values[1] - values[0]) * (row - first);
        }

        (long Bucket, long Before) BucketOf(long index)
        {
            long before = 0;
            foreach (var (bucket, count) in histogram)
            {
                if (index < before + count) return (bucket, before);
                before += count;
            }

            return (histogram[^1].Bucket, before - histogram[^1].Count);
        }
    }

    private static async Task<double[]> ValuesAsync(NpgsqlConnection connection, ReportQuery query, string column, double lower, long skip, int take, CancellationToken ct)
    {
        var filter = (query.PartnerId is null ? "" : " and partner_id = @partner") + (query.Programme is null ? "" : " and coalesce(programme, 'none') = @programme");
        var sql = $"""
            select {column} from {OutcomeQueries.Table}
            where {column} >= @lower and received_at >= @from and received_at < @to{filter}
            order by {column} offset @skip limit @take
            """;
        await using var command = OutcomeQueries.Command(connection, sql, query);
        command.Parameters.AddWithValue("lower", NpgsqlDbType.Double, lower);
        command.Parameters.AddWithValue("skip", NpgsqlDbType.Bigint, skip);
        command.Parameters.AddWithValue("take", NpgsqlDbType.Integer, take);
        var values = new List<double>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) values.Add(reader.GetDouble(0));
        if (values.Count < take) throw new InvalidOperationException($"The {column} histogram and the episode rows disagree: the report cells need a recount.");
        return [.. values];
    }
}
