using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;

namespace WorkingConversations.Referrals;

/// <summary>Secrets and settings of the Referrals module, from configuration section <c>Referrals</c>.</summary>
internal sealed class ReferralsSettings
{
    /// <summary>
    /// The secret behind the duplicate-person match keys (<c>Referrals:MatchKey</c>, base64, 32 bytes or more). Without
    /// one, a fixed development key is used, which is fine for a laptop and wrong for real people's data.
    /// </summary>
    public required byte[] MatchKey { get; init; }

    /// <summary>
    /// The AES-256 key that encrypts identity fields at rest (<c>Referrals:IdentityEncryptionKey</c>, base64, exactly 32
    /// bytes). Without one, a fixed development key is used, which protects nothing.
    /// </summary>
    public required byte[] IdentityEncryptionKey { get; init; }

    public static ReferralsSettings From(IConfiguration configuration)
    {
        var configured = configuration["Referrals:MatchKey"];
        var key = string.IsNullOrEmpty(configured)
            ? SHA256.HashData(Encoding.UTF8.GetBytes("working-conversations-development-match-key"))
            : Convert.FromBase64String(configured);
        // Checked at start-up: a short key would otherwise fail every referral at the first match-key computation.
        if (key.Length < 32)
        {
            throw new InvalidOperationException("Referrals:MatchKey must be base64 of at least 32 bytes (e.g. `openssl rand -base64 32`).");
        }

        var configuredEncryption = configuration["Referrals:IdentityEncryptionKey"];
        var encryption = string.IsNullOrEmpty(configuredEncryption)
            ? SHA256.HashData(Encoding.UTF8.GetBytes("working-conversations-development-identity-encryption-key"))
            : Convert.FromBase64String(configuredEncryption);
        if (encryption.Length != 32)
        {
            throw new InvalidOperationException("Referrals:IdentityEncryptionKey must be base64 of exactly 32 bytes (e.g. `openssl rand -base64 32`).");
        }

        return new ReferralsSettings { MatchKey = key, IdentityEncryptionKey = encryption };
    }
}
