using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using IPNetwork = System.Net.IPNetwork;

namespace WorkingConversations.BuildingBlocks;

/// <summary>
/// The proxies whose <c>X-Forwarded-For</c> the host believes (<c>Network:ForwardedHeaders:*</c>): the addresses in
/// <c>KnownProxies:n</c> and the networks in <c>KnownNetworks:n</c> (<c>10.244.0.0/16</c>), each also accepted as one
/// comma-separated value. None configured: no forwarded header is read, and the client address is the connection's.
/// A header from any other address is ignored, so a client cannot choose its own address (and its own rate-limit
/// partition) by sending one. <c>ForwardLimit</c> (1) is how many proxies in a row the header is read through.
/// </summary>
public sealed record ForwardedHeadersSettings(IReadOnlyList<IPAddress> KnownProxies, IReadOnlyList<IPNetwork> KnownNetworks, int ForwardLimit)
{
    public const string Section = "Network:ForwardedHeaders";

    public bool Enabled => KnownProxies.Count > 0 || KnownNetworks.Count > 0;

    /// <summary>Pure: the settings, or a refusal naming the setting and the value it could not read.</summary>
    public static ForwardedHeadersSettings From(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var proxies = Values(section.GetSection("KnownProxies"))
            .Select(v => !v.Contains('/', StringComparison.Ordinal) && IPAddress.TryParse(v, out var address)
                ? address
                : throw Refused("KnownProxies", v, "an IP address (10.0.0.12); a network goes in " + Section + ":KnownNetworks"))
            .ToList();
        var networks = Values(section.GetSection("KnownNetworks"))
            .Select(v => Network(v) is { } network
                ? network
                : throw Refused("KnownNetworks", v, "a network as an address and a prefix length (10.244.0.0/16) with no bits set past the prefix"))
            .ToList();
        var limit = section.GetValue("ForwardLimit", 1);
        if (limit < 1) throw new InvalidOperationException($"{Section}:ForwardLimit must be at least 1 (it is {limit}).");
        return new ForwardedHeadersSettings(proxies, networks, limit);
    }

    /// <summary>
    /// A network written with its prefix length, and no bits set past it: the framework would quietly drop them, and
    /// <c>10.244.1.0/8</c> trust far more than whoever wrote it meant.
    /// </summary>
    private static IPNetwork? Network(string value)
    {
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !IPNetwork.TryParse(value, out var network) || !IPAddress.TryParse(value[..slash], out var written)) return null;
        return network.BaseAddress.Equals(written) ? network : null;
    }

    /// <summary>The indexed list (<c>:0</c>, <c>:1</c>) or one comma-separated value, as a ConfigMap can hold either.</summary>
    private static IEnumerable<string> Values(IConfigurationSection list)
    {
        var given = string.IsNullOrWhiteSpace(list.Value) ? list.GetChildren().Select(c => c.Value ?? "") : [list.Value];
        return given.SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
    }

    private static InvalidOperationException Refused(string setting, string value, string rule) =>
        new($"{Section}:{setting}: '{value}' is not {rule}.");

    /// <summary>The framework's options for exactly these proxies: its own defaults (loopback) are not trusted.</summary>
    public ForwardedHeadersOptions Options()
    {
        var options = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor, ForwardLimit = ForwardLimit };
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var proxy in KnownProxies) options.KnownProxies.Add(proxy);
        foreach (var network in KnownNetworks) options.KnownIPNetworks.Add(network);
        return options;
    }
}

public static class ForwardedClients
{
    /// <summary>
    /// First in the pipeline, so that everything after it (the rate limiter's partitions, the failed-key waits, the
    /// request's telemetry) sees the client's address; nothing at all when no proxy is configured.
    /// </summary>
    public static IApplicationBuilder UseForwardedClients(this IApplicationBuilder app, ForwardedHeadersSettings settings) =>
        settings.Enabled ? app.UseForwardedHeaders(settings.Options()) : app;
}
