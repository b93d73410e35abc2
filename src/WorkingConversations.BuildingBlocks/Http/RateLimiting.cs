using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WorkingConversations.BuildingBlocks.Auth;
using WorkingConversations.BuildingBlocks.Web;

namespace WorkingConversations.BuildingBlocks;

/// <summary>
/// The limits of <c>RateLimiting:*</c>. Every route: a fixed window of requests per caller: on the API its key, on a staff
/// page the signed-in person's account (their key, or their identity provider id), and a caller with neither, or with a
/// cookie that does not open a session, per client address. Referral intake (the JSON and the FHIR route) also: a window
/// and a number of requests in flight per partner, so that one partner's flood is refused early and cannot hold the
/// database's connections the others need.
/// </summary>
public sealed record RateLimitSettings(
    int PermitsPerWindow,
    TimeSpan Window,
    int ReferralsPerWindow,
    TimeSpan ReferralWindow,
    int ReferralsInFlight,
    IReadOnlySet<string> ExemptKeys)
{
    public static RateLimitSettings From(IConfiguration configuration)
    {
        var section = configuration.GetSection("RateLimiting");
        var settings = new RateLimitSettings(
            section.GetValue("PermitsPerWindow", 600),
            TimeSpan.FromSeconds(section.GetValue("WindowSeconds", 60)),
            section.GetValue("Referrals:PermitsPerWindow", 120),
            TimeSpan.FromSeconds(section.GetValue("Referrals:WindowSeconds", 60)),
            section.GetValue("Referrals:InFlight", 4),
            section.GetSection("ExemptKeys").Get<string[]>()?.ToHashSet(StringComparer.OrdinalIgnoreCase) ?? []);
        if (settings.PermitsPerWindow < 1 || settings.Window <= TimeSpan.Zero || settings.ReferralsPerWindow < 1 ||
            settings.ReferralWindow <= TimeSpan.Zero || settings.ReferralsInFlight < 1)
        {
            throw new InvalidOperationException("RateLimiting: every limit must be at least 1 and every window at least 1 second.");
        }

        return settings;
    }
}

/// <summary>ASP.NET Core's rate limiter as one global limiter: 429 with Retry-After and a problem when a limit is reached.</summary>
public static class RateLimiting
{
    public static IServiceCollection AddRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = RateLimitSettings.From(configuration);
        services.AddSingleton(settings);
        services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(http => PerCaller(http, settings)),
                PartitionedRateLimiter.Create<HttpContext, string>(http => ReferralWindow(http, settings)),
                PartitionedRateLimiter.Create<HttpContext, string>(http => ReferralsInFlight(http, settings)));
            options.OnRejected = async (context, _) =>
            {
                var http = context.HttpContext;
                var intake = IsReferralIntake(http.Request);
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                if (http.GetEndpoint()?.Metadata.GetMetadata<StaffPageMetadata>() is not null)
                {
                    // A person at a browser gets a page in the service's layout, not JSON. On a page the caller is the staff
                    // session (the default scheme's), so the layout shows who is signed in and the page says what was counted.
                    StaffPages.Secure(http.Response);
                    var signedIn = StaffUser.From(http.User) is not null;
                    var over = $"made more than {settings.PermitsPerWindow} requests in {settings.Window.TotalSeconds:0} seconds. " +
                               "Nothing was saved from the request that was refused.";
                    string[] paragraphs = signedIn
                        ? [$"Your account has {over}"]
                        : [$"This network address has {over}",
                           "Browsers that are not signed in are counted together by their network address, which everyone in one office may share."];
                    await PageResult.Message("Too many requests", StatusCodes.Status429TooManyRequests,
                        [.. paragraphs, $"Try again in {seconds} {(seconds == 1 ? "second" : "seconds")}."]).ExecuteAsync(http);
                    return;
                }

                var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails = new ProblemDetails
                    {
                        Status = 429, Type = ProblemTypes.RateLimited, Title = "Too many requests",
                        Detail = intake
                            ? $"This partner may send {settings.ReferralsPerWindow} referrals per {settings.ReferralWindow.TotalSeconds:0} seconds, " +
                              $"{settings.ReferralsInFlight} at a time, and each API key {settings.PermitsPerWindow} requests per {settings.Window.TotalSeconds:0} seconds. " +
                              "Retry after the time in Retry-After."
                            : $"This API key (or, without one, this address) has used its {settings.PermitsPerWindow} requests per " +
                              $"{settings.Window.TotalSeconds:0} seconds. Retry after the time in Retry-After.",
                    },
                });
            };
        });
        return services;
    }

    /// <summary>The routes that create referrals: the JSON route and the FHIR message route.</summary>
    public static bool IsReferralIntake(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) &&
        (request.Path.Equals("/api/v1/referrals", StringComparison.OrdinalIgnoreCase) ||
         request.Path.Equals("/fhir/R4/$process-message", StringComparison.OrdinalIgnoreCase));

    private static RateLimitPartition<string> PerCaller(HttpContext http, RateLimitSettings settings)
    {
        var key = http.User.FindFirstValue(ClaimTypes.NameIdentifier);
        if (key is not null && settings.ExemptKeys.Contains(key)) return RateLimitPartition.GetNoLimiter("exempt");
        var partition = key is not null ? "key:" + key : "address:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown");
        return RateLimitPartition.GetFixedWindowLimiter(partition,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = settings.PermitsPerWindow, Window = settings.Window, QueueLimit = 0 });
    }

    /// <summary>A partner's keys share one partition: a second key does not double a partner's intake.</summary>
    private static string? IntakePartition(HttpContext http, RateLimitSettings settings)
    {
        if (!IsReferralIntake(http.Request)) return null;
        var key = http.User.FindFirstValue(ClaimTypes.NameIdentifier);
        if (key is not null && settings.ExemptKeys.Contains(key)) return null;
        return http.User.FindFirstValue(WcClaims.PartnerId) is { } partner ? "partner:" + partner : key is null ? null : "key:" + key;
    }

    private static RateLimitPartition<string> ReferralWindow(HttpContext http, RateLimitSettings settings) =>
        IntakePartition(http, settings) is { } partition
            ? RateLimitPartition.GetFixedWindowLimiter(partition,
                _ => new FixedWindowRateLimiterOptions { PermitLimit = settings.ReferralsPerWindow, Window = settings.ReferralWindow, QueueLimit = 0 })
            : RateLimitPartition.GetNoLimiter("none");

    private static RateLimitPartition<string> ReferralsInFlight(HttpContext http, RateLimitSettings settings) =>
        IntakePartition(http, settings) is { } partition
            ? RateLimitPartition.GetConcurrencyLimiter(partition, _ => new ConcurrencyLimiterOptions { PermitLimit = settings.ReferralsInFlight, QueueLimit = 0 })
            : RateLimitPartition.GetNoLimiter("none");
}
