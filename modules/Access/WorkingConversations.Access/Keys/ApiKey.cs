using System.Security.Cryptography;
using System.Text;
using WorkingConversations.Access.Authenticating;
using WorkingConversations.Access.IssuingApiKeys;
using WorkingConversations.BuildingBlocks.Auth;
using WorkingConversations.BuildingBlocks;

namespace WorkingConversations.Access.Keys;

/// <summary>An issued API key. Only the SHA-256 hash of the secret is kept; the secret is shown once.</summary>
public sealed record ApiKey(
    Guid Id,
    string Name,
    string Role,
    string Hash,
    Guid? PartnerId,
    Guid? PractitionerId,
    DateTimeOffset CreatedAt,
    DateTimeOffset? RevokedAt = null,
    DateTimeOffset? ExpiresAt = null,
    DateTimeOffset? LastUsedAt = null,
    Guid? Replaces = null)
{
    /// <summary>Not revoked (it may still have expired: see <see cref="WorksAt"/>).</summary>
    public bool IsActive => RevokedAt is null;

    /// <summary>Pure: the key authenticates at <paramref name="now"/>: neither revoked nor past its expiry.</summary>
    public bool WorksAt(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);

    /// <summary>
    /// Pure, in constant time: whether a presented key's hash is this key's. The lookup found the key by its hash through
    /// an index; this comparison makes the final decision not depend on how many characters match.
    /// </summary>
    public bool HasHash(string presented) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash), Encoding.ASCII.GetBytes(presented));

    /// <summary>
    /// A new random key: 32 bytes from the OS generator, so a fast hash is enough to store it
    /// (there is nothing to brute-force as there would be with a password).
    /// </summary>
    public static string NewSecret() => "wc_" + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string HashOf(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
