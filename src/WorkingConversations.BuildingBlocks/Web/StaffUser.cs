using System.Security.Claims;
using WorkingConversations.BuildingBlocks.Auth;

namespace WorkingConversations.BuildingBlocks.Web;

/// <summary>The names the staff sign-in shares between the Access module (which signs people in) and the pages.</summary>
public static class StaffAuthentication
{
    /// <summary>The cookie scheme of a signed-in person's session. Every page asks for it; the API never does.</summary>
    public const string Scheme = "StaffSession";

    /// <summary>The OpenID Connect scheme, registered only when an identity provider is configured.</summary>
    public const string OpenIdConnectScheme = "StaffOpenIdConnect";

    /// <summary>How the person signed in: <c>key</c> (a staff API key) or <c>oidc</c> (the identity provider).</summary>
    public const string MethodClaim = "wc:signin_method";

    public const string KeyMethod = "key";
    public const string OpenIdConnectMethod = "oidc";

    /// <summary>The roles that are people, and so may sign in to the pages; partners are systems and use the API only.</summary>
    public static readonly IReadOnlyList<string> StaffRoles = [Roles.Caseworker, Roles.Practitioner, Roles.Trainer, Roles.Analyst, Roles.Admin];

    public const string SignInPath = "/sign-in";
    public const string SignOutPath = "/sign-out";
}

/// <summary>The person a page is drawn for: who they act as (the same <see cref="Actor"/> the API stamps) and what to call them.</summary>
public sealed record StaffUser(Actor Actor, string DisplayName)
{
    public string Role => Actor.Role;

    public bool IsIn(params string[] roles) => roles.Contains(Actor.Role, StringComparer.Ordinal);

    public static StaffUser? From(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true) return null;
        var actor = Actor.From(user);
        return new StaffUser(actor, user.FindFirstValue(ClaimTypes.Name) ?? actor.Name);
    }

    /// <summary>How a role is named on a page.</summary>
    public static string RoleName(string role) => role switch
    {
        Roles.Admin => "Administrator",
        Roles.Caseworker => "Caseworker",
        Roles.Practitioner => "Practitioner",
        Roles.Trainer => "Trainer",
        Roles.Analyst => "Analyst",
        Roles.Partner => "Partner",
        _ => role,
    };
}
