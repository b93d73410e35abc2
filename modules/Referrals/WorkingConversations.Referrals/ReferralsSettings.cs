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

    private static readonly byte[] DevelopmentMatchKey = SHA256.HashData(Encoding.UTF8.GetBytes("working-conversations-development-match-key"));

    private static readonly byte[] DevelopmentIdentityEncryptionKey =
        SHA256.HashData(Encoding.UTF8.GetBytes("working-conversations-development-identity-encryption-key"));

    /// <summary>
    /// Pure: what is wrong with these secrets for real people's data. The development keys are public (they are in this
    /// source), so a Production host refuses to start with them, whether they came by default or were configured.
    /// </summary>
    public IReadOnlyList<string> ProductionProblems()
    {
        var problems = new List<string>();
        if (MatchKey.AsSpan().SequenceEqual(DevelopmentMatchKey))
            problems.Add("Referrals:MatchKey is the development key (or not set): set a secret of your own (`openssl rand -base64 32`).");
        if (IdentityEncryptionKey.AsSpan().SequenceEqual(DevelopmentIdentityEncryptionKey))
            problems.Add("Referrals:IdentityEncryptionKey is the development key (or not set): set a secret of your own (`openssl rand -base64 32`).");
        return problems;
    }

    public static ReferralsSettings From(IConfiguration configuration)
    {
        var configured = configuration["Referrals:MatchKey"];
        var key = string.IsNullOrEmpty(configured) ? DevelopmentMatchKey : Convert.FromBase64String(configured);
        // Checked at start-up: a short key would otherwise fail every referral at the first match-key computation.
        if (key.Length < 32)
        {
            throw new InvalidOperationException("Referrals:MatchKey must be base64 of at least 32 bytes (e.g. `openssl rand -base64 32`).");
        }

        var configuredEncryption = configuration["Referrals:IdentityEncryptionKey"];
        var encryption = string.IsNullOrEmpty(configuredEncryption) ? DevelopmentIdentityEncryptionKey : Convert.FromBase64String(configuredEncryption);
        if (encryption.Length != 32)
        {
            throw new InvalidOperationException("Referrals:IdentityEncryptionKey must be base64 of exactly 32 bytes (e.g. `openssl rand -base64 32`).");
        }

        return new ReferralsSettings { MatchKey = key, IdentityEncryptionKey = encryption };
    }
}

/// <summary>Stops a Production host at start-up, before the database is touched, when it would protect people's data with the public development keys.</summary>
internal sealed class ProductionSecretsCheck(ReferralsSettings settings, Microsoft.Extensions.Hosting.IHostEnvironment environment) : Microsoft.Extensions.Hosting.IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!Microsoft.Extensions.Hosting.HostEnvironmentEnvExtensions.IsProduction(environment)) return Task.CompletedTask;
        var problems = settings.ProductionProblems();
        return problems.Count == 0
            ? Task.CompletedTask
            : throw new InvalidOperationException("The host will not start in Production with development secrets. " + string.Join(" ", problems));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
