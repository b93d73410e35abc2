using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using WorkingConversations.Outcomes.Projections;
using WorkingConversations.Testing;

namespace WorkingConversations.Outcomes.Tests.Integration;

[Collection(OutcomesCollection.Name)]
public sealed class RebuildTests(ServiceFixture service)
{
    private async Task<IReadOnlyList<(string Id, string Data)>> Rows()
    {
        var rows = new List<(string, string)>();
        await using var connection = new NpgsqlConnection(service.ConnectionString);
        await connection.OpenAsync();
        // jsonb text is normalised (key order), so equal documents give equal text.
        await using var command = new NpgsqlCommand(
            "select id, data::text, received_at, partner_id, programme, finished_treatment, recovered from outcomes.mt_doc_episodeoutcome order by id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var columns = string.Join('|', Enumerable.Range(2, 5).Select(i => reader.IsDBNull(i) ? "null" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)));
            rows.Add((reader.GetString(0), reader.GetString(1) + columns));
        }

        return rows;
    }

    [Fact]
    public async Task Rebuilding_the_episode_outcomes_from_the_event_streams_gives_identical_documents()
    {
        var d = await EpisodeDriver.Start(service);
        var person = Person.Unique();
        await d.Episode(held: 2, phq9Start: 15, gad7Start: 9, phq9End: 5, gad7End: 3, person: person);
        await d.Refer(person);   // returned
        await d.Episode(held: 1, phq9Start: 6, gad7Start: 4, phq9End: 12, gad7End: 8);
        var (declined, _) = await d.Refer();
        await d.Triage(declined, "decline", new { reason = "Needs a clinical service" });

        var before = await Rows();
        Assert.True(before.Count >= 4);

        var store = service.Services.GetRequiredService<IDocumentStore>();
        // Wipe the rows first, so the comparison cannot pass by leaving them untouched.
        await store.Advanced.Clean.DeleteDocumentsByTypeAsync(typeof(EpisodeOutcome));
        Assert.Empty(await Rows());

        using var daemon = await store.BuildProjectionDaemonAsync();
        await daemon.RebuildProjectionAsync(typeof(EpisodeOutcomeProjection), CancellationToken.None);

        var after = await Rows();
        // The monthly cells behind the summary followed the rows out and back in.
        await using (var connection = new NpgsqlConnection(service.ConnectionString))
        {
            await connection.OpenAsync();
            await using var drift = new NpgsqlCommand(
                """
                with cells as (
                    select month, partner_id, programme, referrals, recovered from outcomes.episode_outcome_monthly where referrals <> 0),
                recount as (
                    select (date_trunc('month', received_at at time zone 'UTC'))::date as month, partner_id, coalesce(programme, 'none') as programme,
                           count(*)::int as referrals, (count(*) filter (where finished_treatment and caseness_at_start and recovered))::int as recovered
                    from outcomes.mt_doc_episodeoutcome group by 1, 2, 3)
                select (select count(*) from (select * from cells except select * from recount) a)::int
                     + (select count(*) from (select * from recount except select * from cells) b)::int
                """, connection);
            Assert.Equal(0, (int)(await drift.ExecuteScalarAsync())!);
        }

        Assert.Equal(before.Count, after.Count);
        foreach (var (b, a) in before.Zip(after))
        {
            Assert.Equal(b.Id, a.Id);
            Assert.Equal(b.Data, a.Data);
        }
    }
}
