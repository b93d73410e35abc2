using System.Net;
using Microsoft.Extensions.Logging;
using WorkingConversations.Testing;

namespace WorkingConversations.Security.Tests;

/// <summary>
/// Production on a real loopback port behind a proxy the configuration names (127.0.0.20, a proxy on the loopback
/// network standing in for the ingress), with a per-caller limit a test reaches in a few pages, its log captured.
/// </summary>
public sealed class BehindProxyFixture() : LoopbackProductionFixture(PerCaller)
{
    public const int PerCaller = 4;

    public static readonly IPAddress Proxy = IPAddress.Parse("127.0.0.20");

    protected override IDictionary<string, string?> MoreSettings => new Dictionary<string, string?>
    {
        ["Network:ForwardedHeaders:KnownProxies:0"] = Proxy.ToString(),
        // A network the tests never connect from: only the proxy's address above is trusted on loopback.
        ["Network:ForwardedHeaders:KnownNetworks"] = "192.0.2.0/24, 2001:db8::/32",
    };

    /// <summary>Plain HTTP from the given loopback address, no cookies, no redirects followed.</summary>
    public HttpClient From(IPAddress address) => LoopbackClient.From(address, BaseAddress);
}

/// <summary>
/// OWASP API4 behind the ingress: the people who are not signed in are counted by their own address, which only a proxy
/// the configuration names may tell the host (X-Forwarded-For); from anywhere else the header is ignored.
/// </summary>
public sealed class ForwardedClientTests(BehindProxyFixture service) : IClassFixture<BehindProxyFixture>
{
    private static async Task<HttpResponseMessage> Get(HttpClient client, string path, string? forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (forwardedFor is not null) request.Headers.Add("X-Forwarded-For", forwardedFor);
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task Behind_the_configured_proxy_two_clients_it_forwards_each_have_their_own_page_limit()
    {
        using var proxy = service.From(BehindProxyFixture.Proxy);

        // The first office's browser, not signed in, uses up its address's allowance on the sign-in page.
        for (var i = 0; i < BehindProxyFixture.PerCaller; i++)
            Assert.Equal(HttpStatusCode.OK, (await Get(proxy, "/sign-in", "198.51.100.7")).StatusCode);
        var refused = await Get(proxy, "/sign-in", "198.51.100.7");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains($"This network address has made more than {BehindProxyFixture.PerCaller} requests",
            await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Another client through the same proxy still has all of its own, on the pages and on the API without a key.
        for (var i = 0; i < BehindProxyFixture.PerCaller - 1; i++)
            Assert.Equal(HttpStatusCode.OK, (await Get(proxy, "/sign-in", "203.0.113.9")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Get(proxy, "/api/v1/referrals", "203.0.113.9")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await Get(proxy, "/sign-in", "203.0.113.9")).StatusCode);

        // Only the address the configured proxy saw, the last in the header, counts: what a client wrote before it is not believed.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await Get(proxy, "/sign-in", "192.0.2.44, 198.51.100.7")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Get(proxy, "/sign-in", "198.51.100.7, 192.0.2.45")).StatusCode);
        Assert.DoesNotContain(service.Log.Entries, e => e.Level >= LogLevel.Error);
    }

    [Fact]
    public async Task From_an_address_that_is_not_a_configured_proxy_a_forwarded_header_is_ignored_and_escapes_no_limit()
    {
        // Loopback, where the framework would trust a proxy by default: here only the configured one is.
        using var client = service.From(IPAddress.Parse("127.0.0.21"));
        for (var i = 0; i < BehindProxyFixture.PerCaller; i++)
            Assert.Equal(HttpStatusCode.OK, (await Get(client, "/sign-in", $"198.51.100.{100 + i}")).StatusCode);

        // A new address in the header on every request is still the one connection's address, over its limit.
        foreach (var forwarded in new[] { "198.51.100.200", "203.0.113.201", "192.0.2.1", "127.0.0.20", "unknown" })
            Assert.Equal(HttpStatusCode.TooManyRequests, (await Get(client, "/sign-in", forwarded)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await Get(client, "/api/v1/referrals", "198.51.100.202")).StatusCode);

        // And the configured proxy's own requests, forwarding no one, are its own: the client above did not spend them.
        using var proxy = service.From(BehindProxyFixture.Proxy);
        Assert.Equal(HttpStatusCode.OK, (await Get(proxy, "/sign-in", null)).StatusCode);
        Assert.DoesNotContain(service.Log.Entries, e => e.Level >= LogLevel.Error);
    }

    [Theory]
    [InlineData("Network:ForwardedHeaders:KnownNetworks:0", "10.244.0.0/33", "Network:ForwardedHeaders:KnownNetworks: '10.244.0.0/33'")]
    [InlineData("Network:ForwardedHeaders:KnownNetworks", "10.244.0.0/16, 10.244.1.0/8", "Network:ForwardedHeaders:KnownNetworks: '10.244.1.0/8'")]
    [InlineData("Network:ForwardedHeaders:KnownNetworks:0", "10.244.0.0", "Network:ForwardedHeaders:KnownNetworks: '10.244.0.0'")]
    [InlineData("Network:ForwardedHeaders:KnownProxies:0", "ingress.example", "Network:ForwardedHeaders:KnownProxies: 'ingress.example'")]
    [InlineData("Network:ForwardedHeaders:KnownProxies:0", "10.0.0.0/8", "Network:ForwardedHeaders:KnownProxies: '10.0.0.0/8'")]
    [InlineData("Network:ForwardedHeaders:ForwardLimit", "0", "Network:ForwardedHeaders:ForwardLimit")]
    public async Task A_proxy_setting_the_host_cannot_read_stops_it_at_start_naming_the_setting(string setting, string value, string named)
    {
        await using var host = new MisconfiguredProxyFixture(setting, value);
        var failure = await Assert.ThrowsAnyAsync<Exception>(host.InitializeAsync);
        var messages = new List<string>();
        for (Exception? x = failure; x is not null; x = x.InnerException) messages.Add(x.Message);
        if (failure is AggregateException a) messages.AddRange(a.InnerExceptions.Select(i => i.Message));
        Assert.Contains(named, string.Join(" | ", messages), StringComparison.Ordinal);
    }

    private sealed class MisconfiguredProxyFixture(string setting, string value) : ProductionFixture
    {
        protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { [setting] = value };
    }
}
