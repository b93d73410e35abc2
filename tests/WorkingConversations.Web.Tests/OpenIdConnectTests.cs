using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;
using Microsoft.Playwright;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using WorkingConversations.Testing;
using WorkingConversations.VolunteerTraining.Contracts;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace WorkingConversations.Web.Tests;

/// <summary>
/// A real OpenID Connect provider (OpenIddict's server) started in the test on a loopback port, and the service configured
/// to sign staff in with it: the authorisation code flow with PKCE through the ASP.NET Core OpenID Connect handler, the
/// role and the practitioner link read from the claims the configuration names.
/// </summary>
public sealed class OpenIdConnectFixture : WebFixture
{
    public const string ClientId = "working-conversations";
    public const string ClientSecret = "a-client-secret-for-the-test-provider-only";

    public IdentityProvider Provider { get; } = new();

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Web:OpenIdConnect:Authority"] = Provider.Url,
        ["Web:OpenIdConnect:ClientId"] = ClientId,
        ["Web:OpenIdConnect:ClientSecret"] = ClientSecret,
        // Claim names of this provider's own choosing, so that the test shows they come from configuration.
        ["Web:OpenIdConnect:RoleClaim"] = "wc_staff_role",
        ["Web:OpenIdConnect:PractitionerClaim"] = "volunteer_ref",
        ["Web:OpenIdConnect:DisplayName"] = "the test identity provider",
        ["Web:OpenIdConnect:RequireHttpsMetadata"] = "false",
    };

    protected override void StartHost()
    {
        Provider.StartAsync().GetAwaiter().GetResult();
        base.StartHost();
        Provider.RegisterClientAsync(ClientId, ClientSecret, new Uri(BaseUrl + "/sign-in/oidc/callback")).GetAwaiter().GetResult();
    }

    public override async ValueTask DisposeAsync()
    {
        await Provider.DisposeAsync();
        await base.DisposeAsync();
    }
}

/// <summary>The person the provider signs in next: it has no login page of its own, the test says who is at the keyboard.</summary>
public sealed record ProviderUser(string Subject, string Name, string? Role, string? VolunteerRef);

public sealed class IdentityProvider : IAsyncDisposable
{
    private WebApplication? _app;

    public string Url { get; private set; } = "";

    public ProviderUser Next { get; set; } = new("nobody", "Nobody", null, null);

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var database = "oidc-" + Guid.NewGuid().ToString("N");
        builder.Services.AddDbContext<ProviderDb>(o =>
        {
            o.UseInMemoryDatabase(database);
            o.UseOpenIddict();
        });
        builder.Services.AddOpenIddict()
            .AddCore(o => o.UseEntityFrameworkCore().UseDbContext<ProviderDb>())
            .AddServer(o =>
            {
                o.SetAuthorizationEndpointUris("connect/authorize").SetTokenEndpointUris("connect/token");
                o.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
                o.AddEphemeralEncryptionKey().AddEphemeralSigningKey();
                o.DisableAccessTokenEncryption();
                o.RegisterScopes(Scopes.OpenId, Scopes.Profile);
                o.UseAspNetCore().EnableAuthorizationEndpointPassthrough().DisableTransportSecurityRequirement();
            });
        _app = builder.Build();
        _app.MapMethods("/connect/authorize", ["GET", "POST"], (HttpContext http) =>
        {
            var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
            var user = Next;
            var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
            identity.AddClaim(new Claim(Claims.Subject, user.Subject));
            identity.AddClaim(new Claim(Claims.Name, user.Name));
            if (user.Role is not null) identity.AddClaim(new Claim("wc_staff_role", user.Role));
            if (user.VolunteerRef is not null) identity.AddClaim(new Claim("volunteer_ref", user.VolunteerRef));
            identity.SetScopes(request.GetScopes());
            identity.SetDestinations(_ => [Destinations.IdentityToken, Destinations.AccessToken]);
            return Results.SignIn(new ClaimsPrincipal(identity), null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        });
        await _app.StartAsync();
        Url = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/";
    }

