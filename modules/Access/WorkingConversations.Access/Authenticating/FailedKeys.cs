using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Configuration;

namespace WorkingConversations.Access.Authenticating;

/// <summary>
/// Slows down a client that keeps presenting keys that do not work (guessing, or a script with a revoked key): past
/// <c>Auth:FailedKeys:Free</c> failures (default 10) from one address within a minute, each further failure is answered
/// only after a wait that grows by <c>Auth:FailedKeys:StepMilliseconds</c> (default 250) per failure, up to 5 seconds.
/// A key can not be guessed (256 random bits); this keeps a guesser from costing the service more than it costs them.
/// </summary>
internal sealed class FailedKeys(IConfiguration configuration)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(5);
    private readonly int _free = configuration.GetValue("Auth:FailedKeys:Free", 10);
    private readonly TimeSpan _step = TimeSpan.FromMilliseconds(configuration.GetValue("Auth:FailedKeys:StepMilliseconds", 250));
    private readonly ConcurrentDictionary<string, (DateTimeOffset Since, int Count)> _failures = new();

    /// <summary>Counts a failure from the address and answers how long to wait before saying so.</summary>
    public TimeSpan Failed(IPAddress? address)
    {
        // Real time, not the service clock: what is slowed down is a client, in seconds of its own.
        var now = DateTimeOffset.UtcNow;
        if (_failures.Count > 100_000) _failures.Clear();
        var (_, count) = _failures.AddOrUpdate(address?.ToString() ?? "unknown", _ => (now, 1),
            (_, seen) => now - seen.Since > Window ? (now, 1) : (seen.Since, seen.Count + 1));
        var extra = count - _free;
        return extra <= 0 ? TimeSpan.Zero : TimeSpan.FromTicks(Math.Min(MaxWait.Ticks, _step.Ticks * extra));
    }
}
