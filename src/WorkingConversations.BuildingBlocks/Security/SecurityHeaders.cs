using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace WorkingConversations.BuildingBlocks.Security;

/// <summary>
/// The headers every response carries, errors and refusals included: set when the response starts, so that the
/// exception handler clearing a failed response's headers cannot drop them. The Content-Security-Policy needs no
/// setting: scripts, styles, fonts and images from this origin only, no inline script, no framing, no plugins, forms
/// posting back to this origin only. HSTS is sent outside Development (a TLS-terminating proxy in front of the host
/// makes every request look like plain HTTP here, and a browser ignores the header on a plain-HTTP answer anyway).
/// </summary>
public sealed class SecurityHeaders(RequestDelegate next, IHostEnvironment environment)
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public const string StrictTransportSecurity = "max-age=31536000; includeSubDomains";

    private readonly bool _hsts = !environment.IsDevelopment();

    public Task InvokeAsync(HttpContext http)
    {
        http.Response.OnStarting(static state =>
        {
            var (response, hsts) = ((HttpResponse, bool))state;
            var headers = response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
            if (hsts) headers.StrictTransportSecurity = StrictTransportSecurity;
            headers.Remove("Server");
            headers.Remove("X-Powered-By");
            return Task.CompletedTask;
        }, (http.Response, _hsts));
        return next(http);
    }
}
