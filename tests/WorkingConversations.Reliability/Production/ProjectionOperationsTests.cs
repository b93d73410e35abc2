using System.Text.Json;
using Npgsql;
using WorkingConversations.Reliability.Client;
using WorkingConversations.Reliability.Harness;
using WorkingConversations.Reliability.Load;

namespace WorkingConversations.Reliability.Production;

/// <summary>
/// The asynchronous outcome projection under operators' eyes, in Production mode: a projection that stops for good is
/// reported by health, a metric and an error line naming it, and the documented rebuild brings it back; pausing it
/// makes health degraded, then unhealthy as its lag passes the thresholds, and resuming it makes it healthy again.
/// </summary>
[Collection(ProductionCollection.Name)]
public sealed class ProjectionOperationsTests(ProductionCluster production)
{
    private const string Projection = "EpisodeOutcome";

    private static async Task<JsonElement> Health(ServiceUnderTest service)
    {
        var reply = await service.Api.SendAsync(service.Nodes.Pick(), new Call(HttpMethod.Get, "/health/ready", null,
            Headers: new Dictionary<string, string> { ["Accept"] = "application/json" }));
        return reply.Json;
    }

    private static async Task<JsonElement> State(ServiceUnderTest service) =>
        (await Actors.Must(service.Client, new Call(HttpMethod.Get, "/api/v1/admin/projections", service.Actors.AdminKey)))
        .GetProperty("projections").EnumerateArray().Single(p => p.GetProperty("name").GetString() == Projection);

    private static async Task<T> Eventually<T>(Func<Task<T>> read, Func<T, bool> until, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        T last;
        while (!until(last = await read()))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{what} did not happen within {timeout.TotalSeconds:0} s; last: {last}");
            await Task.Delay(250);
        }

