using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text;
using Marten;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Configuration;
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
    ApiKeyCache cache,
    IConfiguration configuration,
    IProblemDetailsService problems,
    KeyUsage usage,
    FailedKeys failures,
    TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public static readonly Guid BootstrapAdminKeyId = new("00000000-0000-7000-8000-000000000001");

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header)) return AuthenticateResult.NoResult();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.Fail("The Authorization header must be 'Bearer <api key>'.");
        }

        var secret = header["Bearer ".Length..].Trim();
        if (secret.Length is 0 or > 200) return await Failed("The API key is not valid.");

        var hash = ApiKey.HashOf(secret);
        var bootstrap = configuration["Auth:BootstrapAdminKey"];
        if (!string.IsNullOrEmpty(bootstrap) &&
            CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(hash), Encoding.UTF8.GetBytes(ApiKey.HashOf(bootstrap))))
        {
            return Success(new ApiKey(BootstrapAdminKeyId, "bootstrap-admin", Roles.Admin, hash, null, null, DateTimeOffset.MinValue));
        }

        if (!cache.TryGet(hash, out var key))
        {
            key = await session.Query<ApiKey>().FirstOrDefaultAsync(k => k.Hash == hash, Context.RequestAborted);
            if (key is not null) cache.Remember(key);
        }

        var now = clock.GetUtcNow();
        if (key is null || !key.HasHash(hash) || !key.WorksAt(now)) return await Failed("The API key is not valid, has expired or has been revoked.");
        usage.Used(key.Id, now);
        return Success(key);
    }

    private async Task<AuthenticateResult> Failed(string why)
    {
        var wait = failures.Failed(Context.Connection.RemoteIpAddress);
        if (wait > TimeSpan.Zero) await Task.Delay(wait, Context.RequestAborted);
        return AuthenticateResult.Fail(why);
    }

    private AuthenticateResult Success(ApiKey key)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, key.Id.ToString()),
            new(ClaimTypes.Name, key.Name),
            new(ClaimTypes.Role, key.Role),
            new(WcClaims.KeyId, key.Id.ToString()),
            new(WcClaims.KeyName, key.Name),
        };
        if (key.PartnerId is { } partner) claims.Add(new(WcClaims.PartnerId, partner.ToString()));
        if (key.PractitionerId is { } practitioner) claims.Add(new(WcClaims.PractitionerId, practitioner.ToString()));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
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
