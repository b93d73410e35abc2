using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marten;
using Marten.Events;
using Npgsql;
using WorkingConversations.Testing;

namespace WorkingConversations.Outcomes.Tests.Integration;

/// <summary>
/// An operator rebuilds the episode rows through the admin route while the service runs: the other projections go on
/// answering the people who use them, and once the rebuild is done the rows and the cells the reports read are whole.
/// </summary>
public sealed class ReadsDuringRebuildTests(AsynchronousOutcomesService service) : IClassFixture<AsynchronousOutcomesService>
{
    [Fact]
    public async Task While_the_episode_rows_are_rebuilt_referrals_participants_and_caseloads_answer_and_afterwards_the_report_cells_are_a_recount()
    {
        var d = await EpisodeDriver.Start(service);
        var (referralId, participantId) = await d.Refer();
        await d.Accept(referralId);
        var partner = await PartnerOf(d);
        await service.AppHost.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        var admin = service.Admin();

        // Hold the rebuild at its first step: it deletes the old rows, which waits for this share lock on the table, so the
        // reads below happen while the rebuild has begun and not ended.
        await using var reader = new NpgsqlConnection(service.ConnectionString);
        await reader.OpenAsync();
        var holding = await reader.BeginTransactionAsync();
        await using (var hold = new NpgsqlCommand("lock table outcomes.mt_doc_episodeoutcome in share mode", reader, holding)) await hold.ExecuteNonQueryAsync();
        try
        {
            var started = await admin.PostAsync("/api/v1/admin/projections/EpisodeOutcome/rebuild", null);
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
            await UntilTheRebuildWaitsOnTheEpisodeTable();
            Assert.Equal("rebuilding", await StateOf(admin, "EpisodeOutcome"));

            // A partner's referral status and list, a new referral, a caseworker's view of the participant and a
            // practitioner's caseload: other projections and the live journey, all answering.
            var status = await partner.GetAsync($"/api/v1/referrals/{referralId}");
            Assert.Equal(HttpStatusCode.OK, status.StatusCode);
            Assert.Equal(referralId, (await status.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
            Assert.Equal(HttpStatusCode.OK, (await partner.GetAsync("/api/v1/referrals")).StatusCode);
            var (later, _) = await d.Refer();
            Assert.Equal(HttpStatusCode.OK, (await partner.GetAsync($"/api/v1/referrals/{later}")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await d.Caseworker.GetAsync($"/api/v1/participants/{participantId}")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await d.Caseworker.GetAsync($"/api/v1/practitioners/{d.PractitionerId}/caseload")).StatusCode);

            // Still held: everything above answered while the rebuild had not got past its first step.
            Assert.Equal("rebuilding", await StateOf(admin, "EpisodeOutcome"));
        }
        finally
        {
            await holding.RollbackAsync();
        }

        await UntilRunningAgain(admin, "EpisodeOutcome");
        await service.AppHost.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));

        // The rows are back, the referral made during the rebuild among them, and the cells the reports read are what a
        // recount of the rows gives: the rebuild's own recount, then the triggers again for what came after.
        await using var connection = new NpgsqlConnection(service.ConnectionString);
        await connection.OpenAsync();
        await using (var rows = new NpgsqlCommand("select count(*) from outcomes.mt_doc_episodeoutcome where partner_id = @partner", connection))
        {
            rows.Parameters.AddWithValue("partner", d.PartnerId);
            Assert.Equal(2L, (long)(await rows.ExecuteScalarAsync())!);
        }

        await using var drift = new NpgsqlCommand(
            """
            with monthly as (select month, partner_id, programme, referrals, accepted from outcomes.episode_outcome_monthly),
            monthly_recount as (
                select (date_trunc('month', received_at at time zone 'UTC'))::date as month, partner_id, coalesce(programme, 'none') as programme,
                       count(*)::int as referrals, (count(*) filter (where accepted))::int as accepted
                from outcomes.mt_doc_episodeoutcome group by 1, 2, 3),
            cells as (select report, month, partner_id, programme, key, n from outcomes.episode_outcome_cells),
            cells_recount as (
                select split_part(f, ':', 1) as report, (date_trunc('month', r.received_at at time zone 'UTC'))::date as month, r.partner_id,
                       coalesce(r.programme, 'none') as programme, substr(f, strpos(f, ':') + 1) as key, count(*)::int as n
                from outcomes.mt_doc_episodeoutcome r cross join lateral unnest(r.report_cells) f group by 1, 2, 3, 4, 5)
            select (select count(*) from (select * from monthly except select * from monthly_recount) a)::int
                 + (select count(*) from (select * from monthly_recount except select * from monthly) b)::int
                 + (select count(*) from (select * from cells except select * from cells_recount) c)::int
                 + (select count(*) from (select * from cells_recount except select * from cells) e)::int
                 + (select case when count(*) = 0 then 1 else 0 end from outcomes.episode_outcome_cells where partner_id = @partner)::int
            """, connection);
        drift.Parameters.AddWithValue("partner", d.PartnerId);
        Assert.Equal(0, (int)(await drift.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task Until_a_rebuild_of_the_episode_rows_is_whole_their_readers_see_the_rows_as_they_were()
    {
        var d = await EpisodeDriver.Start(service);
        var (referralId, _) = await d.Refer();
        await d.Accept(referralId);
        await service.AppHost.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        var admin = service.Admin();

        // Hold the rebuild at its last step, moving the projection's progress, when every row has been written again but
        // not committed: the rows a reader sees meanwhile are the ones from before the rebuild.
        await using var holder = new NpgsqlConnection(service.ConnectionString);
        await holder.OpenAsync();
        var holding = await holder.BeginTransactionAsync();
        await using (var hold = new NpgsqlCommand("lock table events.mt_event_progression in share mode", holder, holding)) await hold.ExecuteNonQueryAsync();
        try
        {
            var started = await admin.PostAsync("/api/v1/admin/projections/EpisodeOutcome/rebuild", null);
            Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
            await UntilTheRebuildWaitsOn("%mt_mark_event_progression%");
            Assert.Equal((1L, 1L), await EpisodeRowsOf(d.PartnerId));
        }
        finally
        {
            await holding.RollbackAsync();
        }

        await UntilRunningAgain(admin, "EpisodeOutcome");
        Assert.Equal((1L, 1L), await EpisodeRowsOf(d.PartnerId));
    }

    /// <summary>The partner's episode rows, and how many of them are accepted.</summary>
    private async Task<(long Rows, long Accepted)> EpisodeRowsOf(Guid partnerId)
    {
        await using var connection = new NpgsqlConnection(service.ConnectionString);
        await connection.OpenAsync();
        await using var rows = new NpgsqlCommand(
            "select count(*), count(*) filter (where (data ->> 'Accepted')::boolean) from outcomes.mt_doc_episodeoutcome where partner_id = @partner",
            connection);
        rows.Parameters.AddWithValue("partner", partnerId);
        await using var reader = await rows.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    private async Task<HttpClient> PartnerOf(EpisodeDriver d) => (await service.ClientFor("partner", partnerId: d.PartnerId)).Client;

    private Task UntilTheRebuildWaitsOnTheEpisodeTable() => UntilTheRebuildWaitsOn("%delete from outcomes.mt_doc_episodeoutcome%");

    private async Task UntilTheRebuildWaitsOn(string statement)
    {
        await using var connection = new NpgsqlConnection(service.ConnectionString);
        await connection.OpenAsync();
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            await using var waiting = new NpgsqlCommand(
                "select count(*) from pg_stat_activity where wait_event_type = 'Lock' and query ilike @statement", connection);
            waiting.Parameters.AddWithValue("statement", statement);
            if ((long)(await waiting.ExecuteScalarAsync())! > 0) return;
            Assert.True(DateTime.UtcNow < deadline, $"The rebuild never reached {statement}.");
            await Task.Delay(100);
        }
    }

    private static async Task<string?> StateOf(HttpClient admin, string projection)
    {
        var list = await admin.GetFromJsonAsync<JsonElement>("/api/v1/admin/projections");
        return list.GetProperty("projections").EnumerateArray()
            .Where(p => p.GetProperty("name").GetString() == projection)
            .Select(p => p.GetProperty("state").GetString())
            .FirstOrDefault();
    }

    private static async Task UntilRunningAgain(HttpClient admin, string projection)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (await StateOf(admin, projection) != "running")
        {
            Assert.True(DateTime.UtcNow < deadline, $"{projection} did not run again after its rebuild.");
            await Task.Delay(250);
        }
    }
}
