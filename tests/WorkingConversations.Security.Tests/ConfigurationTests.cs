using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using WorkingConversations.BuildingBlocks.Security;
using WorkingConversations.Testing;

namespace WorkingConversations.Security.Tests;

/// <summary>The host in Production configuration, with secrets of its own unless a test says otherwise.</summary>
public class ProductionFixture : ServiceFixture
{
    public static readonly string MatchKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    public static readonly string EncryptionKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    public static readonly string AuditKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    protected virtual IDictionary<string, string?> ProductionSettings => new Dictionary<string, string?>
    {
        ["Referrals:MatchKey"] = MatchKey,
        ["Referrals:IdentityEncryptionKey"] = EncryptionKey,
        ["Journey:AuditKey"] = AuditKey,
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Production");
        foreach (var (key, value) in ProductionSettings) builder.UseSetting(key, value);
    }
}

/// <summary>Production on a real loopback port (Kestrel), where the Server header would be added.</summary>
public sealed class KestrelProductionFixture : ProductionFixture
{
    public Uri BaseAddress { get; private set; } = null!;

    protected override void StartHost()
    {
        UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        StartServer();
        BaseAddress = new Uri(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        ClientOptions.BaseAddress = BaseAddress;
    }
}

public sealed class SwaggerUiConfiguredFixture : ProductionFixture
{
    protected override IDictionary<string, string?> ProductionSettings =>
        new Dictionary<string, string?>(base.ProductionSettings) { ["OpenApi:SwaggerUi"] = "true" };
}

/// <summary>OWASP API8, security misconfiguration.</summary>
public sealed class ConfigurationTests(KestrelProductionFixture production) : IClassFixture<KestrelProductionFixture>
{
    [Fact]
    public async Task Every_kind_of_response_carries_the_security_headers_and_no_server_banner()
    {
        using var anonymous = new HttpClient { BaseAddress = production.BaseAddress };
        using var admin = new HttpClient { BaseAddress = production.BaseAddress };
        admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ServiceFixture.AdminKey);

        var responses = new Dictionary<string, HttpResponseMessage>
        {
            ["200 health"] = await anonymous.GetAsync("/health/live"),
            ["200 OpenAPI document"] = await anonymous.GetAsync("/swagger/v1/swagger.json"),
            ["401"] = await anonymous.GetAsync("/api/v1/referrals"),
            ["403"] = await admin.GetAsync("/api/v1/referrals"),
            ["404"] = await admin.GetAsync("/api/v1/no-such-route"),
            ["400"] = await admin.PostAsJsonAsync("/api/v1/partners", new { name = "" }),
        };

        foreach (var (what, response) in responses)
        {
            var headers = response.Headers;
            Assert.False(headers.Contains("Server"), $"{what} names the server: {string.Join(",", headers.Contains("Server") ? headers.GetValues("Server") : [])}");
            Assert.Equal(SecurityHeaders.ContentSecurityPolicy, headers.GetValues("Content-Security-Policy").Single());
            Assert.Contains("frame-ancestors 'none'", SecurityHeaders.ContentSecurityPolicy, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe-inline", SecurityHeaders.ContentSecurityPolicy, StringComparison.Ordinal);
            Assert.Equal("nosniff", headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("no-referrer", headers.GetValues("Referrer-Policy").Single());
            Assert.Equal(SecurityHeaders.StrictTransportSecurity, headers.GetValues("Strict-Transport-Security").Single());
        }
    }

    [Fact]
    public async Task Production_serves_the_openapi_document_but_no_swagger_ui_unless_configured()
    {
        using var client = new HttpClient { BaseAddress = production.BaseAddress };
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/swagger/v1/swagger.json")).StatusCode);
        Assert.NotEqual(HttpStatusCode.OK, (await client.GetAsync("/swagger/index.html")).StatusCode);

        await using var configured = new SwaggerUiConfiguredFixture();
        await configured.InitializeAsync();
        Assert.Equal(HttpStatusCode.OK, (await configured.ClientWithKey(null).GetAsync("/swagger/index.html")).StatusCode);
    }

    [Theory]
    [InlineData(null, null, "Referrals:MatchKey")]
    [InlineData("dev-match", "", "Referrals:MatchKey")]
    [InlineData("", "dev-encryption", "Referrals:IdentityEncryptionKey")]
    public async Task Production_refuses_to_start_with_the_development_match_or_encryption_key(string? matchKey, string? encryptionKey, string named)
    {
        static string? Key(string? value, string development, string own) => value switch
        {
            null => null,
            "dev-match" or "dev-encryption" => Convert.ToBase64String(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(development))),
            _ => own,
        };

        await using var host = new DevelopmentSecretsFixture(
            Key(matchKey, "working-conversations-development-match-key", ProductionFixture.MatchKey),
            Key(encryptionKey, "working-conversations-development-identity-encryption-key", ProductionFixture.EncryptionKey));
        var failure = await Assert.ThrowsAnyAsync<Exception>(host.InitializeAsync);

        var message = string.Join(" | ", Chain(failure).Select(e => e.Message));
        Assert.Contains(named, message, StringComparison.Ordinal);
        Assert.Contains("development", message, StringComparison.Ordinal);
    }

    private static IEnumerable<Exception> Chain(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException) yield return x;
        if (e is AggregateException a) foreach (var inner in a.InnerExceptions) yield return inner;
    }

    private sealed class DevelopmentSecretsFixture(string? matchKey, string? encryptionKey) : ProductionFixture
    {
        protected override IDictionary<string, string?> ProductionSettings => new Dictionary<string, string?>
        {
            ["Referrals:MatchKey"] = matchKey ?? "",
            ["Referrals:IdentityEncryptionKey"] = encryptionKey ?? "",
            ["Journey:AuditKey"] = AuditKey,
        };
    }

    [Theory]
    [InlineData(null)]
    [InlineData("dev-audit")]
    public async Task Production_refuses_to_start_without_an_audit_key_of_its_own(string? auditKey)
    {
        await using var host = new AuditKeyFixture(
            auditKey is null ? "" : Convert.ToBase64String(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("working-conversations-development-audit-key"))));
        var failure = await Assert.ThrowsAnyAsync<Exception>(host.InitializeAsync);

        var message = string.Join(" | ", Chain(failure).Select(e => e.Message));
        Assert.Contains("Journey:AuditKey", message, StringComparison.Ordinal);
        Assert.Contains("development", message, StringComparison.Ordinal);
    }

    private sealed class AuditKeyFixture(string auditKey) : ProductionFixture
    {
        protected override IDictionary<string, string?> ProductionSettings =>
            new Dictionary<string, string?>(base.ProductionSettings) { ["Journey:AuditKey"] = auditKey };
    }
}
