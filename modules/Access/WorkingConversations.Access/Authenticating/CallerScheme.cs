using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using WorkingConversations.BuildingBlocks.Web;

namespace WorkingConversations.Access.Authenticating;

/// <summary>
/// The default scheme, which says who the caller is before anything counts or checks them: on a staff page the staff
/// session (the cookie), everywhere else the API key. The rate limiter runs before the role checks and partitions by this
/// caller, so a signed-in person's pages count against their own account, not against the address their office shares;
/// and a page is never authenticated by a bearer key, as it never was by its own policy.
/// </summary>
internal static class CallerScheme
{
    public const string Name = "Caller";

    public static AuthenticationBuilder AddCallerScheme(this AuthenticationBuilder authentication) =>
        authentication.AddPolicyScheme(Name, "The staff session on a page, the API key elsewhere", o => o.ForwardDefaultSelector = SchemeFor);

    /// <summary>Routing runs before authentication, so the endpoint is known; a request no route matches is the API's.</summary>
    public static string SchemeFor(HttpContext http) =>
        http.GetEndpoint()?.Metadata.GetMetadata<StaffPageMetadata>() is not null ? StaffAuthentication.Scheme : ApiKeyAuthenticationHandler.SchemeName;
}
