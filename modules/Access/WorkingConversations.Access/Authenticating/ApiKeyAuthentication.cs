using System.Security.Claims;
using System.Text.Encodings.Web;
using Marten;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WorkingConversations.Access.IssuingApiKeys;
using WorkingConversations.Access.Keys;
using WorkingConversations.BuildingBlocks.Auth;
using WorkingConversations.BuildingBlocks;

namespace WorkingConversations.Access.Authenticating;

/// <summary><c>Authorization: Bearer &lt;api key&gt;</c>, checked against the stored hashes on every request, so a revoked key stops at once.</summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IQuerySession session,
    ApiKeyLookup keys,
    IProblemDetailsService problems,
    KeyUsage usage,
    FailedKeys failures,
    TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header)) return AuthenticateResult.NoResult();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.Fail("The Authorization header must be 'Bearer <api key>'.");
        }

        var secret = header["Bearer ".Length..].Trim();
        if (secret.Length is 0 or > ApiKeyLookup.MaxSecretLength) return await Failed("The API key is not valid.");

        var key = await keys.FindAsync(session, secret, Context.RequestAborted);
        var now = clock.GetUtcNow();
        if (key is null || !key.WorksAt(now)) return await Failed("The API key is not valid, has expired or has been revoked.");
        if (key.Id != ApiKeyLookup.BootstrapAdminKeyId) usage.Used(key.Id, now);
        var principal = new ClaimsPrincipal(new ClaimsIdentity(ApiKeyLookup.ClaimsOf(key), SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    private async Task<AuthenticateResult> Failed(string why)
    {
        var wait = failures.Failed(Context.Connection.RemoteIpAddress);
        // A timer may fire a little early: the client waits at least the whole wait.
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        for (var left = wait; left > TimeSpan.Zero; left = wait - System.Diagnostics.Stopwatch.GetElapsedTime(started))
        {
            await Task.Delay(left + TimeSpan.FromMilliseconds(1), Context.RequestAborted);
        }

        return AuthenticateResult.Fail(why);
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = new ProblemDetails
            {
                Status = 401,
                Type = ProblemTypes.Unauthorized,
                Title = "Authentication required",
                Detail = "Send a valid API key as 'Authorization: Bearer <api key>'. Keys that have expired or been revoked no longer work.",
            },
        });
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        var role = Context.User.FindFirstValue(ClaimTypes.Role);
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = new ProblemDetails
            {
                Status = 403,
                Type = ProblemTypes.Forbidden,
                Title = "Not allowed for this role",
                Detail = $"A key with the role '{role}' may not use this route.",
            },
        });
    }
}
