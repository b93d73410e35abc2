using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace WorkingConversations.Access.Keys;

/// <summary>
/// The certificates that encrypt the Data Protection key ring at rest (<c>DataProtection:*</c>): new keys are encrypted to
/// <see cref="Current"/>, and keys encrypted to it or to any of <see cref="Previous"/> (a certificate being rotated out)
/// are read. Without a current certificate the keys are stored as ASP.NET Core writes them, unencrypted.
/// </summary>
internal sealed record KeyRingCertificates(X509Certificate2? Current, IReadOnlyList<X509Certificate2> Previous)
{
    public const string CertificatePath = "DataProtection:CertificatePath";
    public const string CertificateKeyPath = "DataProtection:CertificateKeyPath";
    public const string CertificatePassword = "DataProtection:CertificatePassword";
    public const string PreviousCertificatePaths = "DataProtection:PreviousCertificatePaths";

    public static KeyRingCertificates From(IConfiguration configuration)
    {
        var password = configuration[CertificatePassword] is { Length: > 0 } p ? p : null;
        var current = configuration[CertificatePath] is { Length: > 0 } path
            ? Load(path, configuration[CertificateKeyPath] is { Length: > 0 } key ? key : null, password, CertificatePath)
            : null;
        var previous = (configuration.GetSection(PreviousCertificatePaths).Get<string[]>() ?? [])
            .Where(x => x.Length > 0).Select(x => Load(x, null, password, PreviousCertificatePaths)).ToList();
        return new KeyRingCertificates(current, previous);
    }

    public void Apply(IDataProtectionBuilder builder)
    {
        if (Current is not null) builder.ProtectKeysWithCertificate(Current);
        if (Previous.Count > 0) builder.UnprotectKeysWithAnyCertificate([.. Previous]);
    }

    /// <summary>
    /// A PFX (<c>.pfx</c>, <c>.p12</c>) or a PEM file holding the certificate and its private key (or the key in a PEM of
    /// its own, as a Kubernetes TLS secret has them). The private key is needed: it decrypts the keys written before.
    /// </summary>
    private static X509Certificate2 Load(string path, string? keyPath, string? password, string setting)
    {
        foreach (var file in new[] { path, keyPath }.OfType<string>())
        {
            if (!File.Exists(file)) throw new InvalidOperationException($"{setting}: there is no file at {file}.");
        }

        X509Certificate2 certificate;
        try
        {
            certificate = Path.GetExtension(path).ToLowerInvariant() is ".pfx" or ".p12"
                ? X509CertificateLoader.LoadPkcs12FromFile(path, password)
                : password is null
                    ? X509Certificate2.CreateFromPemFile(path, keyPath)
                    : X509Certificate2.CreateFromEncryptedPemFile(path, password, keyPath);
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            throw new InvalidOperationException($"{setting}: {path} is not a PEM certificate with its private key, or a PFX it can open: {e.Message}", e);
        }

        using var rsa = certificate.GetRSAPrivateKey();
        if (rsa is null)
        {
            throw new InvalidOperationException(
                $"{setting}: {path} has no RSA private key. Data Protection encrypts its keys to an RSA certificate and needs the private key to read them.");
        }

        return certificate;
    }
}

/// <summary>A Production host without a key ring certificate says once, at start, what that leaves open and which setting closes it.</summary>
internal sealed class KeyRingProtectionCheck(KeyRingCertificates certificates, IHostEnvironment environment, ILogger<KeyRingProtectionCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (environment.IsProduction() && certificates.Current is null)
        {
            logger.LogWarning(
                "{Setting} is not set: the Data Protection keys that seal session cookies and anti-forgery tokens are stored unencrypted in " +
                "the database (schema access), so whoever can read that schema can forge a staff session. Give an RSA certificate with its " +
                "private key (PEM or PFX) to encrypt new keys (docs/security.md).", KeyRingCertificates.CertificatePath);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
