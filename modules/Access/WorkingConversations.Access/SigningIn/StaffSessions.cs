using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Marten;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WorkingConversations.Access.Keys;
using WorkingConversations.BuildingBlocks.Auth;
using WorkingConversations.BuildingBlocks.Web;

namespace WorkingConversations.Access.SigningIn;

/// <summary>
/// A person's session on the pages: a cookie (HttpOnly, SameSite=Strict, Secure outside Development, 8 hours from the last
/// request), opened by a staff key at <c>/sign-in</c> or by the identity provider. A key's session asks on every request
/// whether the key is still active, past the key cache, so revoking the key ends the session at once on every node.
/// </summary>
internal static class StaffSessions
{
    public const string CookieName = "wc-session";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    public static void Add(IServiceCollection services, AuthenticationBuilder authentication, OpenIdConnectSettings? oidc, KeyRingCertificates certificates)
    {
        authentication.AddCookie(StaffAuthentication.Scheme, o =>
        {
            o.Cookie.Name = CookieName;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.ExpireTimeSpan = Lifetime;
            o.SlidingExpiration = true;
            o.LoginPath = StaffAuthentication.SignInPath;
            o.LogoutPath = StaffAuthentication.SignOutPath;
            o.ReturnUrlParameter = "returnUrl";
            o.Events.OnValidatePrincipal = ValidateAsync;
            o.Events.OnRedirectToAccessDenied = async context =>
            {
                StaffPages.Secure(context.Response);
                await PageResult.Forbidden().ExecuteAsync(context.HttpContext);
            };
        });
        services.AddOptions<CookieAuthenticationOptions>(StaffAuthentication.Scheme)
            .Configure<IHostEnvironment>((o, environment) =>
                o.Cookie.SecurePolicy = environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always);

        if (oidc is not null) AddOpenIdConnect(authentication, oidc);

        // Sessions and anti-forgery tokens are sealed with Data Protection keys kept in the database, so that every node reads
        // every other node's cookies and a restart signs nobody out; encrypted there to the operator's certificate, when given.
        var protection = services.AddDataProtection().SetApplicationName("working-conversations");
        certificates.Apply(protection);
        services.AddSingleton(certificates);
        services.AddHostedService<KeyRingProtectionCheck>();
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = new DataProtectionKeys(sp.GetRequiredService<IDocumentStore>())));
    }

    /// <summary>A key's session ends when its key is revoked; the bootstrap key's when it is no longer configured.</summary>
    private static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal;
        if (principal?.FindFirstValue(StaffAuthentication.MethodClaim) != StaffAuthentication.KeyMethod) return;
        var services = context.HttpContext.RequestServices;
        var active = Guid.TryParse(principal.FindFirstValue(WcClaims.KeyId), out var keyId) &&
                     await services.GetRequiredService<ApiKeyLookup>().IsActiveAsync(services.GetRequiredService<IQuerySession>(), keyId,
                         context.HttpContext.RequestAborted);
        if (active) return;
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(StaffAuthentication.Scheme);
    }

    /// <summary>The session of a key: the key's own claims (role, id, partner or practitioner), and how the person signed in.</summary>
    public static ClaimsPrincipal PrincipalOf(ApiKey key)
    {
        var claims = ApiKeyLookup.ClaimsOf(key);
        claims.Add(new Claim(StaffAuthentication.MethodClaim, StaffAuthentication.KeyMethod));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, StaffAuthentication.Scheme, ClaimTypes.Name, ClaimTypes.Role));
    }

    private static void AddOpenIdConnect(AuthenticationBuilder authentication, OpenIdConnectSettings settings) =>
        authentication.AddOpenIdConnect(StaffAuthentication.OpenIdConnectScheme, o =>
        {
            o.Authority = settings.Authority;
            o.ClientId = settings.ClientId;
            o.ClientSecret = settings.ClientSecret;
            o.RequireHttpsMetadata = settings.RequireHttpsMetadata;
            o.ResponseType = "code";
            o.UsePkce = true;
            o.SignInScheme = StaffAuthentication.Scheme;
            o.CallbackPath = "/sign-in/oidc/callback";
            o.SignedOutCallbackPath = "/sign-out/oidc/callback";
            o.MapInboundClaims = false;
            o.SaveTokens = false;
            o.GetClaimsFromUserInfoEndpoint = false;
            o.Scope.Clear();
            o.Scope.Add("openid");
            o.Scope.Add("profile");
            foreach (var scope in settings.Scopes) o.Scope.Add(scope);
            o.Events.OnTokenValidated = context =>
            {
                var (principal, problem) = Map(context.Principal!, settings);
                if (principal is null)
                {
                    context.Fail(problem!);
                    return Task.CompletedTask;
                }

                context.Principal = principal;
                return Task.CompletedTask;
            };
            // The session cookie is SameSite=Strict, so a browser does not send it on the redirect chain the provider started; a
            // page of our own in between makes the last step a navigation from this site, which does carry it.
            o.Events.OnTicketReceived = context =>
            {
                context.ReturnUri = SignInPages.ContinuePath + "?returnUrl=" + Uri.EscapeDataString(PageResult.LocalOrHome(context.ReturnUri));
                return Task.CompletedTask;
            };
            o.Events.OnRemoteFailure = async context =>
            {
                context.HandleResponse();
                context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StaffSessions))
                    .LogWarning("Sign-in with the identity provider was refused: {Reason}", context.Failure?.Message);
                StaffPages.Secure(context.Response);
                await PageResult.Message("You could not be signed in", StatusCodes.Status403Forbidden,
                    context.Failure?.Message ?? "The identity provider did not sign you in.",
                    "Ask an administrator to check the role your account has been given.").ExecuteAsync(context.HttpContext);
            };
        });

    /// <summary>
    /// Pure: the session of a person the identity provider signed in, with the claims the service uses everywhere: the first
    /// staff role the configured role claim gives, the practitioner id the configured claim gives (required for a
    /// practitioner), a stable id from the provider's issuer and subject (the audit's "key id" for such a person), and a name.
    /// Partners are systems: a role of partner, or none, signs nobody in.
    /// </summary>
    public static (ClaimsPrincipal? Principal, string? Problem) Map(ClaimsPrincipal provider, OpenIdConnectSettings settings)
    {
        var subject = provider.FindFirstValue("sub");
        if (string.IsNullOrEmpty(subject)) return (null, "The identity provider gave no subject for this person.");
        var role = provider.FindAll(settings.RoleClaim)
            .SelectMany(c => c.Value.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .FirstOrDefault(r => StaffAuthentication.StaffRoles.Contains(r, StringComparer.Ordinal));
        if (role is null) return (null, $"Your account has no staff role in the '{settings.RoleClaim}' claim: one of {string.Join(", ", StaffAuthentication.StaffRoles)}.");

        Guid? practitioner = null;
        if (role == Roles.Practitioner)
        {
            if (!Guid.TryParse(provider.FindFirstValue(settings.PractitionerClaim), out var id))
                return (null, $"Your account is a practitioner's but its '{settings.PractitionerClaim}' claim does not name your volunteer id.");
            practitioner = id;
        }

        var issuer = provider.FindFirst("sub")?.Issuer ?? settings.Authority;
        var personId = StableId($"oidc|{issuer}|{subject}");
        var name = provider.FindFirstValue(settings.NameClaim) ?? provider.FindFirstValue("email") ?? subject;
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, personId.ToString()),
            new(ClaimTypes.Name, name),
            new(ClaimTypes.Role, role),
            new(WcClaims.KeyId, personId.ToString()),
            new(WcClaims.KeyName, name),
            new(StaffAuthentication.MethodClaim, StaffAuthentication.OpenIdConnectMethod),
        };
        if (practitioner is { } p) claims.Add(new Claim(WcClaims.PractitionerId, p.ToString()));
        return (new ClaimsPrincipal(new ClaimsIdentity(claims, StaffAuthentication.Scheme, ClaimTypes.Name, ClaimTypes.Role)), null);
    }

    private static Guid StableId(string text)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 16).ToArray();
        // RFC 9562 version 8 (custom), variant 10: a GUID that cannot collide with the service's version 7 key ids.
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }
}
