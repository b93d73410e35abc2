using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Marten;
using Microsoft.Extensions.Configuration;
using WorkingConversations.BuildingBlocks.Auth;

namespace WorkingConversations.Access.Keys;

/// <summary>
/// The one way a presented key secret is turned into the key it is: the configured bootstrap admin key, or a stored key
/// found by its hash (through the cache). Used by the API's bearer authentication and by the pages' sign-in alike.
/// </summary>
internal sealed class ApiKeyLookup(ApiKeyCache cache, IConfiguration configuration, TimeProvider clock)
{
    public static readonly Guid BootstrapAdminKeyId = new("00000000-0000-7000-8000-000000000001");
    public const int MaxSecretLength = 200;

    /// <summary>The key with this secret, revoked, expired or not; null when there is none.</summary>
    public async Task<ApiKey?> FindAsync(IQuerySession session, string secret, CancellationToken ct)
    {
        if (secret.Length is 0 or > MaxSecretLength) return null;
        var hash = ApiKey.HashOf(secret);
        if (BootstrapHash is { } bootstrap && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(hash), Encoding.UTF8.GetBytes(bootstrap)))
        {
            return Bootstrap(hash);
        }

        if (!cache.TryGet(hash, out var key))
        {
            key = await session.Query<ApiKey>().FirstOrDefaultAsync(k => k.Hash == hash, ct);
            if (key is not null) cache.Remember(key);
        }

        // The index found the key by its hash; the final comparison is in constant time.
        return key is not null && key.HasHash(hash) ? key : null;
    }

    /// <summary>
    /// Whether the key a session was opened with still works (neither revoked nor expired): looked up by id each time, past
    /// the cache, so a revocation ends it at once.
    /// </summary>
    public async Task<bool> IsActiveAsync(IQuerySession session, Guid keyId, CancellationToken ct)
    {
        if (keyId == BootstrapAdminKeyId) return BootstrapHash is not null;
        var key = await session.LoadAsync<ApiKey>(keyId, ct);
        return key is not null && key.WorksAt(clock.GetUtcNow());
    }

    /// <summary>The claims every caller with a key carries, API or page: role, key id and name, partner or practitioner.</summary>
    public static List<Claim> ClaimsOf(ApiKey key)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, key.Id.ToString()),
            new(ClaimTypes.Name, key.Name),
            new(ClaimTypes.Role, key.Role),
            new(WcClaims.KeyId, key.Id.ToString()),
            new(WcClaims.KeyName, key.Name),
        };
        if (key.PartnerId is { } partner) claims.Add(new(WcClaims.PartnerId, partner.ToString()));
        if (key.PractitionerId is { } practitioner) claims.Add(new(WcClaims.PractitionerId, practitioner.ToString()));
        return claims;
    }

    /// <summary>
    /// The configured bootstrap key's hash, computed again only when the setting changes: every request asks for it, and
    /// hashing the same secret on each of them was CPU spent for nothing (docs/performance.md, round 4).
    /// </summary>
    private string? BootstrapHash
    {
        get
        {
            var bootstrap = configuration["Auth:BootstrapAdminKey"];
            if (bootstrap is not { Length: > 0 }) return null;
            var known = _bootstrap;
            if (known is not null && string.Equals(known.Secret, bootstrap, StringComparison.Ordinal)) return known.Hash;
            known = new HashedSecret(bootstrap, ApiKey.HashOf(bootstrap));
            _bootstrap = known;
            return known.Hash;
        }
    }

    private sealed record HashedSecret(string Secret, string Hash);

    private HashedSecret? _bootstrap;

    private static ApiKey Bootstrap(string hash) => new(BootstrapAdminKeyId, "bootstrap-admin", Roles.Admin, hash, null, null, DateTimeOffset.MinValue);
}
