using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WorkingConversations.Testing;

namespace WorkingConversations.Web.Tests;

/// <summary>
/// The real host on a real loopback port (Chromium cannot reach the in-memory test server), shared by a collection, and
/// one headless Debian Chromium shared by every test of the process.
/// </summary>
public class WebFixture : ServiceFixture
{
    public string BaseUrl { get; private set; } = "";

    protected override void StartHost()
    {
        UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseUrl = addresses.First().TrimEnd('/');
        // The API clients of the shared steps go to the same port as the browser.
        ClientOptions.BaseAddress = new Uri(BaseUrl);
    }

    /// <summary>A fresh browser context (its own cookies): one person at their own computer.</summary>
    public async Task<IBrowserContext> NewPerson(bool javaScript = true)
    {
        var browser = await Browser.Shared();
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            JavaScriptEnabled = javaScript,
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            Locale = "en-GB",
            TimezoneId = "Europe/London",
        });
        // Playwright's 30 seconds is short for a page whose write waits on a busy CI machine's database.
        context.SetDefaultTimeout(60_000);
        context.SetDefaultNavigationTimeout(60_000);
        if (!javaScript) Pages.MarkWithoutScript(context);
        return context;
    }

    /// <summary>A page signed in with a staff key through the sign-in form, as a person would.</summary>
    public async Task<IPage> SignedIn(string key, bool javaScript = true)
    {
        var context = await NewPerson(javaScript);
        var page = await context.NewPageAsync();
        await Pages.SignIn(page, key);
        return page;
    }
}

[CollectionDefinition(Name)]
public sealed class WebCollection : ICollectionFixture<WebFixture>
{
    public const string Name = "web";
}

/// <summary>One Chromium for the whole test process: starting a browser costs a second or two each time.</summary>
public static class Browser
{
    public const string Chromium = "/usr/bin/chromium";
    private static readonly Lazy<Task<IBrowser>> Instance = new(Launch);

    public static Task<IBrowser> Shared() => Instance.Value;

    private static async Task<IBrowser> Launch()
    {
        if (!File.Exists(Chromium))
            throw new InvalidOperationException($"The browser tests need Debian's Chromium at {Chromium}: apt-get install chromium (.ci/run does so).");
        var playwright = await Playwright.CreateAsync();
        return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }
}
