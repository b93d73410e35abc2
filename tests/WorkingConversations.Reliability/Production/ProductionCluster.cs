using WorkingConversations.ProcessRig;
using WorkingConversations.Reliability.Harness;

namespace WorkingConversations.Reliability.Production;

/// <summary>
/// One throw-away PostgreSQL cluster for the tests that run the host as a child process in Production mode. They
/// share the collection, so they run one at a time and do not disturb each other's timings.
/// </summary>
public sealed class ProductionCluster : IAsyncLifetime
{
    public ThrowAwayCluster Cluster { get; private set; } = null!;

    public static HarnessOptions Options(string test) => HarnessOptions.Short(HarnessOptions.BuiltHostDll()) with
    {
        LogDirectory = Path.Combine(Path.GetTempPath(), $"wc-production-tests-{Environment.ProcessId}", test),
    };

    public async Task InitializeAsync() => Cluster = await ThrowAwayCluster.StartAsync("production-tests");

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class ProductionCollection : ICollectionFixture<ProductionCluster>
{
    public const string Name = "production";
}
