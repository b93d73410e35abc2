using Wolverine;
using Wolverine.RabbitMQ;
using Wolverine.Runtime;
using Wolverine.Runtime.Routing;

namespace WorkingConversations.Host;

/// <summary>The ways messages between modules can travel. The handlers are the same on each.</summary>
public enum MessagingTransport
{
    /// <summary>Durable local queues: in-process, with the inbox in PostgreSQL (one node, or several on one database).</summary>
    Local,

    /// <summary>RabbitMQ queues and exchanges named by convention, with the durable inbox and outbox on every endpoint.</summary>
    RabbitMq,
}

/// <summary>
/// Where the modules' messages travel and how the nodes share the durable work, from configuration alone
/// (<c>Messaging:*</c>, docs/operations.md): the modules publish and handle the same messages either way.
/// </summary>
public sealed record MessagingSettings(MessagingTransport Transport, Uri? RabbitMqUri, string? RabbitMqPrefix, DurabilityMode DurabilityMode)
{
    /// <summary>How often a node writes its heartbeat and the leader checks the nodes (Wolverine's default: 10 s).</summary>
    public TimeSpan? HealthCheckPolling { get; init; }

    /// <summary>How old a node's heartbeat may grow before the others take it for dead (Wolverine's default: 1 minute).</summary>
    public TimeSpan? StaleNodeTimeout { get; init; }

    public const string HealthCheckSecondsKey = "Messaging:Nodes:HealthCheckSeconds";
    public const string StaleNodeTimeoutSecondsKey = "Messaging:Nodes:StaleNodeTimeoutSeconds";

    public const string TransportKey = "Messaging:Transport";
    public const string RabbitMqUriKey = "Messaging:RabbitMq:Uri";
    public const string RabbitMqPrefixKey = "Messaging:RabbitMq:Prefix";
    public const string DurabilityModeKey = "Messaging:DurabilityMode";

    /// <summary>
    /// Pure: the settings from configuration. A value that is not understood stops the host at start-up, naming the
    /// setting, rather than leaving messages on a transport nobody meant.
    /// </summary>
    public static MessagingSettings From(IConfiguration configuration, bool isProduction)
    {
        var transportText = configuration[TransportKey];
        var transport = MessagingTransport.Local;
        if (!string.IsNullOrWhiteSpace(transportText) && !Enum.TryParse(transportText.Trim(), ignoreCase: true, out transport))
        {
            throw new InvalidOperationException($"{TransportKey} is '{transportText}'; it must be Local or RabbitMq.");
        }

        Uri? uri = null;
        var uriText = configuration[RabbitMqUriKey];
        if (transport == MessagingTransport.RabbitMq)
        {
            if (string.IsNullOrWhiteSpace(uriText))
                throw new InvalidOperationException($"{TransportKey} is RabbitMq, so {RabbitMqUriKey} must give the broker (amqp://user:password@host:5672/vhost).");
            if (!Uri.TryCreate(uriText.Trim(), UriKind.Absolute, out uri) || (uri.Scheme != "amqp" && uri.Scheme != "amqps"))
                throw new InvalidOperationException($"{RabbitMqUriKey} must be an amqp:// or amqps:// URI.");
        }

        var prefix = configuration[RabbitMqPrefixKey];
        if (!string.IsNullOrEmpty(prefix) && !prefix.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            throw new InvalidOperationException($"{RabbitMqPrefixKey} may hold only letters, digits, '-', '_' and '.'.");

        // One node is the whole cluster outside production: no leader election to wait for. Several nodes on one database
        // need Balanced, which is Wolverine's default and so production's.
        var mode = isProduction ? DurabilityMode.Balanced : DurabilityMode.Solo;
        var modeText = configuration[DurabilityModeKey];
        if (!string.IsNullOrWhiteSpace(modeText))
        {
            mode = modeText.Trim().ToLowerInvariant() switch
            {
                "solo" => DurabilityMode.Solo,
                "balanced" => DurabilityMode.Balanced,
                _ => throw new InvalidOperationException($"{DurabilityModeKey} is '{modeText}'; it must be Solo (one node) or Balanced (one or more nodes)."),
            };
        }

        return new MessagingSettings(transport, uri, string.IsNullOrEmpty(prefix) ? null : prefix, mode)
        {
            HealthCheckPolling = Seconds(configuration, HealthCheckSecondsKey),
            StaleNodeTimeout = Seconds(configuration, StaleNodeTimeoutSecondsKey),
        };
    }

    private static TimeSpan? Seconds(IConfiguration configuration, string key)
    {
        var text = configuration[key];
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (!int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds) || seconds is < 1 or > 3600)
            throw new InvalidOperationException($"{key} is '{text}'; it must be a whole number of seconds from 1 to 3600.");
        return TimeSpan.FromSeconds(seconds);
    }

