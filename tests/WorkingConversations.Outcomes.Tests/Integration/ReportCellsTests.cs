using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using WorkingConversations.Outcomes.Reporting;
using WorkingConversations.Testing;

namespace WorkingConversations.Outcomes.Tests.Integration;

[Collection(OutcomesCollection.Name)]
public sealed class ReportCellsTests(ServiceFixture service)
{
    private static readonly string[] Reports =
        [ReportCells.Cohort, ReportCells.Funnel, ReportCells.Well, ReportCells.Circumstances, ReportCells.Waiting, ReportCells.Wellbeing];

    private async Task<NpgsqlConnection> Open()
    {
        var connection = new NpgsqlConnection(service.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static void Period(NpgsqlCommand command, Guid partner, DateOnly from, DateOnly to)
    {
        command.Parameters.AddWithValue("p", partner);
        command.Parameters.AddWithValue("f", new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
        command.Parameters.AddWithValue("t", new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
    }

    /// <summary>Every cell of the period counted straight from the episode rows' own cells.</summary>
    private async Task<Dictionary<string, int>> CountRows(Guid partner, DateOnly from, DateOnly to)
    {
        await using var connection = await Open();
        await using var command = new NpgsqlCommand(
            "select f, count(*)::int from outcomes.mt_doc_episodeoutcome cross join lateral unnest(report_cells) f " +
            "where partner_id = @p and received_at >= @f and received_at < @t group by f", connection);
        Period(command, partner, from, to);
        var counts = new Dictionary<string, int>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) counts[reader.GetString(0)] = reader.GetInt32(1);
        return counts;
    }

    /// <summary>The waits' median and 90th percentile as the report computed them before it had cells: over every row's JSON.</summary>
    private async Task<double?[]> PercentilesOverRows(Guid partner, DateOnly from, DateOnly to)
    {
        const string toAccept = "extract(epoch from ((data ->> 'AcceptedAt')::timestamptz - received_at)) / 86400.0";
        const string toFirst = "extract(epoch from ((data ->> 'FirstConversationAt')::timestamptz - (data ->> 'AcceptedAt')::timestamptz)) / 86400.0";
        const string receivedToFirst = "extract(epoch from ((data ->> 'FirstConversationAt')::timestamptz - received_at)) / 86400.0";
        var columns = string.Join(", ", new[] { toAccept, toFirst, receivedToFirst }.SelectMany(w =>
            new[] { $"percentile_cont(0.5) within group (order by {w})", $"percentile_cont(0.9) within group (order by {w})" }));
        await using var connection = await Open();
        await using var command = new NpgsqlCommand(
            $"select {columns} from outcomes.mt_doc_episodeoutcome where partner_id = @p and received_at >= @f and received_at < @t", connection);
        Period(command, partner, from, to);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return [.. Enumerable.Range(0, 6).Select(i => reader.IsDBNull(i) ? (double?)null : reader.GetDouble(i))];
    }

    [Fact]
    public async Task Every_reports_cells_read_from_monthly_cells_and_edge_days_agree_with_counting_the_episode_rows_and_the_waits_are_exact()
    {
        var d = await EpisodeDriver.Start(service);
        var days = new List<DateOnly>();
        for (var step = 0; step < 4; step++)
        {
            // Waits of different lengths: the referral is accepted and first seen some hours and days after it arrived.
            var (referral, participant) = await d.Refer();
            service.Clock.Advance(TimeSpan.FromHours(5 + step * 7));
            await d.Accept(referral);
            await d.Assign(participant);
            await d.Circumstances(participant, "start", "insecure", "unemployed-seeking-work", "sometimes-cannot", false, false);
            service.Clock.Advance(TimeSpan.FromDays(step * 9 + 1).Add(TimeSpan.FromMinutes(step * 13)));
            await d.Hold(participant, 2);
            await d.Scores(participant, 15, 9, 5, 3);
            await d.Circumstances(participant, "end", "secure", "employed-part-time", "meets-basic-needs", true, step % 2 == 0);
            await d.End(participant);
            await d.Episode(held: 1, phq9Start: 15, gad7Start: 9, phq9End: 5, gad7End: 3);
            await d.Refer();
            days.Add(DateOnly.FromDateTime(service.Clock.GetUtcNow().UtcDateTime));
            service.Clock.Advance(TimeSpan.FromDays(17));
        }

        var first = days[0].AddDays(-45);
        var last = days[^1];
        var periods = new List<(DateOnly From, DateOnly To)>
        {
            (new DateOnly(first.Year, first.Month, 1), new DateOnly(last.Year, last.Month, 1).AddMonths(1).AddDays(-1)),
            (first, last),
            (first.AddDays(20), last.AddDays(-1)),
            (days[1], days[1]),
            (first.AddDays(-40), days[2]),
        };

        await using var session = service.Services.GetRequiredService<IDocumentStore>().QuerySession();
        foreach (var (from, to) in periods)
        {
            var query = new ReportQuery(from, to, d.PartnerId, null);
            var cells = await CellCounts.ReadAsync(session, query, Reports, CancellationToken.None);
            var expected = await CountRows(d.PartnerId, from, to);
            var read = Reports.Append(ReportCells.All)
                .SelectMany(r => cells.Of(r).Where(c => c.Value != 0).Select(c => KeyValuePair.Create($"{r}:{c.Key}", c.Value)))
                .OrderBy(c => c.Key, StringComparer.Ordinal);
            Assert.Equal(expected.OrderBy(c => c.Key, StringComparer.Ordinal), read);

            var report = await GetWaitingTimes.ReadAsync(session, query, new WorkingConversations.Outcomes.Scoring.DisclosureSettings { SuppressTo = 0, RoundTo = 1 }, CancellationToken.None);
            var overRows = await PercentilesOverRows(d.PartnerId, from, to);
            decimal? Published(double? days) => days is null ? null : Math.Round((decimal)days.Value, 1, MidpointRounding.AwayFromZero);
            Assert.Equal(overRows.Select(Published), [
                report.ReceivedToAccepted.MedianDays, report.ReceivedToAccepted.P90Days,
                report.AcceptedToFirstConversation.MedianDays, report.AcceptedToFirstConversation.P90Days,
                report.ReceivedToFirstConversation.MedianDays, report.ReceivedToFirstConversation.P90Days]);
        }

        // The periods above hold waits of several lengths, so the percentiles were drawn from more than one bucket.
        Assert.True((await CountRows(d.PartnerId, first.AddDays(-40), last)).Keys.Count(k => k.StartsWith("wait:h:seen:", StringComparison.Ordinal)) > 1);
    }

    [Fact]
    public async Task The_folded_cells_are_always_what_a_recount_of_the_rows_makes_with_no_empty_cell_left_behind()
    {
        // Received with no practitioner (programme "none"), then assigned, seen, scored and ended: the episode's cells change
        // at every step and it moves from one programme's cells to another's.
        var d = await EpisodeDriver.Start(service);
        await d.Episode(held: 2, phq9Start: 15, gad7Start: 9, phq9End: 5, gad7End: 3);
        await d.Episode(held: 1, phq9Start: 12, gad7Start: 9, phq9End: 12, gad7End: 9, end: false);

        await using var connection = await Open();
        await using var drift = new NpgsqlCommand(
            $"""
            with cells as (select report, month, partner_id, programme, key, n from {ReportCellRollup.Table} where partner_id = @p),
            recount as (
                select split_part(f, ':', 1) as report, (date_trunc('month', received_at at time zone 'UTC'))::date as month, partner_id,
                       coalesce(programme, 'none') as programme, substr(f, strpos(f, ':') + 1) as key, count(*)::int as n
                from outcomes.mt_doc_episodeoutcome cross join lateral unnest(report_cells) f where partner_id = @p group by 1, 2, 3, 4, 5)
            select (select count(*) from (select * from cells except select * from recount) a)::int,
                   (select count(*) from (select * from recount except select * from cells) b)::int,
                   (select count(*) from cells)::int
            """, connection);
        drift.Parameters.AddWithValue("p", d.PartnerId);
        await using var reader = await drift.ExecuteReaderAsync();
        await reader.ReadAsync();
        Assert.Equal((0, 0), (reader.GetInt32(0), reader.GetInt32(1)));
        Assert.True(reader.GetInt32(2) > 10);
    }
}
