using System.Text.RegularExpressions;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace WorkingConversations.Web.Tests;

/// <summary>What a person does on the pages, and what every page must be: WCAG 2.2 A and AA by axe-core.</summary>
public static partial class Pages
{
    public static readonly string[] WcagTags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

    public static async Task SignIn(IPage page, string key)
    {
        await page.GotoAsync("/sign-in");
        await Accessible(page);
        await page.GetByLabel("Staff key").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IBrowserContext, object> WithoutScript = [];

    /// <summary>A context with script turned off, where axe-core (a script) cannot run: the same pages are checked with script on.</summary>
    public static void MarkWithoutScript(IBrowserContext context) => WithoutScript.AddOrUpdate(context, new object());

    /// <summary>axe-core finds no violation of WCAG 2.2 A and AA on the page as it is now.</summary>
    public static async Task Accessible(IPage page)
    {
        if (WithoutScript.TryGetValue(page.Context, out _)) return;
        var result = await page.RunAxe(new AxeRunOptions { RunOnly = new RunOnlyOptions { Type = "tag", Values = [.. WcagTags] } });
        var violations = result.Violations.Select(v => $"{v.Id}: {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}").ToList();
        Assert.True(violations.Count == 0, $"{page.Url} has accessibility violations:\n{string.Join("\n", violations)}");
    }

    /// <summary>Goes to a page and checks it.</summary>
    public static async Task Open(IPage page, string path)
    {
        var response = await page.GotoAsync(path);
        Assert.True(response is { Ok: true }, $"{path} answered {response?.Status}");
        await Accessible(page);
    }

    /// <summary>Clicks the button and checks the page it leads to.</summary>
    public static async Task Submit(IPage page, string button)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = button, Exact = true }).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
        await Accessible(page);
    }

    public static async Task Follow(IPage page, string link)
    {
        // A link, or a link drawn as an NHS.UK button (role="button").
        await page.GetByRole(AriaRole.Link, new() { Name = link, Exact = true }).Or(page.GetByRole(AriaRole.Button, new() { Name = link, Exact = true }))
            .First.ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
        await Accessible(page);
    }

    public static Task<string> Heading(IPage page) => page.Locator("h1").First.InnerTextAsync();

    public static async Task<IReadOnlyList<string>> ErrorSummary(IPage page) =>
        await page.Locator(".nhsuk-error-summary__list li").AllInnerTextsAsync();

    public static async Task<string> Banner(IPage page) => await page.Locator(".nhsuk-notification-banner__heading").InnerTextAsync();

    /// <summary>The id at the end of the page's path (/participants/{id}).</summary>
    public static Guid IdIn(IPage page, string segment) =>
        Guid.Parse(Regex.Match(page.Url, $"/{segment}/([0-9a-f-]{{36}})").Groups[1].Value);

    /// <summary>Fills the three boxes of a date input.</summary>
    public static async Task Date(IPage page, string name, DateOnly date)
    {
        await page.Locator($"#{name}-day").FillAsync(date.Day.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.Locator($"#{name}-month").FillAsync(date.Month.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.Locator($"#{name}-year").FillAsync(date.Year.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Chooses a radio of a fieldset by the fieldset's legend and the radio's label.</summary>
    public static Task Choose(IPage page, string legend, string option) =>
        page.GetByRole(AriaRole.Group, new() { Name = legend }).GetByLabel(option, new() { Exact = true }).CheckAsync();
}
