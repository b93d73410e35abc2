using Microsoft.Playwright;
using WorkingConversations.Testing;

namespace WorkingConversations.Web.Tests;

/// <summary>A host whose per-caller limit a signed-in person reaches in a few pages; the rig's own setup uses the exempt bootstrap key.</summary>
public sealed class RateLimitedWebFixture : WebFixture
{
    public const int PerCaller = 12;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["RateLimiting:PermitsPerWindow"] = PerCaller.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RateLimiting:WindowSeconds"] = "600",
    };
}

/// <summary>
/// A signed-in trainer who opens page after page reaches their account's rate limit, and is told so by a page in the NHS.UK
/// layout that still shows who is signed in; a colleague on the same machine is not held back.
/// </summary>
public sealed class RateLimitPageTests(RateLimitedWebFixture service) : IClassFixture<RateLimitedWebFixture>
{
    [Fact]
    public async Task A_signed_in_person_over_the_rate_limit_gets_an_accessible_page_saying_when_to_try_again()
    {
        var (_, _, trainerKey) = await service.ClientFor("trainer", name: "Dana Trainer");
        var trainer = await service.SignedIn(trainerKey);
        Assert.Equal("Volunteer training", await Pages.Heading(trainer));

        IResponse? answer = null;
        for (var i = 0; i <= RateLimitedWebFixture.PerCaller * 2 && answer?.Status != 429; i++) answer = await trainer.GotoAsync("/volunteers");

        Assert.Equal(429, answer!.Status);
        var retryAfter = int.Parse(Assert.IsType<string>(await answer.HeaderValueAsync("retry-after")), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 600);
        Assert.Equal("Too many requests", await Pages.Heading(trainer));
        Assert.Equal("Too many requests - Working Conversations", await trainer.TitleAsync());
        Assert.True(await trainer.Locator("header.nhsuk-header").IsVisibleAsync(), "the page is in the service's NHS.UK layout");
        Assert.True(await trainer.Locator("footer").IsVisibleAsync(), "the page has the layout's footer");
        var main = await trainer.Locator("main").InnerTextAsync();
        Assert.Contains($"more than {RateLimitedWebFixture.PerCaller} requests in 600 seconds", main, StringComparison.Ordinal);
        Assert.Contains("Nothing was saved from the request that was refused.", main, StringComparison.Ordinal);
        Assert.Contains($"Try again in {retryAfter} seconds.", main, StringComparison.Ordinal);
        // Pages are counted per signed-in account: the page says so, and shows who is signed in, with the way to sign out.
        Assert.Contains($"Your account has made more than {RateLimitedWebFixture.PerCaller} requests in 600 seconds.", main, StringComparison.Ordinal);
        var account = trainer.Locator(".nhsuk-header__account");
        Assert.True(await account.IsVisibleAsync(), "the header shows who is signed in");
        Assert.Contains("Dana Trainer (Trainer)", await account.InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(await account.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).IsVisibleAsync(), "the header offers sign-out");
        await Pages.Accessible(trainer);
        await Screenshot(trainer, "too-many-requests");

        // A colleague at the next desk, from the same address, signs in and opens their pages as usual.
        var (_, _, caseworkerKey) = await service.ClientFor("caseworker", name: "Eli Caseworker");
        var caseworker = await service.SignedIn(caseworkerKey);
        Assert.Equal("Caseworker home", await Pages.Heading(caseworker));
        Assert.Contains("Eli Caseworker (Caseworker)", await caseworker.Locator(".nhsuk-header__account").InnerTextAsync(), StringComparison.Ordinal);
    }

    internal static async Task Screenshot(IPage page, string name)
    {
        var file = Path.Combine(Screenshots.Folder, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
        Assert.True(new FileInfo(file).Length > 10_000, $"{name} is an empty picture");
    }
}

/// <summary>A signed-in trainer who pastes far too much into a form gets the 413 page, and nothing is saved.</summary>
[Collection(WebCollection.Name)]
public sealed class FormTooLargePageTests(WebFixture service)
{
    [Fact]
    public async Task A_form_over_64_KB_from_the_browser_is_an_accessible_413_page_and_nothing_is_saved()
    {
        var (_, _, trainerKey) = await service.ClientFor("trainer");
        var trainer = await service.SignedIn(trainerKey);
        await Pages.Open(trainer, "/volunteers/new");
        var family = $"Toolong{Guid.NewGuid():N}"[..14];
        await trainer.GetByLabel("Given name").FillAsync(new string('a', 70 * 1024));
        await trainer.GetByLabel("Family name").FillAsync(family);
        await trainer.GetByLabel("Email address").FillAsync("long@example.org");
        await Pages.Choose(trainer, "Programme", "Volunteer");

        var answer = await trainer.RunAndWaitForResponseAsync(
            () => trainer.GetByRole(AriaRole.Button, new() { Name = "Enrol", Exact = true }).ClickAsync(),
            r => r.Request.Method == "POST" && new Uri(r.Url).AbsolutePath == "/volunteers/new");
        await trainer.WaitForLoadStateAsync(LoadState.DOMContentLoaded);

        Assert.Equal(413, answer.Status);
        Assert.Equal("This form is too large", await Pages.Heading(trainer));
        Assert.True(await trainer.Locator("header.nhsuk-header").IsVisibleAsync(), "the page is in the service's NHS.UK layout");
        var main = await trainer.Locator("main").InnerTextAsync();
        Assert.Contains("Nothing was saved. A form may send at most 64 KB.", main, StringComparison.Ordinal);
        Assert.Contains("Go back, shorten what you typed, and send the form again.", main, StringComparison.Ordinal);
        await Pages.Accessible(trainer);
        await RateLimitPageTests.Screenshot(trainer, "form-too-large");

        // The way on the page leads home, still signed in, and the volunteer was not enrolled.
        await Pages.Follow(trainer, "Go to your home page");
        Assert.Equal("Volunteer training", await Pages.Heading(trainer));
        await Pages.Open(trainer, "/volunteers");
        Assert.Equal(0, await trainer.Locator("#volunteers tr", new() { HasText = family }).CountAsync());
    }
}
