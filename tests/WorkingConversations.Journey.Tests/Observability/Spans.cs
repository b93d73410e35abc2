using System.Collections;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using WorkingConversations.Host;
using WorkingConversations.Testing;

namespace WorkingConversations.Journey.Tests.Observability;

/// <summary>
/// The spans an in-memory exporter received. The exporter hands them over one at a time under its own lock; the test
/// reads them while the host may still be writing, so the collection takes its own.
/// </summary>
public sealed class Spans : ICollection<Activity>
{
    private readonly List<Activity> _spans = [];

    public int Count { get { lock (_spans) return _spans.Count; } }

    public bool IsReadOnly => false;

    public void Add(Activity item) { lock (_spans) _spans.Add(item); }

    public void Clear() { lock (_spans) _spans.Clear(); }

    public bool Contains(Activity item) { lock (_spans) return _spans.Contains(item); }

    public void CopyTo(Activity[] array, int arrayIndex) { lock (_spans) _spans.CopyTo(array, arrayIndex); }

    public bool Remove(Activity item) { lock (_spans) return _spans.Remove(item); }

    public IEnumerator<Activity> GetEnumerator() => Snapshot().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public IReadOnlyList<Activity> Snapshot() { lock (_spans) return [.. _spans]; }

    /// <summary>The spans of one trace from several exporters, each once (every exporter in a process sees every span).</summary>
    public static IReadOnlyList<Activity> OfTrace(ActivityTraceId trace, params Spans[] exporters) =>
        [.. exporters.SelectMany(e => e.Snapshot()).Where(s => s.TraceId == trace).DistinctBy(s => s.SpanId)];

    /// <summary>True when <paramref name="ancestor"/> is the span itself or one of its parents within <paramref name="trace"/>.</summary>
    public static bool Descends(Activity span, Activity ancestor, IReadOnlyList<Activity> trace)
    {
        var byId = trace.ToDictionary(s => s.SpanId);
        for (var current = span; current is not null; current = byId.GetValueOrDefault(current.ParentSpanId))
        {
            if (current.SpanId == ancestor.SpanId) return true;
            if (current.ParentSpanId == default) return false;
        }

        return false;
    }

    public static string Describe(IEnumerable<Activity> spans) => string.Join('\n', spans.Select(s =>
        $"{s.Source.Name} | {s.Kind} | {s.DisplayName} | {s.SpanId} <- {s.ParentSpanId} | {string.Join(", ", s.TagObjects.Select(t => $"{t.Key}={t.Value}"))}"));
}

/// <summary>A host that records traces into an in-memory exporter, as it would into OTLP.</summary>
public sealed class TracedServiceFixture : ServiceFixture
{
    public Spans Spans { get; } = new();

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { [HostSetup.RecordTracesKey] = "true" };

    protected override void ConfigureServices(IServiceCollection services) =>
        services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(Spans));
}

/// <summary>One node of a cluster on RabbitMQ in Balanced mode, recording traces into an in-memory exporter.</summary>
public sealed class TracedRabbitMqNode : RabbitMqServiceFixture
{
    public TracedRabbitMqNode()
    {
    }

    private TracedRabbitMqNode(string database, string prefix)
        : base(database, prefix)
    {
    }

    public Spans Spans { get; } = new();

    /// <summary>Another node: the same database, the same broker and the same queues.</summary>
    public TracedRabbitMqNode NextNode() => new(ConnectionString, Prefix);

    protected override IDictionary<string, string?> NodeSettings => new Dictionary<string, string?>
    {
        [HostSetup.RecordTracesKey] = "true",
        ["Messaging:DurabilityMode"] = "Balanced",
    };

    protected override void ConfigureServices(IServiceCollection services) =>
        services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(Spans));
}

/// <summary>Two nodes on one database and one broker.</summary>
public sealed class TwoRabbitMqNodes : IAsyncLifetime
{
    public TracedRabbitMqNode First { get; } = new();

    public TracedRabbitMqNode Second { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await First.InitializeAsync();
        Second = First.NextNode();
        await Second.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await Second.DisposeAsync();
        await First.DisposeAsync();
    }
}
