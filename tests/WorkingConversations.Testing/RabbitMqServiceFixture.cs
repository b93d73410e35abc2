namespace WorkingConversations.Testing;

/// <summary>
/// The real host with every message between modules on RabbitMQ (<c>Messaging:Transport=RabbitMq</c>): the same host,
/// the same modules, only configuration differs. Queues and exchanges carry a prefix of this fixture's own.
/// </summary>
public class RabbitMqServiceFixture : ServiceFixture
{
    private readonly string? _existingDatabase;
    private Uri? _broker;

    public RabbitMqServiceFixture()
        : this(existingDatabase: null, prefix: null)
    {
    }

    /// <summary>Another node of a cluster: an existing database and the queue names of the nodes already on it.</summary>
    protected RabbitMqServiceFixture(string? existingDatabase, string? prefix)
    {
        _existingDatabase = existingDatabase;
        Prefix = prefix ?? TestRabbitMq.NewPrefix(GetType().Name);
    }

    /// <summary>The start of this fixture's queue and exchange names on the broker.</summary>
    public string Prefix { get; }

    public Uri Broker => _broker ?? throw new InvalidOperationException("The fixture has not started.");

    protected override IDictionary<string, string?> Settings
    {
        get
        {
            var settings = new Dictionary<string, string?>(NodeSettings)
            {
                ["Messaging:Transport"] = "RabbitMq",
                ["Messaging:RabbitMq:Uri"] = Broker.ToString(),
                ["Messaging:RabbitMq:Prefix"] = Prefix,
            };
            return settings;
        }
    }

    /// <summary>Further settings of a derived fixture (durability mode, tracing).</summary>
    protected virtual IDictionary<string, string?> NodeSettings => new Dictionary<string, string?>();

    protected override async Task StartDependenciesAsync() => _broker = await TestRabbitMq.UriAsync();

    protected override Task<string> CreateDatabaseAsync() =>
        _existingDatabase is null ? base.CreateDatabaseAsync() : Task.FromResult(_existingDatabase);
}
