using Marten;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using WorkingConversations.Access.Keys;
using WorkingConversations.BuildingBlocks.Auth;
using WorkingConversations.BuildingBlocks.Web;

namespace WorkingConversations.Access.SigningIn;

/// <summary><c>/sign-in</c> and <c>/sign-out</c>: a staff key exchanged for a session, or the identity provider's sign-in.</summary>
internal static class SignInPages
{
    public const string ContinuePath = "/sign-in/continue";
    public const string OpenIdConnectPath = "/sign-in/oidc";

    public static void Map(RouteGroupBuilder pages)
    {
        // Inside the pages' group for its anti-forgery and headers, but open to anyone: this is where a session begins.
        var open = pages.MapGroup("").AllowAnonymous();
        open.MapGet(StaffAuthentication.SignInPath, Show).WithName("SignInPage");
        open.MapPost(StaffAuthentication.SignInPath, SignIn).WithName("SignIn");
        open.MapGet(OpenIdConnectPath, SignInWithProvider).WithName("SignInWithIdentityProvider");
        open.MapGet(ContinuePath, Continue).WithName("SignedInContinue");
        pages.MapGet(StaffAuthentication.SignOutPath, ConfirmSignOut).WithName("SignOutPage");
        // Signing out must work for a session whose key was just revoked too: it only ends the cookie.
        open.MapPost(StaffAuthentication.SignOutPath, (Func<HttpContext, Task<IResult>>)SignOut).WithName("SignOut");
    }

    private static IResult Show(HttpContext http, string? returnUrl, string? signedOut, SignInMode mode) =>
        PageResult.Show<SignInPage>(new Dictionary<string, object?>
        {
            ["ReturnUrl"] = PageResult.LocalOrHome(returnUrl),
            ["SignedOut"] = signedOut is not null,
            ["Provider"] = mode.Provider?.DisplayName,
        });

    private static async Task<IResult> SignIn(HttpContext http, IQuerySession session, ApiKeyLookup keys, SignInMode mode, TimeProvider clock)
    {
        var form = await PostedForm.ReadAsync(http.Request);
        var returnUrl = PageResult.LocalOrHome(form.Text("returnUrl"));
        if (mode.Provider is { } oidc) return PageResult.Message("Sign in with your organisation's account", StatusCodes.Status400BadRequest,
            $"This service signs staff in with {oidc.DisplayName}, not with keys.");

        var (key, problem) = Check(form.Text("key") is { } secret ? await keys.FindAsync(session, secret, http.RequestAborted) : null, form.Text("key") is null,
            clock.GetUtcNow());
        if (key is null)
        {
            var errors = FormErrors.None.Add("key", "#key", problem!);
            return PageResult.Show<SignInPage>(new Dictionary<string, object?> { ["ReturnUrl"] = returnUrl, ["Errors"] = errors },
                StatusCodes.Status400BadRequest);
        }

        await http.SignInAsync(StaffAuthentication.Scheme, StaffSessions.PrincipalOf(key),
            new AuthenticationProperties { IsPersistent = false, AllowRefresh = true });
        return TypedResults.Redirect(returnUrl);
    }

    /// <summary>Pure: which keys open a session. Only working keys of staff roles: partner keys belong to partners' systems.</summary>
    public static (ApiKey? Key, string? Problem) Check(ApiKey? key, bool empty, DateTimeOffset now) => key switch
    {
        _ when empty => (null, "Staff key is required: enter the key an administrator gave you."),
        null => (null, "Staff key is not a key this service knows, or it has been revoked."),
        _ when !key.WorksAt(now) => (null, "Staff key is not a key this service knows, or it has expired or been revoked."),
        { Role: Roles.Partner } => (null, "Staff key is a partner's key: partner keys are for partners' systems and cannot sign in to these pages."),
        _ when !StaffAuthentication.StaffRoles.Contains(key.Role) => (null, "Staff key has no staff role."),
        _ => (key, null),
    };

    private static IResult SignInWithProvider(string? returnUrl, SignInMode mode) =>
        mode.Provider is null
            ? PageResult.NotFound()
            : TypedResults.Challenge(new AuthenticationProperties { RedirectUri = PageResult.LocalOrHome(returnUrl) }, [StaffAuthentication.OpenIdConnectScheme]);

    private static IResult Continue(string? returnUrl) =>
        PageResult.Show<SignedInPage>(new Dictionary<string, object?> { ["ReturnUrl"] = PageResult.LocalOrHome(returnUrl) });

    private static IResult ConfirmSignOut() => PageResult.Show<SignOutPage>();

    private static async Task<IResult> SignOut(HttpContext http)
    {
        await http.SignOutAsync(StaffAuthentication.Scheme);
        return TypedResults.Redirect(StaffAuthentication.SignInPath + "?signedOut=1");
    }
}