        return last;
    }

    private static async Task<(long Rows, long Episodes)> OutcomeRows(ServiceUnderTest service) =>
        (await service.Store.ScalarAsync("select count(*) from outcomes.mt_doc_episodeoutcome"),
            await service.Store.ScalarAsync("select count(distinct (stream_id, data->>'EpisodeNumber')) from events.mt_events where type = 'referral-received'"));

    [Fact]
    public async Task A_projection_whose_progress_row_is_corrupted_is_reported_stopped_and_the_documented_rebuild_brings_it_back()
    {
        await using var service = await ServiceUnderTest.StartAsync(production.Cluster, ProductionCluster.Options("stall"), "stall",
            new Dictionary<string, string> { ["Operations__Projections__SampleSeconds"] = "1" });
        var load = new MixedLoad(service.Client, service.Actors, "stallx");
        for (var i = 0; i < 3; i++) await load.RunCaseAsync();
        await Eventually(() => State(service), s => s.GetProperty("behindEvents").GetInt64() == 0, TimeSpan.FromSeconds(30), "catching up");

        // What the benchmark once did to a running daemon: its progress row moved under it.
        await using (var connection = new NpgsqlConnection(service.ConnectionString))
        {
            await connection.OpenAsync();
            await using var corrupt = new NpgsqlCommand($"update events.mt_event_progression set last_seq_id = last_seq_id + 1000 where name = '{Projection}:All'", connection);
            Assert.Equal(1, await corrupt.ExecuteNonQueryAsync());
        }

        for (var i = 0; i < 2; i++) await load.RunCaseAsync();
        var health = await Eventually(() => Health(service), h => h.GetProperty("status").GetString() == "Unhealthy", TimeSpan.FromSeconds(60),
            "health reporting the stopped projection");
        var check = health.GetProperty("checks").GetProperty("projections");
        Assert.Equal("Unhealthy", check.GetProperty("status").GetString());
        Assert.Contains("/api/v1/admin/projections/EpisodeOutcome/rebuild", check.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("stopped", check.GetProperty("data").GetProperty(Projection).GetString(), StringComparison.Ordinal);
        Assert.Equal("stopped", (await State(service)).GetProperty("state").GetString());

        var stoppedMetric = new System.Text.RegularExpressions.Regex($"wc_projection_stopped\\{{[^}}]*projection=\"{Projection}\"[^}}]*\\}} 1");
        await Eventually(async () => (await service.Api.SendAsync(service.Nodes.Pick(), new Call(HttpMethod.Get, "/metrics", null))).Body,
            metrics => stoppedMetric.IsMatch(metrics), TimeSpan.FromSeconds(15), "the stopped metric at 1");
        await Eventually(() => Task.FromResult(service.Nodes.LogLines.ToArray()),
            lines => lines.Any(l => l.Contains("\"LogLevel\":\"Error\"", StringComparison.Ordinal) &&
                                    l.Contains($"The projection {Projection} has stopped", StringComparison.Ordinal)), TimeSpan.FromSeconds(10), "an error line naming it");

        // The way back, as docs/operations.md gives it.
        var rebuild = await service.Api.SendAsync(service.Nodes.Pick(),
            new Call(HttpMethod.Post, $"/api/v1/admin/projections/{Projection}/rebuild", service.Actors.AdminKey));
        Assert.Equal(202, rebuild.Status);
        await Eventually(() => State(service), s => s.GetProperty("state").GetString() == "running" && s.GetProperty("behindEvents").GetInt64() == 0,
            TimeSpan.FromSeconds(60), "the rebuilt projection running and caught up");
        await Eventually(() => Health(service), h => h.GetProperty("status").GetString() == "Healthy", TimeSpan.FromSeconds(30), "health again");
        await load.RunCaseAsync();
        await Eventually(() => OutcomeRows(service), r => r.Rows == r.Episodes && r.Rows == 6, TimeSpan.FromSeconds(30), "an outcome row for every episode");
    }

    [Fact]
    public async Task A_paused_projection_makes_health_degraded_then_unhealthy_as_it_falls_behind_and_healthy_once_resumed()
    {
        await using var service = await ServiceUnderTest.StartAsync(production.Cluster, ProductionCluster.Options("lag"), "lag",
            new Dictionary<string, string>
            {
                ["Operations__Projections__DegradedAfterSeconds"] = "2",
                ["Operations__Projections__UnhealthyAfterSeconds"] = "8",
            });
        var load = new MixedLoad(service.Client, service.Actors, "lagxx");
        await load.RunCaseAsync();
        await Eventually(() => Health(service), h => h.GetProperty("status").GetString() == "Healthy", TimeSpan.FromSeconds(30), "healthy at first");

        var paused = await service.Api.SendAsync(service.Nodes.Pick(), new Call(HttpMethod.Post, $"/api/v1/admin/projections/{Projection}/pause", service.Actors.AdminKey));
        Assert.Equal(202, paused.Status);
        Assert.Equal("paused", (await State(service)).GetProperty("state").GetString());
        await load.RunCaseAsync();

        var degraded = await Eventually(() => Health(service), h => h.GetProperty("status").GetString() == "Degraded", TimeSpan.FromSeconds(10), "degraded");
        Assert.Contains("paused", degraded.GetProperty("checks").GetProperty("projections").GetProperty("data").GetProperty(Projection).GetString(),
            StringComparison.Ordinal);
        var unhealthy = await Eventually(() => Health(service), h => h.GetProperty("status").GetString() == "Unhealthy", TimeSpan.FromSeconds(30), "unhealthy");
        Assert.Contains("behind", unhealthy.GetProperty("checks").GetProperty("projections").GetProperty("description").GetString(), StringComparison.Ordinal);
        var probe = await service.Api.SendAsync(service.Nodes.Pick(), new Call(HttpMethod.Get, "/health/ready", null));
        Assert.Equal(503, probe.Status);

        var resumed = await service.Api.SendAsync(service.Nodes.Pick(), new Call(HttpMethod.Post, $"/api/v1/admin/projections/{Projection}/resume", service.Actors.AdminKey));
        Assert.Equal(202, resumed.Status);
        await Eventually(() => Health(service), h => h.GetProperty("status").GetString() == "Healthy", TimeSpan.FromSeconds(60), "healthy once resumed");
        Assert.Equal(0, (await State(service)).GetProperty("behindEvents").GetInt64());
    }

    [Fact]
    public async Task The_rebuild_command_prints_each_projections_progress_and_leaves_it_whole()
    {
        await using var service = await ServiceUnderTest.StartAsync(production.Cluster, ProductionCluster.Options("rebuildcmd"), "rebuildcmd");
        var load = new MixedLoad(service.Client, service.Actors, "rbcmd");
        for (var i = 0; i < 3; i++) await load.RunCaseAsync();
        await Eventually(() => State(service), s => s.GetProperty("behindEvents").GetInt64() == 0, TimeSpan.FromSeconds(30), "catching up");
        await service.Nodes.StopAllAsync();

        var run = WorkingConversations.ProcessRig.HostProcess.RunCommand(service.Nodes.All[0].Dll, service.ConnectionString,
            ["rebuild", "--projection", Projection], ServiceUnderTest.Settings, TimeSpan.FromMinutes(5));

        Assert.True(run.ExitCode == 0, string.Join("\n", run.Output));
        Assert.Contains(run.Output, l => l.Contains($"{Projection}: ", StringComparison.Ordinal) && l.Contains("events/s", StringComparison.Ordinal) &&
                                         l.Contains(" of ", StringComparison.Ordinal));
        Assert.Contains(run.Output, l => l.StartsWith("Rebuilt 1 projection", StringComparison.Ordinal));
        var (rows, episodes) = await OutcomeRows(service);
        Assert.Equal(3, episodes);
        Assert.Equal(episodes, rows);
    }
}
