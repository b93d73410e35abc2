using System.Net.Http.Json;
using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using WorkingConversations.Outcomes.Contracts;
using WorkingConversations.Outcomes.Projections;
using WorkingConversations.Testing;

namespace WorkingConversations.Outcomes.Tests.Integration;

/// <summary>
/// Episode rows written under the earlier rules (a PHQ-9-only recovery counted, a check-in kept with circumstances only
/// counted as missed) get today's figures from a projection rebuild alone, the step docs/modules/outcomes.md gives
/// operators ("Rebuilding the episode rows"); and a rebuild of rows written today changes nothing.
/// </summary>
[Collection(ExactReportsCollection.Name)]
public sealed class RebuildUnderNewRulesTests(ExactReportsService service)
{
    private async Task<IReadOnlyList<string>> Rows(Guid partnerId)
    {
        var rows = new List<string>();
        await using var connection = new NpgsqlConnection(service.ConnectionString);
        await connection.OpenAsync();
        // jsonb text is normalised (key order), so equal documents give equal text.
        await using var command = new NpgsqlCommand(
            """
            select id || ' ' || data::text || ' ' || concat_ws('|', measurable, finished_treatment, caseness_at_start, recovered, reliably_improved, reliably_recovered)
            from outcomes.mt_doc_episodeoutcome where partner_id = @partner order by id
            """, connection);
        command.Parameters.AddWithValue("partner", partnerId);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        return rows;
    }

    private async Task Sql(string sql, Guid participant)
    {
        await using var connection = new NpgsqlConnection(service.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("participant", participant);
        await command.ExecuteNonQueryAsync();
    }

    private async Task Rebuild()
    {
        var store = service.Services.GetRequiredService<IDocumentStore>();
        using var daemon = await store.BuildProjectionDaemonAsync();
        await daemon.RebuildProjectionAsync(typeof(EpisodeOutcomeProjection), CancellationToken.None);
    }

    private static int Count(JsonElement report, string name) => report.GetProperty(name).GetProperty("value").GetInt32();

    [Fact]
    public async Task A_rebuild_gives_old_episodes_the_new_figures_and_leaves_new_ones_as_they_are()
    {
        var d = await EpisodeDriver.Start(service);
        var paired = await d.Episode(held: 2, phq9Start: 15, gad7Start: 9, phq9End: 5, gad7End: 3);
        var (referral, phq9Only) = await d.Refer();
        await d.Accept(referral);
        await d.Assign(phq9Only);
        await d.Hold(phq9Only, 2);
        var now = service.Clock.GetUtcNow();
        await d.Questionnaire(phq9Only, "PHQ-9", "start", EpisodeDriver.Phq9(15), now.AddHours(-1));
        await d.Questionnaire(phq9Only, "PHQ-9", "end", EpisodeDriver.Phq9(5), now);
        await d.End(phq9Only);

        // The paired episode's one-month check-in is kept with circumstances only; the handler of the earlier rules,
        // which looked for questionnaires alone, marked it missed. Its events are appended as that handler appended them.
        var endedAt = (await d.Outcome(paired)).EndedAt!.Value;
        var due = endedAt.AddMonths(1);
        service.Clock.Set(due.AddDays(2));
        await d.Circumstances(paired, "follow-up", "secure", "employed-part-time", "meets-basic-needs", someone: true, community: true);
        await using (var session = service.Services.GetRequiredService<IDocumentStore>().LightweightSession())
        {
            session.Events.Append(paired, new FollowUpCheckInDue(paired, 1, 1, due, due), new FollowUpCheckInMissed(paired, 1, 1, due, due.AddDays(15)));
            await session.SaveChangesAsync();
        }

        var today = await Rows(d.PartnerId);
        var analyst = (await service.ClientFor("analyst")).Client;
        var range = $"from=2000-01-01&to=2100-12-31&partnerId={d.PartnerId}";
        async Task<(int Recovered, int AtCaseness, int NotMeasurable, int Done, int Missed)> Figures()
        {
            var summary = Assert.Single((await analyst.GetFromJsonAsync<JsonElement>($"/api/v1/outcomes/summary?{range}")).GetProperty("groups").EnumerateArray());
            var relapse = await analyst.GetFromJsonAsync<JsonElement>($"/api/v1/outcomes/relapse?{range}");
            return (Count(summary, "recovered"), Count(summary, "finishedAtCaseness"), Count(summary, "notMeasurable"),
                Count(relapse, "followUpsDone"), Count(relapse, "followUpsMissed"));
        }

        var newFigures = await Figures();
        Assert.Equal((1, 1, 1, 1, 0), newFigures);

        // The rows as the earlier rules wrote them: no paired-scores judgement, the PHQ-9-only episode recovered, and
        // the check-in kept with circumstances counted as missed. The monthly cells follow through their trigger.
        await Sql("""
            update outcomes.mt_doc_episodeoutcome
            set measurable = null, data = data - 'Measurable' - 'FollowUpDates' - 'Phq9Questionnaires' - 'Gad7Questionnaires'
            where (data ->> 'ParticipantId')::uuid = @participant
            """, phq9Only);
        await Sql("""
            update outcomes.mt_doc_episodeoutcome
            set recovered = true, reliably_improved = true, reliably_recovered = true,
                data = data || '{"Recovered": true, "ReliablyImproved": true, "ReliablyRecovered": true}'
            where (data ->> 'ParticipantId')::uuid = @participant
            """, phq9Only);
        await Sql("""
            update outcomes.mt_doc_episodeoutcome
            set measurable = null, data = data - 'Measurable' - 'FollowUpDates' - 'Phq9Questionnaires' - 'Gad7Questionnaires'
                || '{"FollowUpsDone": 0, "FollowUpsMissed": 1}'
            where (data ->> 'ParticipantId')::uuid = @participant
            """, paired);
        Assert.Equal((2, 2, 0, 0, 1), await Figures());

        // Nothing changes but the rebuild.
        await Rebuild();
        Assert.Equal(today, await Rows(d.PartnerId));
        Assert.Equal(newFigures, await Figures());

        // And a rebuild of rows written under today's rules gives the same rows again.
        await Rebuild();
        Assert.Equal(today, await Rows(d.PartnerId));
    }
}