    public async Task RegisterClientAsync(string clientId, string secret, Uri redirect)
    {
        await using var scope = _app!.Services.CreateAsyncScope();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        await applications.CreateAsync(new OpenIddictApplicationDescriptor
        {
            ClientId = clientId,
            ClientSecret = secret,
            ClientType = ClientTypes.Confidential,
            RedirectUris = { redirect },
            Permissions =
            {
                Permissions.Endpoints.Authorization, Permissions.Endpoints.Token, Permissions.GrantTypes.AuthorizationCode,
                Permissions.ResponseTypes.Code, Permissions.Scopes.Profile,
            },
            Requirements = { Requirements.Features.ProofKeyForCodeExchange },
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }

    private sealed class ProviderDb(DbContextOptions<ProviderDb> options) : DbContext(options);
}

[CollectionDefinition(Name)]
public sealed class OpenIdConnectCollection : ICollectionFixture<OpenIdConnectFixture>
{
    public const string Name = "openid-connect";
}

[Collection(OpenIdConnectCollection.Name)]
public sealed class OpenIdConnectTests(OpenIdConnectFixture service)
{
    private async Task<IPage> SignInAs(ProviderUser user)
    {
        service.Provider.Next = user;
        var page = await (await service.NewPerson()).NewPageAsync();
        await Pages.Open(page, "/sign-in");
        Assert.Equal(0, await page.GetByLabel("Staff key").CountAsync());
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in with the test identity provider" }).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
        return page;
    }

    [Fact]
    public async Task A_person_the_provider_signs_in_gets_the_role_and_the_practitioner_link_its_configured_claims_carry()
    {
        // A practitioner the service knows, holding a participant; and a participant they do not hold.
        var scenario = new Scenario(service);
        var volunteerId = Guid.CreateVersion7();
        await scenario.Publish(new PractitionerCleared(volunteerId, "volunteer", 5, service.Clock.GetUtcNow()));
        var theirs = await scenario.Referred().Accepted();
        await scenario.Assign(theirs.ParticipantId, volunteerId);
        var notTheirs = await scenario.Referred().Accepted().Assigned();

        var practitioner = await SignInAs(new ProviderUser("priya-1", "Priya Shah", "practitioner", volunteerId.ToString()));
        Assert.Equal("You are signed in", await Pages.Heading(practitioner));
        await Pages.Follow(practitioner, "Continue");
        Assert.Equal("My caseload", await Pages.Heading(practitioner));
        Assert.Contains("Priya Shah (Practitioner)", await practitioner.Locator(".nhsuk-header__account").InnerTextAsync());
        Assert.Equal(200, (await practitioner.GotoAsync($"/participants/{theirs.ParticipantId}"))!.Status);
        Assert.Equal(404, (await practitioner.GotoAsync($"/participants/{notTheirs.ParticipantId}"))!.Status);

        var caseworker = await SignInAs(new ProviderUser("casey-1", "Casey Jones", "caseworker", null));
        await Pages.Follow(caseworker, "Continue");
        Assert.Equal("Caseworker home", await Pages.Heading(caseworker));
        Assert.Equal(200, (await caseworker.GotoAsync($"/participants/{notTheirs.ParticipantId}"))!.Status);
        // What they read is audited under the person the provider named.
        var audit = await service.Admin().GetStringAsync($"/api/v1/audit?participantId={notTheirs.ParticipantId}");
        Assert.Contains("Casey Jones", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_provider_cannot_sign_in_a_partner_or_a_person_without_a_staff_role_and_keys_still_work_for_the_api()
    {
        var partner = await SignInAs(new ProviderUser("partner-1", "A Partner System", "partner", null));
        Assert.Equal("You could not be signed in", await Pages.Heading(partner));
        Assert.Contains("no staff role in the 'wc_staff_role' claim", await partner.Locator("main").InnerTextAsync());
        await Pages.Accessible(partner);
        Assert.Equal(302, (await (await StaffSession.SignIn(service.BaseUrl, null)).Get("/")).StatusCode is HttpStatusCode.Redirect ? 302 : 0);

        var practitionerWithoutLink = await SignInAs(new ProviderUser("p-2", "Pat Without", "practitioner", null));
        Assert.Contains("'volunteer_ref' claim does not name your volunteer id", await practitionerWithoutLink.Locator("main").InnerTextAsync());

        // Keys are for the API still; they no longer open a session on the pages.
        var (caseworker, _, key) = await service.ClientFor("caseworker");
        Assert.Equal(HttpStatusCode.OK, (await caseworker.GetAsync("/api/v1/referrals/triage-queue")).StatusCode);
        var context = await service.NewPerson();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/sign-in");
        using var session = await StaffSession.SignIn(service.BaseUrl, null);
        using var refused = await session.Post("/sign-in", new Dictionary<string, string> { ["key"] = key });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
    }
}
