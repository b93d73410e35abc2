using Microsoft.Playwright;
using WorkingConversations.Testing;

namespace WorkingConversations.Web.Tests;

/// <summary>An administrator's day on the pages: a partner registered, a key issued and revoked, the revoked key's session ended.</summary>
[Collection(WebCollection.Name)]
public sealed class AdministratorTests(WebFixture service)
{
    [Fact]
    public async Task An_administrator_registers_a_partner_issues_a_key_and_revokes_it_and_the_revoked_keys_browser_is_signed_out()
    {
        var admin = await service.SignedIn(ServiceFixture.AdminKey);
        Assert.Equal("Administration", await Pages.Heading(admin));
        await Pages.Accessible(admin);

        await Pages.Follow(admin, "Partners");
        await Pages.Follow(admin, "Register a partner");
        await Pages.Submit(admin, "Register partner");
        Assert.Contains("Organisation name is required and must not be empty.", await Pages.ErrorSummary(admin));
        Assert.Contains("Contact email address is required.", await Pages.ErrorSummary(admin));

        var name = $"Dingle Community Trust {Guid.NewGuid():N}"[..32];
        await admin.GetByLabel("Organisation name").FillAsync(name);
        await admin.GetByLabel("Contact email address").FillAsync("not-an-email");
        await Pages.Submit(admin, "Register partner");
        Assert.Equal(["Contact email address must be an email address such as name@example.org."], await Pages.ErrorSummary(admin));
        Assert.Equal(name, await admin.GetByLabel("Organisation name").InputValueAsync());

        await admin.GetByLabel("Contact email address").FillAsync("referrals@dingle.example");
        await admin.GetByLabel("Callback URL (optional)").FillAsync("https://dingle.example/callbacks");
        await Pages.Submit(admin, "Register partner");
        Assert.Equal($"{name} is registered", await Pages.Heading(admin));
        Assert.Equal(64, (await admin.Locator("#callback-secret").InnerTextAsync()).Length);

        // A caseworker key, for a person who then signs in with it in a browser of their own.
        await Pages.Open(admin, "/api-keys/new");
        await Pages.Choose(admin, "Role", "Caseworker");
        await admin.GetByLabel("Name", new() { Exact = true }).FillAsync("Casey Worker");
        await Pages.Submit(admin, "Issue key");
        Assert.Equal("Key issued", await Pages.Heading(admin));
        var key = await admin.Locator("#issued-key").InnerTextAsync();

        var caseworker = await service.SignedIn(key);
        Assert.Equal("Caseworker home", await Pages.Heading(caseworker));

        await Pages.Open(admin, "/api-keys");
        var row = admin.Locator("tr", new() { HasText = "Casey Worker" });
        await row.GetByRole(AriaRole.Link, new() { Name = "Revoke Casey Worker" }).ClickAsync();
        await Pages.Accessible(admin);
        await Pages.Submit(admin, "Revoke key");
        Assert.Contains("The key Casey Worker is revoked", await Pages.Banner(admin));

        // The caseworker's next page finds the session ended.
        await caseworker.GotoAsync("/referrals");
        Assert.Equal("Sign in", await Pages.Heading(caseworker));
        Assert.Contains("/sign-in", caseworker.Url, StringComparison.Ordinal);
    }
}
