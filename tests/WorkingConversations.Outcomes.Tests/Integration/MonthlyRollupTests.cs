using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using WorkingConversations.Outcomes.Reporting;
using WorkingConversations.Testing;

namespace WorkingConversations.Outcomes.Tests.Integration;

[Collection(OutcomesCollection.Name)]
public sealed class MonthlyRollupTests(ServiceFixture service)
{
    private async Task<int> CountRows(Guid partner, DateOnly from, DateOnly to, string condition = "true")
    {
        await using var connection = new NpgsqlConnection(service.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"select count(*)::int from outcomes.mt_doc_episodeoutcome where partner_id = @p and received_at >= @f and received_at < @t and {condition}", connection);
        command.Parameters.AddWithValue("p", partner);
        command.Parameters.AddWithValue("f", new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
        command.Parameters.AddWithValue("t", new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
        return (int)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task The_summary_read_from_monthly_cells_and_edge_days_agrees_with_counting_every_episode_row_for_any_period()
    {
        var d = await EpisodeDriver.Start(service);
        var days = new List<DateOnly>();
        for (var step = 0; step < 4; step++)
        {
            await d.Episode(held: 2, phq9Start: 15, gad7Start: 9, phq9End: 5, gad7End: 3);
            await d.Episode(held: 1, phq9Start: 15, gad7Start: 9, phq9End: 5, gad7End: 3);
            await d.Refer();
            days.Add(DateOnly.FromDateTime(service.Clock.GetUtcNow().UtcDateTime));
            service.Clock.Advance(TimeSpan.FromDays(17));
        }

        var first = days[0];
        var last = days[^1];
        var periods = new List<(DateOnly From, DateOnly To)>
        {
            (new DateOnly(first.Year, first.Month, 1), new DateOnly(last.Year, last.Month, 1).AddMonths(1).AddDays(-1)),
            (first, last),
            (first.AddDays(1), last.AddDays(-1)),
            (days[1], days[1]),
            (first.AddDays(-40), days[2]),
        };

        await using var session = service.Services.GetRequiredService<IDocumentStore>().QuerySession();
        foreach (var (from, to) in periods)
        {
            var query = new ReportQuery(from, to, d.PartnerId, null);
            var counts = await OutcomeQueries.SummaryAsync(session, query, CancellationToken.None);
            var expected = await CountRows(d.PartnerId, from, to);
            Assert.Equal(expected, counts.Sum(c => c.Referrals));
            Assert.Equal(await CountRows(d.PartnerId, from, to, "finished_treatment and caseness_at_start and recovered"), counts.Sum(c => c.Recovered));
            Assert.Equal(await CountRows(d.PartnerId, from, to, "accepted"), counts.Sum(c => c.Accepted));

            var byMonth = await OutcomeQueries.SummaryAsync(session, query with { GroupBy = ReportQuery.ByMonth }, CancellationToken.None);
            Assert.Equal(expected, byMonth.Sum(c => c.Referrals));
        }
    }

    [Fact]
    public async Task A_cell_an_episode_moves_out_of_is_gone_once_it_counts_nothing_as_after_a_recount_or_a_rebuild()
    {
        // Received with no practitioner (programme "none"), then assigned a volunteer: the episode moves between cells.
        var d = await EpisodeDriver.Start(service);
        await d.Episode(held: 1, phq9Start: 15, gad7Start: 9, phq9End: 5, gad7End: 3);

        await using var connection = new NpgsqlConnection(service.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select programme, referrals from {MonthlyRollup.Table} where partner_id = @p order by programme", connection);
        command.Parameters.AddWithValue("p", d.PartnerId);
        var cells = new List<(string Programme, int Referrals)>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) cells.Add((reader.GetString(0), reader.GetInt32(1)));

        Assert.Equal([("volunteer", 1)], cells);
    }

    [Theory]
    [InlineData("2026-01-01", "2026-12-31", "2026-01-01", "2027-01-01")]
    [InlineData("2026-01-15", "2026-12-31", "2026-02-01", "2027-01-01")]
    [InlineData("2026-01-01", "2026-12-30", "2026-01-01", "2026-12-01")]
    [InlineData("2026-01-15", "2026-03-10", "2026-02-01", "2026-03-01")]
    [InlineData("2026-01-15", "2026-02-10", "2026-02-11", "2026-02-11")]
    [InlineData("2026-02-01", "2026-02-28", "2026-02-01", "2026-03-01")]
    public void Whole_months_of_a_period_are_read_from_the_cells(string from, string to, string cellsFrom, string cellsTo)
    {
        var q = new ReportQuery(DateOnly.Parse(from, System.Globalization.CultureInfo.InvariantCulture), DateOnly.Parse(to, System.Globalization.CultureInfo.InvariantCulture), null, null);
        Assert.Equal((DateOnly.Parse(cellsFrom, System.Globalization.CultureInfo.InvariantCulture), DateOnly.Parse(cellsTo, System.Globalization.CultureInfo.InvariantCulture)), OutcomeQueries.WholeMonths(q));
    }
}
