using WorkingConversations.ProcessRig;
using WorkingConversations.Reliability.Checks;
using WorkingConversations.Reliability.Client;
using WorkingConversations.Reliability.Load;
using WorkingConversations.Testing;

namespace WorkingConversations.Reliability.Harness;

/// <summary>A scenario's own service: a fresh database, its host processes, a partner's callback receiver and the load's actors.</summary>
public sealed class ServiceUnderTest : IAsyncDisposable
{
    /// <summary>What every host of the harness runs with besides Production's defaults.</summary>
    public static readonly IReadOnlyDictionary<string, string> Settings = new Dictionary<string, string>
    {
        // The load is one partner's; the per-key limit is not what is under test.
        ["RateLimiting__PermitsPerWindow"] = "100000000",
        // The same for the per-partner referral intake limit.
        ["RateLimiting__Referrals__PermitsPerWindow"] = "100000000",
        ["RateLimiting__Referrals__InFlight"] = "100000",
        // A few practitioners hold every participant of the run.
        ["VolunteerTraining__Certification__VolunteerCapacity"] = "100000",
        // A Production host refuses the development keys: the run's own, the same for every node and command of the run.
        ["Referrals__MatchKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        ["Referrals__IdentityEncryptionKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        ["Journey__AuditKey"] = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        // The partner's callback receiver listens on loopback over plain HTTP, which the outbound rule refuses by default.
        ["Outbound__AllowPrivateNetworks"] = "true",
        ["Outbound__AllowHttp"] = "true",
    };

    private ServiceUnderTest(string connectionString, ServiceNodes nodes, CallbackReceiver receiver, Api api, PersistentClient client)
    {
        ConnectionString = connectionString;
        Nodes = nodes;
        Receiver = receiver;
        Api = api;
        Client = client;
        Store = new Store(connectionString);
        Downstream = new Downstream(Store, receiver);
    }

    public string ConnectionString { get; }
    public ServiceNodes Nodes { get; }
    public CallbackReceiver Receiver { get; }
    public Api Api { get; }
    public PersistentClient Client { get; }
    public Ledger Ledger => Client.Ledger;
    public Store Store { get; }
    public Downstream Downstream { get; }
    public Actors Actors { get; private set; } = null!;

    public static async Task<ServiceUnderTest> StartAsync(ThrowAwayCluster cluster, HarnessOptions options, string scenario,
        IReadOnlyDictionary<string, string>? settings = null)
    {
        var database = await cluster.CreateDatabaseAsync("wc_" + scenario);
        var all = new Dictionary<string, string>(Settings);
        if (options.Broker)
        {
            // As docs/operations.md runs several nodes on the broker: Balanced durability, one prefix for the installation.
            all["Messaging__Transport"] = "RabbitMq";
            all["Messaging__RabbitMq__Uri"] = (await TestRabbitMq.UriAsync()).ToString();
            all["Messaging__RabbitMq__Prefix"] = TestRabbitMq.NewPrefix(scenario);
            all["Messaging__DurabilityMode"] = "Balanced";
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) all[key] = value;
        var nodes = new ServiceNodes(options.HostDll, database, options.Nodes, all, Path.Combine(options.LogDirectory, scenario));
        await nodes.StartAllAsync();
        var receiver = await CallbackReceiver.StartAsync();
        var api = new Api();
        var service = new ServiceUnderTest(database, nodes, receiver, api, new PersistentClient(api, nodes, new Ledger()));
        service.Actors = await Actors.SetUpAsync(service.Client, nodes.AdminKey, receiver, practitioners: 3);
        return service;
    }

    public async ValueTask DisposeAsync()
    {
        await Nodes.DisposeAsync();
        await Receiver.DisposeAsync();
        Api.Dispose();
    }
}
