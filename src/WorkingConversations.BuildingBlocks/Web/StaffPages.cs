using Marten;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using WorkingConversations.BuildingBlocks.Auth;
using WorkingConversations.BuildingBlocks.Web.Components;

namespace WorkingConversations.BuildingBlocks.Web;

/// <summary>Marks an endpoint as a staff page (the route-walk test finds every page by it).</summary>
public sealed class StaffPageMetadata;

/// <summary>
/// The group every staff page is mapped in: a signed-in staff session (never an API key), the role each page names,
/// anti-forgery on every form post, and headers that keep a page's personal data out of caches and other sites.
/// </summary>
public static class StaffPages
{
    /// <summary>
    /// No script or style from anywhere but the service, no inline script, no fonts from the NHS.UK CDN (the service must
    /// run offline), forms only to the service, never inside a frame: the one policy of every response
    /// (<see cref="Security.SecurityHeaders"/>).
    /// </summary>
    public const string ContentSecurityPolicy = Security.SecurityHeaders.ContentSecurityPolicy;

    public static void AddStaffPages(this IServiceCollection services)
    {
        services.AddRazorComponents();
        services.AddHttpContextAccessor();
        services.AddSingleton<ServiceTime>();
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "wc-antiforgery";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.FormFieldName = "__RequestVerificationToken";
        });
    }

    /// <summary>The group the modules map their pages into.</summary>
    public static RouteGroupBuilder MapStaffPageGroup(this IEndpointRouteBuilder endpoints)
    {
        var pages = endpoints.MapGroup("");
        pages.RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = StaffAuthentication.Scheme, Roles = string.Join(",", StaffAuthentication.StaffRoles) })
            .WithMetadata(new StaffPageMetadata())
            .ExcludeFromDescription()
            .AddEndpointFilter(PageFilter);
        return pages;
    }

    /// <summary>Pages any signed-in staff member may open: the home page.</summary>
    public static void MapShellPages(this RouteGroupBuilder pages)
    {
        pages.MapGet("/", Home).WithName("HomePage");
    }

    /// <summary>The vendored NHS.UK frontend and the service's scripts at /assets, from the assembly.</summary>
    public static IApplicationBuilder UseStaffAssets(this IApplicationBuilder app) =>
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new EmbeddedAssets(),
            RequestPath = "/assets",
            OnPrepareResponse = c => c.Context.Response.Headers.CacheControl = "public, max-age=86400",
        });

    private static async ValueTask<object?> PageFilter(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        Secure(http.Response);
        if (HttpMethods.IsPost(http.Request.Method))
        {
            // Before anything reads the form (the anti-forgery check does): the same limit as every JSON body.
            if (!await FormWithinLimit(http.Request))
            {
                return PageResult.Message("This form is too large", StatusCodes.Status413PayloadTooLarge,
                    $"Nothing was saved. A form may send at most {MaxFormBytes / 1024} KB.",
                    "Go back, shorten what you typed, and send the form again.");
            }

            var antiforgery = http.RequestServices.GetRequiredService<IAntiforgery>();
            if (!await antiforgery.IsRequestValidAsync(http))
            {
                return PageResult.Message("This form has expired", StatusCodes.Status400BadRequest,
                    "Nothing was saved. This can happen when a page was open for a long time, or after you signed in again.",
                    "Go back, reload the page, and send the form again.");
            }
        }

        return await next(context);
    }

    /// <summary>The largest form a page accepts, as for the API's JSON bodies (<see cref="Http.Idempotency.JsonBody{T}.DefaultMaxBytes"/>).</summary>
    public const long MaxFormBytes = Http.Idempotency.JsonBody<object>.DefaultMaxBytes;

    /// <summary>
    /// Whether the form is at most <see cref="MaxFormBytes"/>: refused at once by its Content-Length, otherwise read (one
    /// byte past the limit at most) and kept in memory for the form reader, so a chunked body cannot get round it.
    /// </summary>
    private static async Task<bool> FormWithinLimit(HttpRequest request)
    {
        if (request.ContentLength > MaxFormBytes) return false;
        // A declared length is the length: the server never reads past it.
        if (request.ContentLength is not null) return true;
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        try
        {
            while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > MaxFormBytes) return false;
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return false;
        }

        buffer.Position = 0;
        request.Body = buffer;
        request.HttpContext.Response.RegisterForDispose(buffer);
        return true;
    }

    /// <summary>Pages hold personal data: no cache keeps them, no other site frames or reads them.</summary>
    public static void Secure(HttpResponse response)
    {
        // Exactly what the anti-forgery token would set, so that drawing a form does not log a warning on every page.
        response.Headers.CacheControl = "no-cache, no-store";
        response.Headers.Pragma = "no-cache";
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.XFrameOptions = "DENY";
    }

    private static async Task<IResult> Home(HttpContext http, IQuerySession session, WebCatalog catalog, ServiceTime time)
    {
        var user = StaffUser.From(http.User)!;
        var data = new PageData(http, session, user, time);
        var panels = new List<RenderFragment>();
        foreach (var panel in catalog.HomeFor(user.Role))
        {
            if (await panel.Render(data) is { } fragment) panels.Add(fragment);
        }

        return PageResult.Show<HomePage>(new Dictionary<string, object?> { ["Title"] = HomeTitle(user), ["Panels"] = panels });
    }

    private static string HomeTitle(StaffUser user) => user.Role switch
    {
        Roles.Caseworker => "Caseworker home",
        Roles.Practitioner => "My caseload",
        Roles.Trainer => "Volunteer training",
        Roles.Admin => "Administration",
        Roles.Analyst => "Outcomes",
        _ => "Home",
    };
}
