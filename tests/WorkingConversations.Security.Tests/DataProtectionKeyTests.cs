using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace WorkingConversations.Security.Tests;

/// <summary>
/// The Data Protection keys that seal session cookies and anti-forgery tokens, at rest in the database: encrypted to the
/// operator's certificate when one is given, and shared by every node that has it.
/// </summary>
public sealed partial class DataProtectionKeyTests
{
    private const string NoEncryptor = "No XML encryptor configured";

    /// <summary>A Production host with a key ring certificate (or none), its log captured, on a database of its own or another host's.</summary>
    private sealed class CertificateHost(string? certificatePath, string? connectionString = null) : ProductionFixture
    {
        public CapturedLog Log { get; } = new();

        protected override IDictionary<string, string?> ProductionSettings => certificatePath is null
            ? base.ProductionSettings
            : new Dictionary<string, string?>(base.ProductionSettings) { ["DataProtection:CertificatePath"] = certificatePath };

        protected override Task<string> CreateDatabaseAsync() => connectionString is null ? base.CreateDatabaseAsync() : Task.FromResult(connectionString);

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureLogging(logging => logging.AddProvider(Log));
        }

        public HttpClient Browser() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
    }

    /// <summary>A self-signed RSA certificate and its private key in one PEM file, as an operator would mount it.</summary>
    private static string CertificatePem(string folder)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=working-conversations key ring", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var path = Path.Combine(folder, "key-ring.pem");
        File.WriteAllText(path, certificate.ExportCertificatePem() + "\n" + rsa.ExportPkcs8PrivateKeyPem() + "\n");
        return path;
    }

    [Fact]
    public async Task With_a_certificate_the_stored_keys_hold_no_plaintext_master_key_and_a_second_host_accepts_the_first_ones_cookie()
    {
        var folder = Directory.CreateTempSubdirectory("wc-key-ring-");
        try
        {
            var pem = CertificatePem(folder.FullName);
            await using var first = new CertificateHost(pem);
            await first.InitializeAsync();
            var (_, _, trainerKey) = await first.ClientFor("trainer");
            var cookie = await SignIn(first.Browser(), trainerKey);

            var stored = await StoredKeys(first.ConnectionString);
            Assert.NotEmpty(stored);
            Assert.All(stored, xml =>
            {
                Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
                Assert.DoesNotContain("unencrypted form", xml, StringComparison.Ordinal);
                Assert.Contains("EncryptedXmlDecryptor", xml, StringComparison.Ordinal);
                Assert.Contains("<EncryptedData", xml, StringComparison.Ordinal);
            });

            // A second node on the same database, with the same certificate mounted, reads the first node's session.
            await using var second = new CertificateHost(pem, first.ConnectionString);
            await second.InitializeAsync();
            using var home = new HttpRequestMessage(HttpMethod.Get, "/");
            home.Headers.Add("Cookie", cookie);
            var answer = await second.Browser().SendAsync(home);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Contains("(Trainer)", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);

            Assert.DoesNotContain(first.Log.Entries.Concat(second.Log.Entries), e => e.Text.Contains(NoEncryptor, StringComparison.Ordinal));
            Assert.DoesNotContain(first.Log.Entries.Concat(second.Log.Entries), e => e.Text.Contains("DataProtection:CertificatePath", StringComparison.Ordinal));
            Assert.DoesNotContain(first.Log.Entries.Concat(second.Log.Entries), e => e.Level >= LogLevel.Error);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Production_without_a_certificate_says_at_start_that_the_keys_are_stored_unencrypted_and_which_setting_encrypts_them()
    {
        await using var host = new CertificateHost(null);
        await host.InitializeAsync();
        var warning = Assert.Single(host.Log.Entries, e => e.Text.Contains("DataProtection:CertificatePath", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("stored unencrypted", warning.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_certificate_path_with_no_file_or_no_private_key_stops_the_host_at_start_naming_the_setting()
    {
        var folder = Directory.CreateTempSubdirectory("wc-key-ring-");
        try
        {
            await using (var missing = new CertificateHost(Path.Combine(folder.FullName, "absent.pem")))
            {
                var failure = await Assert.ThrowsAnyAsync<Exception>(missing.InitializeAsync);
                Assert.Contains("DataProtection:CertificatePath: there is no file at", Messages(failure), StringComparison.Ordinal);
            }

            // The certificate without its key cannot decrypt the keys it encrypted.
            var pem = CertificatePem(folder.FullName);
            var certificateOnly = Path.Combine(folder.FullName, "certificate-only.pem");
            File.WriteAllText(certificateOnly, File.ReadAllText(pem)[..(File.ReadAllText(pem).IndexOf("-----BEGIN PRIVATE KEY-----", StringComparison.Ordinal))]);
            await using var keyless = new CertificateHost(certificateOnly);
            var refused = await Assert.ThrowsAnyAsync<Exception>(keyless.InitializeAsync);
            Assert.Contains("DataProtection:CertificatePath", Messages(refused), StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static string Messages(Exception e)
    {
        var messages = new List<string>();
        for (Exception? x = e; x is not null; x = x.InnerException) messages.Add(x.Message);
        if (e is AggregateException a) messages.AddRange(a.InnerExceptions.Select(i => i.Message));
        return string.Join(" | ", messages);
    }

    /// <summary>Signs in at /sign-in as a person's browser would and returns the session cookie for a Cookie header.</summary>
    private static async Task<string> SignIn(HttpClient browser, string key)
    {
        var form = await browser.GetAsync("/sign-in");
        var antiforgery = CookiesOf(form);
        var token = TokenField().Match(await form.Content.ReadAsStringAsync()).Groups[1].Value;
        using var post = new HttpRequestMessage(HttpMethod.Post, "/sign-in")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = key, ["returnUrl"] = "/", ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token) }),
        };
        post.Headers.Add("Cookie", antiforgery);
        var signedIn = await browser.SendAsync(post);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var session = CookiesOf(signedIn);
        Assert.Contains("wc-session=", session, StringComparison.Ordinal);
        return session;
    }

    private static string CookiesOf(HttpResponseMessage response) =>
        string.Join("; ", response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies.Select(c => c.Split(';')[0]) : []);

    private static async Task<List<string>> StoredKeys(string connectionString)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("select data::text from access.mt_doc_dataprotectionkey", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var keys = new List<string>();
        while (await reader.ReadAsync()) keys.Add(reader.GetString(0));
        return keys;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
