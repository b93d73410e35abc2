using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marten;
using Marten.Events;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using WorkingConversations.Outcomes.Projections;
using WorkingConversations.Testing;

namespace WorkingConversations.Outcomes.Tests.Integration;

/// <summary>The service as it runs in production: the episode rows are built by the asynchronous projection daemon.</summary>
public sealed class AsynchronousOutcomesService : ServiceFixture
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Outcomes:EpisodeProjection"] = "Async" };
}

public sealed class AsynchronousProjectionTests(AsynchronousOutcomesService service) : IClassFixture<AsynchronousOutcomesService>
{
    [Fact]
    public async Task With_the_default_setting_a_referral_reaches_its_episode_row_through_the_projection_daemon()
    {
        var (partnerId, partner) = await service.NewPartner();
        var created = await partner.PostAsJsonAsync("/api/v1/referrals", new
        {
            partnerReference = "ASYNC-1",
            person = new { givenName = "Asha", familyName = "Daemon" + Guid.NewGuid().ToString("N")[..8], dateOfBirth = "1988-02-03", postcode = "L8 1XY" },
            reason = "Low mood",
            consent = new { given = true },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var participantId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("participantId").GetGuid();

        await service.AppHost.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(30));

        await using var session = service.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var row = await session.LoadAsync<EpisodeOutcome>(EpisodeOutcome.KeyOf(participantId, 1));
        Assert.NotNull(row);
        Assert.Equal(partnerId, row.PartnerId);

        // The daemon, not the request, wrote it: an asynchronous projection keeps its own progress mark.
        await using var connection = new NpgsqlConnection(service.ConnectionString);
        await connection.OpenAsync();
        await using var progress = new NpgsqlCommand("select count(*) from events.mt_event_progression where name like 'EpisodeOutcome%'", connection);
        Assert.Equal(1L, (long)(await progress.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task The_daemon_reports_on_the_scrape_how_far_the_episode_projection_is_behind_and_how_many_events_it_folded()
    {
        var (_, partner) = await service.NewPartner();
        var created = await partner.PostAsJsonAsync("/api/v1/referrals", new
        {
            partnerReference = "ASYNC-METRICS",
            person = new { givenName = "Asha", familyName = "Gauge" + Guid.NewGuid().ToString("N")[..8], dateOfBirth = "1988-02-03", postcode = "L8 1XY" },
            reason = "Low mood",
            consent = new { given = true },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await service.AppHost.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(30));

        // Marten's meter: per projection shard, the gap to the high-water mark (a histogram) and the events processed.
        var scrape = (await service.ClientWithKey(null).GetStringAsync("/metrics")).Split('\n');
        Assert.Contains(scrape, l => l.StartsWith("marten_episodeoutcome_all_gap_count{otel_scope_name=\"Marten\"", StringComparison.Ordinal));
        Assert.Contains(scrape, l => l.StartsWith("marten_episodeoutcome_all_processed_total{otel_scope_name=\"Marten\"", StringComparison.Ordinal));
    }
}
