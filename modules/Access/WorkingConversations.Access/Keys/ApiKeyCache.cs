using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Configuration;
using WorkingConversations.Access.Authenticating;
using WorkingConversations.Access.IssuingApiKeys;
using WorkingConversations.BuildingBlocks.Auth;
using WorkingConversations.BuildingBlocks;

namespace WorkingConversations.Access.Keys;

/// <summary>
/// Keeps recently used API keys for a few seconds (<c>Auth:KeyCacheSeconds</c>, default 5; 0 turns it off), so that a
/// busy caller does not cost a database round trip per request. Revoking a key evicts it here at once; another node
/// of a multi-node deployment stops accepting it within those seconds.
/// </summary>
internal sealed class ApiKeyCache(IConfiguration configuration)
{
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 10_000 });
    private readonly TimeSpan _lifetime = TimeSpan.FromSeconds(configuration.GetValue("Auth:KeyCacheSeconds", 5));

    public bool TryGet(string hash, out ApiKey? key) => _cache.TryGetValue(hash, out key);

    public void Remember(ApiKey key)
    {
        if (_lifetime <= TimeSpan.Zero || !key.IsActive) return;
        _cache.Set(key.Hash, key, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = _lifetime, Size = 1 });
    }

    public void Forget(string hash) => _cache.Remove(hash);
}
