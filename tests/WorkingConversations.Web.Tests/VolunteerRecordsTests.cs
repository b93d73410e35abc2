using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using WorkingConversations.Testing;

namespace WorkingConversations.Web.Tests;

/// <summary>
/// An administrator answers a volunteer's subject-access request and erases a volunteer who has withdrawn, on the pages:
/// the download holds what the API's export holds, and erasure is refused until the volunteer has withdrawn.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class VolunteerRecordsTests(WebFixture service)
{
    [Fact]
    public async Task An_administrator_downloads_a_volunteers_data_and_erases_them_once_they_have_withdrawn()
    {
        var (trainerApi, _, _) = await service.ClientFor("trainer");
        var family = $"Quimby{Guid.NewGuid():N}"[..14];
        var enrolled = await trainerApi.PostAsJsonAsync("/api/v1/volunteers", new { givenName = "Rosalind", familyName = family, email = "rosalind@example.org", programme = "volunteer" });
        Assert.Equal(HttpStatusCode.Created, enrolled.StatusCode);
        var id = (await enrolled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var (_, _, adminKey) = await service.ClientFor("admin");
        var admin = await service.SignedIn(adminKey);

        await Pages.Follow(admin, "Volunteers' records");
        Assert.Equal("Volunteers' records", await Pages.Heading(admin));
        var row = admin.Locator($"#volunteer-records tr[data-id=\"{id}\"]");
        Assert.Contains($"Rosalind {family}", await row.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("Withdraw them first", await row.InnerTextAsync(), StringComparison.Ordinal);

        // The subject-access download: their profile and their own stream, as the API's export has them.
        var download = await admin.RunAndWaitForDownloadAsync(() => row.GetByRole(AriaRole.Link, new() { Name = $"Download the data of Rosalind {family}" }).ClickAsync());
        Assert.Equal($"volunteer-{id}.json", download.SuggestedFilename);
        using var export = JsonDocument.Parse(await File.ReadAllTextAsync(await download.PathAsync()));
        Assert.Equal(id, export.RootElement.GetProperty("volunteerId").GetGuid());
        Assert.Equal(family, export.RootElement.GetProperty("profile").GetProperty("familyName").GetString());
        Assert.True(export.RootElement.GetProperty("events").GetArrayLength() >= 1, "the export holds their own stream");

        // Not withdrawn: the confirmation is refused with the error summary, and nothing is erased.
        await Pages.Open(admin, $"/volunteer-records/{id}/erasure");
        Assert.Equal("Erase this volunteer", await Pages.Heading(admin));
        await Pages.Submit(admin, "Erase this volunteer");
        Assert.Contains(await Pages.ErrorSummary(admin), e => e.StartsWith("Only a volunteer who has withdrawn from the programme can be erased", StringComparison.Ordinal));
        Assert.Equal("Rosalind", (await trainerApi.GetFromJsonAsync<JsonElement>($"/api/v1/volunteers/{id}")).GetProperty("givenName").GetString());

        Assert.Equal(HttpStatusCode.OK, (await trainerApi.PostAsJsonAsync($"/api/v1/volunteers/{id}/withdraw", new { reason = "Moved away" })).StatusCode);
        await Pages.Open(admin, "/volunteer-records");
        await row.GetByRole(AriaRole.Link, new() { Name = $"Erase Rosalind {family}" }).ClickAsync();
        await admin.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
        await Pages.Accessible(admin);
        Assert.Contains($"Rosalind {family}", await admin.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("This cannot be undone", await admin.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await Pages.Submit(admin, "Erase this volunteer");
        Assert.StartsWith("The volunteer was erased", await Pages.Banner(admin), StringComparison.Ordinal);
        Assert.Contains("Erased", await row.InnerTextAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(family, await admin.ContentAsync(), StringComparison.Ordinal);
        var after = await trainerApi.GetFromJsonAsync<JsonElement>($"/api/v1/volunteers/{id}");
        Assert.NotEqual("Rosalind", after.TryGetProperty("givenName", out var given) ? given.GetString() : null);
        Assert.Equal("withdrawn", after.GetProperty("status").GetString());
    }

    [Fact]
    public async Task With_script_off_the_erasure_form_refuses_a_volunteer_still_in_the_programme_and_erases_one_who_has_withdrawn()
    {
        var (trainerApi, _, _) = await service.ClientFor("trainer");
        var family = $"Ruddock{Guid.NewGuid():N}"[..14];
        var enrolled = await trainerApi.PostAsJsonAsync("/api/v1/volunteers", new { givenName = "Imogen", familyName = family, email = "imogen@example.org", programme = "volunteer" });
        Assert.Equal(HttpStatusCode.Created, enrolled.StatusCode);
        var id = (await enrolled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var (_, _, adminKey) = await service.ClientFor("admin");
        var admin = await service.SignedIn(adminKey, javaScript: false);

        await Pages.Open(admin, $"/volunteer-records/{id}/erasure");
        // The NHS.UK styles' marker that script ran is missing: the page is the one a person without script gets.
        Assert.Equal(0, await admin.Locator("body.js-enabled").CountAsync());
        await Pages.Submit(admin, "Erase this volunteer");
        Assert.Contains(await Pages.ErrorSummary(admin), e => e.StartsWith("Only a volunteer who has withdrawn from the programme can be erased", StringComparison.Ordinal));
        Assert.Equal("Imogen", (await trainerApi.GetFromJsonAsync<JsonElement>($"/api/v1/volunteers/{id}")).GetProperty("givenName").GetString());

        Assert.Equal(HttpStatusCode.OK, (await trainerApi.PostAsJsonAsync($"/api/v1/volunteers/{id}/withdraw", new { reason = "Moved away" })).StatusCode);
        await Pages.Open(admin, $"/volunteer-records/{id}/erasure");
        await Pages.Submit(admin, "Erase this volunteer");
        Assert.StartsWith("The volunteer was erased", await Pages.Banner(admin), StringComparison.Ordinal);
        var after = await trainerApi.GetFromJsonAsync<JsonElement>($"/api/v1/volunteers/{id}");
        Assert.NotEqual("Imogen", after.TryGetProperty("givenName", out var given) ? given.GetString() : null);
    }
}
