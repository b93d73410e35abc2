using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using WorkingConversations.Testing;

namespace WorkingConversations.Web.Tests;

/// <summary>A host of its own whose volunteers' records hold three volunteers a page, so that a few make several pages.</summary>
public sealed class PagedRecordsWebFixture : WebFixture
{
    public const int PageSize = 3;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["VolunteerTraining:RecordsPageSize"] = PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>
/// An administrator reaches a volunteer enrolled long ago, behind pages of newer ones, by the NHS.UK pagination with
/// script off, or by their name; a page number that is not one is named in the error summary.
/// </summary>
public sealed class VolunteerRecordsPagingTests(PagedRecordsWebFixture service) : IClassFixture<PagedRecordsWebFixture>
{
    [Fact]
    public async Task An_administrator_pages_back_to_the_first_volunteer_enrolled_with_script_off_and_finds_them_by_name()
    {
        var (trainerApi, _, _) = await service.ClientFor("trainer");
        var family = $"Oakes{Guid.NewGuid():N}"[..13];
        var ids = new List<Guid>();
        // Seven volunteers make three pages of three: the first one enrolled is alone on the last page.
        foreach (var given in new[] { "Wilhelmina", "Bartholomew", "Cordelia", "Desmond", "Ottoline", "Percival", "Rowena" })
        {
            var enrolled = await trainerApi.PostAsJsonAsync("/api/v1/volunteers", new { givenName = given, familyName = family, email = $"{given.ToLowerInvariant()}@example.org", programme = "volunteer" });
            Assert.Equal(HttpStatusCode.Created, enrolled.StatusCode);
            ids.Add((await enrolled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
        }

        var first = ids[0];
        var (_, _, adminKey) = await service.ClientFor("admin", name: "Morgan Administrator");
        var admin = await service.SignedIn(adminKey, javaScript: false);
        await Pages.Open(admin, "/volunteer-records");
        Assert.Equal(0, await admin.Locator("body.js-enabled").CountAsync());
        var rows = admin.Locator("#volunteer-records tbody tr");
        Assert.Equal(PagedRecordsWebFixture.PageSize, await rows.CountAsync());
        Assert.Equal("Volunteers 1 to 3 of 7, the most recently enrolled first (page 1 of 3)", await admin.Locator("#volunteer-records caption").InnerTextAsync());
        Assert.Contains($"Rowena {family}", await rows.First.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await admin.Locator($"#volunteer-records tr[data-id=\"{first}\"]").CountAsync());

        // The pager, by its accessible names: the next page, then the last page by its number.
        var pager = admin.GetByRole(AriaRole.Navigation, new() { Name = "Pages of volunteers' records" });
        Assert.Equal("page", await pager.GetByRole(AriaRole.Link, new() { Name = "Page 1", Exact = true }).GetAttributeAsync("aria-current"));
        Assert.Equal(0, await pager.GetByRole(AriaRole.Link, new() { Name = "Previous page" }).CountAsync());
        await pager.GetByRole(AriaRole.Link, new() { Name = "Next page" }).ClickAsync();
        await admin.WaitForURLAsync("**/volunteer-records?page=2");
        Assert.Equal("Volunteers 4 to 6 of 7, the most recently enrolled first (page 2 of 3)", await admin.Locator("#volunteer-records caption").InnerTextAsync());
        Assert.Equal(0, await admin.Locator($"#volunteer-records tr[data-id=\"{first}\"]").CountAsync());
        await pager.GetByRole(AriaRole.Link, new() { Name = "Page 3", Exact = true }).ClickAsync();
        await admin.WaitForURLAsync("**/volunteer-records?page=3");
        var oldest = admin.Locator($"#volunteer-records tr[data-id=\"{first}\"]");
        Assert.Contains($"Wilhelmina {family}", await oldest.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await rows.CountAsync());
        Assert.Equal(0, await pager.GetByRole(AriaRole.Link, new() { Name = "Next page" }).CountAsync());

        // Reached by the pager, their data downloads as from the first page.
        var download = await admin.RunAndWaitForDownloadAsync(() =>
            oldest.GetByRole(AriaRole.Link, new() { Name = $"Download the data of Wilhelmina {family}" }).ClickAsync());
        Assert.Equal($"volunteer-{first}.json", download.SuggestedFilename);

        // By name instead: each word in their given or family name, whatever the case.
        await admin.GetByLabel("Name").FillAsync($"wilhelmina {family.ToUpperInvariant()}");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Find", Exact = true }).ClickAsync();
        await admin.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
        Assert.Equal(1, await rows.CountAsync());
        Assert.Equal(1, await oldest.CountAsync());
        Assert.Equal(0, await admin.GetByRole(AriaRole.Navigation, new() { Name = "Pages of volunteers' records" }).CountAsync());
        await admin.GetByLabel("Name").FillAsync(family);
        await admin.GetByRole(AriaRole.Button, new() { Name = "Find", Exact = true }).ClickAsync();
        await admin.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
        // The pages of a name keep it.
        await pager.GetByRole(AriaRole.Link, new() { Name = "Page 3", Exact = true }).ClickAsync();
        await admin.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
        Assert.Equal($"Volunteers named \"{family}\" 7 to 7 of 7, the most recently enrolled first (page 3 of 3)", await admin.Locator("#volunteer-records caption").InnerTextAsync());
        Assert.Equal(1, await oldest.CountAsync());

        // With script, the pages pass axe: the middle page with its whole pager, and a page number that is not one.
        var withScript = await service.SignedIn(adminKey);
        await ScreenshotTests.Shoot(withScript, Screenshots.Folder, "volunteer-records", "/volunteer-records?page=2");
        Assert.Equal(["1", "2", "3"], await withScript.Locator(".nhsuk-pagination__item a").AllInnerTextsAsync());
        var refused = await withScript.GotoAsync("/volunteer-records?page=second");
        Assert.Equal(400, refused!.Status);
        Assert.Equal(["Page must be a whole number from 1."], await Pages.ErrorSummary(withScript));
        await Pages.Accessible(withScript);
        var past = await withScript.GotoAsync("/volunteer-records?page=9");
        Assert.Equal(200, past!.Status);
        Assert.Equal("No volunteers on page 9: there are 3 pages", await withScript.Locator("#volunteer-records caption").InnerTextAsync());
        await withScript.GetByRole(AriaRole.Link, new() { Name = "Previous page" }).ClickAsync();
        await withScript.WaitForURLAsync("**/volunteer-records?page=3");
        await Pages.Accessible(withScript);
    }
}