    public void ApplyTo(WolverineOptions opts)
    {
        opts.Durability.Mode = DurabilityMode;
        // How soon a node that died without a word is found out, and its agents and messages taken over (docs/operations.md).
        if (HealthCheckPolling is { } polling) opts.Durability.HealthCheckPollingTime = polling;
        if (StaleNodeTimeout is { } stale) opts.Durability.StaleNodeTimeout = stale;

        // A module's messages to itself (the durable timers: DBS lapses, follow-up check-ins) stay on durable local queues
        // either way: they are stored in PostgreSQL until due, so a broker adds nothing to them, and they stay listed
        // under their own type among the scheduled messages.
        opts.Policies.UseDurableLocalQueues();

        if (Transport == MessagingTransport.RabbitMq)
        {
            RabbitMqMessageRoutingConvention? convention = null;
            var rabbit = opts.UseRabbitMq(RabbitMqUri!)
                // Queues, exchanges and bindings are declared at start-up, so a new message type needs no broker change.
                .AutoProvision()
                // Poison messages stay in Wolverine's dead-letter table in PostgreSQL, where the administrators list and
                // replay them whatever the transport, instead of a dead-letter queue on the broker.
                .DisableDeadLetterQueueing()
                // One exchange per message type; under MultipleHandlerBehavior.Separated, one queue per handler bound to it,
                // so each module gets its own copy and its own retries.
                .UseConventionalRouting(c => convention = c
                    .IncludeTypes(IsPublishedLanguage)
                    .ConfigureListeners((listener, _) => listener.UseDurableInbox())
                    .ConfigureSending((sender, _) => sender.UseDurableOutbox()));
            if (RabbitMqPrefix is not null) rabbit.PrefixIdentifiers(RabbitMqPrefix);

            // Wolverine sends a message it has a handler for to a local queue before it asks any broker convention; this
            // asks the broker first for the messages between modules, so that they, and only they, leave the process.
            opts.PublishWithMessageRoutingSource(new PublishedLanguageOnBroker(convention!));
            opts.Policies.UseDurableInboxOnAllListeners();
        }

        opts.Policies.UseDurableOutboxOnAllSendingEndpoints();
    }

    /// <summary>
    /// The published language between modules: the public messages of the modules' Contracts projects
    /// (docs/architecture.md). Everything else a module sends is for itself.
    /// </summary>
    public static bool IsPublishedLanguage(Type messageType) =>
        messageType.Assembly.GetName().Name?.EndsWith(".Contracts", StringComparison.Ordinal) == true;

    private sealed class PublishedLanguageOnBroker(RabbitMqMessageRoutingConvention convention) : IMessageRouteSource
    {
        public IEnumerable<IMessageRoute> FindRoutes(Type messageType, IWolverineRuntime runtime) =>
            IsPublishedLanguage(messageType)
                ? ((IMessageRoutingConvention)convention).DiscoverSenders(messageType, runtime).Select(endpoint => MessageRoute.For(messageType, endpoint, runtime)).ToList()
                : [];

        public bool IsAdditive => false;
    }
}
