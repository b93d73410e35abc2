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
    {
        Prefix = TestRabbitMq.NewPrefix(GetType().Name);
    }

    private RabbitMqServiceFixture(string connectionString, string prefix, IDictionary<string, string?> settings)
    {
        _existingDatabase = connectionString;
        Prefix = prefix;
        ExtraSettings = settings;
    }

    /// <summary>The start of this fixture's queue and exchange names on the broker.</summary>
    public string Prefix { get; }

    public Uri Broker => _broker ?? throw new InvalidOperationException("The fixture has not started.");

    private IDictionary<string, string?> ExtraSettings { get; } = new Dictionary<string, string?>();

    protected override IDictionary<string, string?> Settings
    {
        get
        {
            var settings = new Dictionary<string, string?>(ExtraSettings)
            {
                ["Messaging:Transport"] = "RabbitMq",
                ["Messaging:RabbitMq:Uri"] = Broker.ToString(),
                ["Messaging:RabbitMq:Prefix"] = Prefix,
            };
            foreach (var (key, value) in NodeSettings) settings[key] = value;
            return settings;
        }
    }

    /// <summary>Further settings of a derived fixture (durability mode, tracing).</summary>
    protected virtual IDictionary<string, string?> NodeSettings => new Dictionary<string, string?>();

    /// <summary>Another node of the same cluster: the same database, the same broker and the same queues.</summary>
    public RabbitMqServiceFixture SecondNode() =>
        new(ConnectionString, Prefix, new Dictionary<string, string?>(Settings.Where(s => !s.Key.StartsWith("Messaging:RabbitMq:", StringComparison.Ordinal))));

    protected override async Task StartDependenciesAsync() => _broker = await TestRabbitMq.UriAsync();

    protected override Task<string> CreateDatabaseAsync() =>
        _existingDatabase is null ? base.CreateDatabaseAsync() : Task.FromResult(_existingDatabase);
}
