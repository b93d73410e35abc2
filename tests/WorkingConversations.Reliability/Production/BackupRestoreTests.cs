using System.Diagnostics;
using Npgsql;
using WorkingConversations.BuildingBlocks.Hosting;
using WorkingConversations.Reliability.Checks;
using WorkingConversations.Reliability.Client;
using WorkingConversations.Reliability.Harness;
using WorkingConversations.Reliability.Load;

namespace WorkingConversations.Reliability.Production;

/// <summary>
/// The backup procedure of docs/operations.md, done: pg_dump of the running service's database, pg_restore into a
/// fresh database, a fresh host on it; every journey's state and history, and every projection, are as they were.
/// </summary>
[Collection(ProductionCollection.Name)]
public sealed class BackupRestoreTests(ProductionCluster production)
{
    /// <summary>Tables whose rows a restore must give back exactly: the events and streams, and every module's documents and projections.</summary>
    private static readonly string[] Schemas = [.. Store.ModuleSchemas, "events"];

    /// <summary>The audit of reads grows with every read made to compare, and the daemon's own bookkeeping is not the service's data.</summary>
    private static readonly string[] NotCompared = ["journey.mt_doc_journeyread", "events.mt_event_progression", "events.mt_high_water_skips"];

    private static async Task<Dictionary<string, string>> Journeys(ServiceNodes nodes, Api api, string caseworker, string analyst, IEnumerable<Guid> participants,
        DateTimeOffset asOf)
    {
        var read = new Dictionary<string, string>();
        // The state as it stood at one moment: a read of "now" says when now was.
        var at = Uri.EscapeDataString(asOf.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        foreach (var id in participants)
        {
            foreach (var path in new[] { $"/api/v1/participants/{id}?asOf={at}", $"/api/v1/participants/{id}/history?limit=500&order=asc" })
            {
                var reply = await api.SendAsync(nodes.Pick(), new Call(HttpMethod.Get, path, caseworker));
                Assert.Equal(200, reply.Status);
                read[path] = reply.Body;
            }
        }

        var summary = await api.SendAsync(nodes.Pick(), new Call(HttpMethod.Get, "/api/v1/outcomes/summary?from=2020-01-01&to=2035-12-31&groupBy=month", analyst));
        Assert.Equal(200, summary.Status);
        read["summary"] = summary.Body;
        return read;
    }

    /// <summary>The client tool beside the server binaries the cluster runs, else the newest installed PostgreSQL's.</summary>
    private static string Tool(string tool) =>
        new[] { EmbeddedPostgres.FindBinDirectory() }
            .Concat(Directory.Exists("/usr/lib/postgresql") ? Directory.GetDirectories("/usr/lib/postgresql").OrderDescending().Select(d => Path.Combine(d, "bin")) : [])
            .Where(d => d is not null).Select(d => Path.Combine(d!, tool)).FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException($"{tool} is not installed beside the PostgreSQL server.");

    private static void Run(string tool, params string[] arguments)
    {
        var info = new ProcessStartInfo(Tool(tool)) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var errors = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{tool} failed ({process.ExitCode}): {errors.Result}");
    }

    [Fact]
    public async Task A_restore_of_a_dump_into_a_fresh_database_gives_a_host_with_every_journey_and_projection_as_it_was()
    {
        await using var service = await ServiceUnderTest.StartAsync(production.Cluster, ProductionCluster.Options("backup"), "backup");
        var load = new MixedLoad(service.Client, service.Actors, "backx");
        for (var i = 0; i < 6; i++) await load.RunCaseAsync();
        Assert.All(load.Cases, c => Assert.Null(c.Stopped));
        var settled = await service.Downstream.WaitAsync(await service.Downstream.ExpectedNowAsync(load.Cases), TimeSpan.FromSeconds(60));
        Assert.NotNull(settled.Took);
        var participants = load.Cases.Select(c => c.ParticipantId!.Value).ToArray();

        var asOf = DateTimeOffset.UtcNow;
        var original = await Journeys(service.Nodes, service.Api, service.Actors.CaseworkerKey, service.Actors.AnalystKey, participants, asOf);
        var rows = await service.Store.SnapshotAsync(Schemas, NotCompared);

        // The documented procedure: a custom-format dump of the live database, restored into a new one.
        var dump = Path.Combine(Path.GetTempPath(), $"wc-backup-{Guid.NewGuid():N}.dump");
        var source = new NpgsqlConnectionStringBuilder(service.ConnectionString);
        try
        {
            Run("pg_dump", "--format=custom", "--host", source.Host!, "--port", source.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--username", "postgres", "--dbname", source.Database!, "--file", dump);
            var restored = await production.Cluster.CreateDatabaseAsync("wc_restored");
            Run("pg_restore", "--no-owner", "--exit-on-error", "--host", source.Host!, "--port", source.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--username", "postgres", "--dbname", "wc_restored", dump);

            await service.Nodes.StopAllAsync();
            await using var fresh = new ServiceNodes(service.Nodes.All[0].Dll, restored, 1, ServiceUnderTest.Settings,
                Path.Combine(ProductionCluster.Options("backup").LogDirectory, "restored"));
            await fresh.StartAllAsync();
            var keys = (Caseworker: service.Actors.CaseworkerKey, Analyst: service.Actors.AnalystKey);

            var differences = Store.Differences(rows, await new Store(restored).SnapshotAsync(Schemas, NotCompared));
            Assert.True(differences.Count == 0, "After the restore:\n" + string.Join("\n", differences));
            var again = await Journeys(fresh, service.Api, keys.Caseworker, keys.Analyst, participants, asOf);
            foreach (var (what, body) in original) Assert.True(body == again[what], $"{what} differs after the restore:\nbefore {body}\nafter  {again[what]}");
        }
        finally
        {
            File.Delete(dump);
        }
    }
}
