using System.Collections.Concurrent;
using System.Threading.Channels;
using Marten;
using Marten.Patching;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WorkingConversations.Access.Keys;

namespace WorkingConversations.Access.Authenticating;

/// <summary>
/// Records when each key was last used (<c>lastUsedAt</c> in the key list), without a write per request: at most once
/// per <c>Auth:LastUsedEverySeconds</c> (default 300) per key and node, and off the request path, by a background writer
/// that patches the one field. A lost update only makes the time a little older.
/// </summary>
internal sealed class KeyUsage(IDocumentStore store, IConfiguration configuration, ILogger<KeyUsage> logger) : BackgroundService
{
    private readonly TimeSpan _every = TimeSpan.FromSeconds(configuration.GetValue("Auth:LastUsedEverySeconds", 300));
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _written = new();
    private readonly Channel<(Guid Key, DateTimeOffset At)> _pending =
        Channel.CreateBounded<(Guid, DateTimeOffset)>(new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>A request authenticated with the key at <paramref name="now"/>.</summary>
    public void Used(Guid keyId, DateTimeOffset now)
    {
        var due = true;
        _written.AddOrUpdate(keyId, now, (_, last) =>
        {
            due = now - last >= _every;
            return due ? now : last;
        });
        if (due) _pending.Writer.TryWrite((keyId, now));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _pending.Reader.WaitToReadAsync(stoppingToken))
            {
                try
                {
                    await using var session = store.LightweightSession();
                    while (_pending.Reader.TryRead(out var used)) session.Patch<ApiKey>(used.Key).Set(k => k.LastUsedAt, used.At);
                    await session.SaveChangesAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning("The last-used time of API keys could not be recorded ({Error}); it is recorded at a later use", e.GetType().Name);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
