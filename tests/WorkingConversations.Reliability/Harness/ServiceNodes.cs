using WorkingConversations.ProcessRig;

namespace WorkingConversations.Reliability.Harness;

/// <summary>
/// The service as its clients see it: one or more host processes on one database behind a round-robin "load
/// balancer" that only sends to nodes whose process is running.
/// </summary>
public sealed class ServiceNodes : IAsyncDisposable
{
    private readonly List<HostProcess> _nodes = [];
    private int _next;

    public ServiceNodes(string hostDll, string connectionString, int count, IReadOnlyDictionary<string, string> settings, string logDirectory)
    {
        Directory.CreateDirectory(logDirectory);
        // Every node takes the same administrator key, so a client need not know which node it reached.
        AdminKey = HostProcess.NewAdminKey();
        for (var i = 1; i <= count; i++)
        {
            _nodes.Add(new HostProcess(hostDll, connectionString, settings, Path.Combine(logDirectory, $"node-{i}.log"), $"node {i}", AdminKey));
        }
    }

    public string AdminKey { get; }

    public IReadOnlyList<HostProcess> All => _nodes;

    public async Task StartAllAsync()
    {
        // One at a time: the first creates the schema, and the others start on it.
        foreach (var node in _nodes) await node.StartAsync();
    }

    private readonly HashSet<HostProcess> _outOfRotation = [];

    /// <summary>As a load balancer does when a node is to be stopped: no new request goes to it.</summary>
    public void TakeOut(HostProcess node)
    {
        lock (_outOfRotation) _outOfRotation.Add(node);
    }

    public void PutBack(HostProcess node)
    {
        lock (_outOfRotation) _outOfRotation.Remove(node);
    }

    /// <summary>A running node in rotation, in turn; the first node when none is (the request then finds nobody).</summary>
    public Uri Pick()
    {
        HostProcess[] running;
        lock (_outOfRotation) running = _nodes.Where(n => n.IsRunning && !_outOfRotation.Contains(n)).ToArray();
        if (running.Length == 0) return _nodes[0].BaseAddress;
        return running[(int)((uint)Interlocked.Increment(ref _next) % running.Length)].BaseAddress;
    }

    public HostProcess Random(Random random) => _nodes[random.Next(_nodes.Count)];

    public IEnumerable<string> LogLines => _nodes.SelectMany(n => n.Lines);

    public async Task StopAllAsync()
    {
        foreach (var node in _nodes) await node.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes) await node.DisposeAsync();
    }
}
