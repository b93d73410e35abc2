using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using WorkingConversations.BuildingBlocks.Operations.Projections;
using WorkingConversations.Outcomes.Reporting;
using WorkingConversations.Testing;

namespace WorkingConversations.Outcomes.Tests.Integration;

/// <summary>
/// The days at the edges of a report's period are read from daily cells, kept as the monthly ones are: by the triggers,
/// skipped while a rebuild holds them and recounted at its end.
/// </summary>
[Collection(OutcomesCollection.Name)]
public sealed class DailyCellsTests(ServiceFixture service)
{
    private async Task<NpgsqlConnection> Open()
    {
        var connection = new NpgsqlConnection(service.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>
    /// How many of one partner's daily cells differ from a count of the episode rows by day of receipt (either way), and
    /// how many daily cells there are: the summary's and the report cells'.
    /// </summary>
    private async Task<(int Drift, int Summary, int Reports)> DailyDrift(Guid partner)
    {
        await using var connection = await Open();
        await using var drift = new NpgsqlCommand(
            $"""
            with daily as (
                select day, partner_id, programme, referrals, accepted, finished, not_measurable, finished_at_caseness, recovered,
                       reliably_improved, reliably_deteriorated, reliably_recovered
                from {MonthlyRollup.DailyTable} where partner_id = @p),
            daily_recount as (
                select (received_at at time zone 'UTC')::date as day, partner_id, coalesce(programme, 'none') as programme, count(*)::int as referrals,
                       (count(*) filter (where accepted))::int, (count(*) filter (where finished_treatment))::int,
                       (count(*) filter (where finished_treatment and measurable is false))::int,
                       (count(*) filter (where finished_treatment and measurable is not false and caseness_at_start))::int,
                       (count(*) filter (where finished_treatment and measurable is not false and caseness_at_start and recovered))::int,
                       (count(*) filter (where finished_treatment and measurable is not false and reliably_improved))::int,
                       (count(*) filter (where finished_treatment and measurable is not false and reliably_deteriorated))::int,
                       (count(*) filter (where finished_treatment and measurable is not false and caseness_at_start and reliably_recovered))::int
                from outcomes.mt_doc_episodeoutcome where partner_id = @p group by 1, 2, 3),
            cells as (select report, day, partner_id, programme, key, n from {ReportCellRollup.DailyTable} where partner_id = @p),
            cells_recount as (
                select split_part(f, ':', 1) as report, (received_at at time zone 'UTC')::date as day, partner_id,
                       coalesce(programme, 'none') as programme, substr(f, strpos(f, ':') + 1) as key, count(*)::int as n
                from outcomes.mt_doc_episodeoutcome cross join lateral unnest(report_cells) f where partner_id = @p group by 1, 2, 3, 4, 5)
            select (select count(*) from (select * from daily except select * from daily_recount) a)::int
                 + (select count(*) from (select * from daily_recount except select * from daily) b)::int
                 + (select count(*) from (select * from cells except select * from cells_recount) c)::int
                 + (select count(*) from (select * from cells_recount except select * from cells) e)::int,
                   (select count(*) from daily)::int, (select count(*) from cells)::int
            """, connection);
        drift.Parameters.AddWithValue("p", partner);
        await using var reader = await drift.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt32(0), reader.GetInt32(1), reader.GetInt32(2));
    }

    private async Task<Dictionary<string, int>> ReferralsByProgramme(Guid partner, DateOnly from, DateOnly to)
    {
        await using var connection = await Open();
        await using var command = new NpgsqlCommand(
            "select coalesce(programme, 'none'), count(*)::int from outcomes.mt_doc_episodeoutcome where partner_id = @p and received_at >= @f and received_at < @t group by 1",
            connection);
        command.Parameters.AddWithValue("p", partner);
        command.Parameters.AddWithValue("f", new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
        command.Parameters.AddWithValue("t", new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
        var counts = new Dictionary<string, int>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) counts[reader.GetString(0)] = reader.GetInt32(1);
        return counts;
    }

    [Fact]
    public async Task The_daily_cells_follow_every_change_of_an_episode_and_a_period_starting_and_ending_mid_month_counts_what_its_rows_count()
    {
        // Episodes on several days, each received with no practitioner (programme "none") and then assigned, seen, scored
        // and ended (or left open), so that each moves between cells; an apprentice's among them, for a second programme.
        var d = await EpisodeDriver.Start(service);
        var apprentice = await EpisodeDriver.ClearPractitioner(service, "apprentice");
        var days = new List<DateOnly>();
        for (var step = 0; step < 3; step++)
        {
            await d.Episode(held: 2, phq9Start: 15, gad7Start: 9, phq9End: 5, gad7End: 3);
            await d.Episode(held: 1, phq9Start: 12, gad7Start: 9, phq9End: 12, gad7End: 9, end: false);
            var (referral, participant) = await d.Refer();
            await d.Accept(referral);
            await d.Assign(participant, apprentice);
            await d.Hold(participant);
            days.Add(DateOnly.FromDateTime(service.Clock.GetUtcNow().UtcDateTime));
            service.Clock.Advance(TimeSpan.FromDays(3));
        }

        var (drift, summary, reports) = await DailyDrift(d.PartnerId);
        Assert.Equal(0, drift);
        Assert.True(summary >= 3, $"{summary} daily summary cells");
        Assert.True(reports > 10, $"{reports} daily report cells");

        // From the second day to the third: a period inside a month, or one whose both ends are part months.
        var (from, to) = (days[1], days[2]);
        var query = new ReportQuery(from, to, d.PartnerId, ReportQuery.ByProgramme);
        await using var session = service.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var byProgramme = await OutcomeQueries.SummaryAsync(session, query, CancellationToken.None);
        var expected = await ReferralsByProgramme(d.PartnerId, from, to);
        Assert.Equal(expected.OrderBy(e => e.Key, StringComparer.Ordinal), byProgramme.Select(c => KeyValuePair.Create(c.Key, c.Referrals)));
        Assert.Equal(2, expected.Count);
        var cells = await CellCounts.ReadAsync(session, query with { GroupBy = null }, [ReportCells.Cohort], CancellationToken.None);
        Assert.Equal(expected.Values.Sum(), cells.Referrals);
    }

    [Fact]
    public async Task Episodes_written_while_a_rebuild_holds_the_cells_are_in_the_daily_cells_after_its_recount()
    {
        var d = await EpisodeDriver.Start(service);
        var rebuild = service.Services.GetServices<IProjectionRebuildStep>().Single(s => s.Projection == "EpisodeOutcome");
        var held = await rebuild.BeginAsync(CancellationToken.None);
        try
        {
            await d.Episode(held: 2, phq9Start: 15, gad7Start: 9, phq9End: 5, gad7End: 3);
            service.Clock.Advance(TimeSpan.FromDays(2));
            await d.Episode(held: 1, phq9Start: 12, gad7Start: 9, phq9End: 12, gad7End: 9, end: false);
            await d.Refer();

            // While the rebuild holds them the triggers fold nothing.
            var during = await DailyDrift(d.PartnerId);
            Assert.Equal((0, 0), (during.Summary, during.Reports));
        }
        finally
        {
            await held.DisposeAsync();
        }

        var (drift, summary, reports) = await DailyDrift(d.PartnerId);
        Assert.Equal(0, drift);
        Assert.True(summary >= 2, $"{summary} daily summary cells");
        Assert.True(reports > 10, $"{reports} daily report cells");
    }
}
