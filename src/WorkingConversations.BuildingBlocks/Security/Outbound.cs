using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace WorkingConversations.BuildingBlocks.Security;

/// <summary>
/// Where the service may send requests of its own (partner callbacks, a directory import from a URL): <c>Outbound:*</c>.
/// https only outside Development (<c>AllowHttp</c>, default: Development only), and never to the service's own machine or
/// network (<c>AllowPrivateNetworks</c>, default false everywhere: a test rig with a receiver on loopback turns it on).
/// </summary>
public sealed record OutboundSettings(bool AllowHttp, bool AllowPrivateNetworks)
{
    public static OutboundSettings From(IConfiguration configuration, IHostEnvironment environment) =>
        new(configuration.GetValue<bool?>("Outbound:AllowHttp") ?? environment.IsDevelopment(),
            configuration.GetValue("Outbound:AllowPrivateNetworks", false));
}

/// <summary>A URL or the address its host resolved to is not one the service may call.</summary>
public sealed class OutboundAddressRefusedException(string message) : Exception(message);

/// <summary>
/// The rule for every request the service makes to an address a client gave it (OWASP API7, server-side request forgery):
/// checked when the URL is registered, and again when each request connects, on the address it actually connects to, so
/// that a name that later resolves elsewhere (DNS rebinding) is refused too.
/// </summary>
public sealed class OutboundRule(OutboundSettings settings)
{
    public OutboundSettings Settings => settings;

    /// <summary>
    /// What is wrong with the URL (scheme, credentials, or an internal address the name resolves to now), or null when it
    /// may be called. A name that does not resolve yet is taken: nothing can be sent to it until it does, and then every
    /// connection is checked on the address it gets.
    /// </summary>
    public async Task<string?> ProblemWithAsync(string url, CancellationToken ct)
    {
        if (ShapeProblem(url) is { } shape) return shape;
        if (settings.AllowPrivateNetworks) return null;
        var uri = new Uri(url);
        IPAddress[] addresses;
        try
        {
            addresses = await Resolve(uri.IdnHost, ct);
        }
        catch (SocketException)
        {
            return null;
        }

        return addresses.FirstOrDefault(a => !MayConnectTo(a)) is { } refused
            ? $"resolves to {Describe(refused)}, which the service may not call."
            : null;
    }

    /// <summary>Pure: the URL's own shape: absolute, https (or http where allowed), no credentials in it.</summary>
    public string? ShapeProblem(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
            return "must be an absolute https URL.";
        if (uri.Scheme == "http" && !settings.AllowHttp) return "must use https.";
        if (uri.UserInfo.Length > 0) return "must not carry a user name or password.";
        return null;
    }

    /// <summary>Pure: whether the service may open a connection to this address.</summary>
    public bool MayConnectTo(IPAddress address) => settings.AllowPrivateNetworks || !IsInternal(address);

    /// <summary>
    /// Pure: loopback, private, link-local (where cloud metadata services answer, 169.254.169.254 and fd00:ec2::254),
    /// shared (carrier-grade NAT, also a metadata range), unspecified, multicast, reserved and documentation addresses;
    /// IPv4 inside IPv6 (mapped, NAT64) is judged as the IPv4 address.
    /// </summary>
    public static bool IsInternal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            // NAT64 (64:ff9b::/96) carries an IPv4 address in its last four bytes.
            if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b.Skip(4).Take(8).All(x => x == 0))
                return IsInternal(new IPAddress(b[12..]));
            return IPAddress.IsLoopback(address) || address.Equals(IPAddress.IPv6None) || address.Equals(IPAddress.IPv6Any) ||
                   address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast ||
                   (b[0] & 0xfe) == 0xfc || // unique local fc00::/7, which holds fd00:ec2::254
                   (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8); // documentation
        }

        var v4 = address.GetAddressBytes();
        return v4[0] switch
        {
            0 or 10 or 127 => true,
            100 => v4[1] is >= 64 and <= 127,
            169 => v4[1] == 254,
            172 => v4[1] is >= 16 and <= 31,
            192 => (v4[1] == 168) || (v4[1] == 0 && v4[2] is 0 or 2) || (v4[1] == 88 && v4[2] == 99),
            198 => v4[1] is 18 or 19 || (v4[1] == 51 && v4[2] == 100),
            203 => v4[1] == 0 && v4[2] == 113,
            >= 224 => true,
            _ => false,
        };
    }

    /// <summary>
    /// A handler whose every connection goes through the rule: the name is resolved, every address checked, and the socket
    /// opened to a checked address only. No redirects (a redirect could point anywhere).
    /// </summary>
    public SocketsHttpHandler Handler(TimeSpan connectTimeout) => new()
    {
        ConnectTimeout = connectTimeout,
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectCallback = async (context, ct) =>
        {
            var addresses = await Resolve(context.DnsEndPoint.Host, ct);
            if (addresses.FirstOrDefault(a => !MayConnectTo(a)) is { } refused)
                throw new OutboundAddressRefusedException($"{context.DnsEndPoint.Host} resolves to {Describe(refused)}, which the service may not call.");
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    /// <summary>Whether a failed request failed because the rule refused its address (not worth trying again).</summary>
    public static bool Refused(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            if (x is OutboundAddressRefusedException) return true;
        }

        return false;
    }

    private static async Task<IPAddress[]> Resolve(string host, CancellationToken ct) =>
        IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);

    private static string Describe(IPAddress address) =>
        IPAddress.IsLoopback(address) ? $"a loopback address ({address})" : $"an internal address ({address})";
}
