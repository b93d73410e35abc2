using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Logging;
using WorkingConversations.Testing;

namespace WorkingConversations.Security.Tests;

/// <summary>
/// Production on a real loopback port, so callers can come from addresses of their own (<see cref="LoopbackClient"/>),
/// with a per-caller page limit a test reaches in a few pages and the host's log captured.
/// </summary>
public abstract class LoopbackProductionFixture(int perCaller) : ProductionFixture
{
    public Uri BaseAddress { get; private set; } = null!;

    public CapturedLog Log { get; } = new();

    /// <summary>Settings beside the per-caller limit.</summary>
    protected virtual IDictionary<string, string?> MoreSettings => new Dictionary<string, string?>();

    protected sealed override IDictionary<string, string?> Settings => new Dictionary<string, string?>(MoreSettings)
    {
        ["RateLimiting:PermitsPerWindow"] = perCaller.ToString(CultureInfo.InvariantCulture),
        ["RateLimiting:WindowSeconds"] = "3600",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(logging => logging.AddProvider(Log));
    }

    protected override void StartHost()
    {
        UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        StartServer();
        BaseAddress = new Uri(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        ClientOptions.BaseAddress = BaseAddress;
    }
}
