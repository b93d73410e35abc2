using System.Net;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using WorkingConversations.BuildingBlocks.Web;
using WorkingConversations.Testing;

namespace WorkingConversations.Web.Tests;

/// <summary>
/// Every page route, with every staff role: the allow and deny table below is the pages' access, checked on the server. A
/// page added without an entry here fails the test, and so does an entry whose page is gone.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class RouteTableTests(WebFixture service)
{
    private const string Anyone = "anyone";
    private const string Admin = "admin", Caseworker = "caseworker", Practitioner = "practitioner", Trainer = "trainer", Analyst = "analyst";
    private static readonly string[] Staff = [Admin, Caseworker, Practitioner, Trainer, Analyst];

    /// <summary>Who may open each page ("METHOD pattern"): a role not named gets the 403 page.</summary>
    private static readonly Dictionary<string, string[]> Allowed = new(StringComparer.Ordinal)
    {
        ["GET /sign-in"] = [Anyone],
        ["POST /sign-in"] = [Anyone],
        ["GET /sign-in/oidc"] = [Anyone],
        ["GET /sign-in/continue"] = [Anyone],
        ["POST /sign-out"] = [Anyone],
        ["GET /sign-out"] = Staff,
        ["GET /"] = Staff,

        ["GET /api-keys"] = [Admin],
        ["GET /api-keys/new"] = [Admin],
        ["POST /api-keys/new"] = [Admin],
        ["GET /api-keys/{id:guid}/revoke"] = [Admin],
        ["POST /api-keys/{id:guid}/revoke"] = [Admin],
        ["GET /partners"] = [Admin],
        ["GET /partners/new"] = [Admin],
        ["POST /partners/new"] = [Admin],
        ["GET /audit"] = [Admin],
        ["GET /dead-letters"] = [Admin],
        ["GET /dead-letters/{id:guid}/replay"] = [Admin],
        ["POST /dead-letters/{id:guid}/replay"] = [Admin],
        ["GET /dead-letters/{id:guid}/discard"] = [Admin],
        ["POST /dead-letters/{id:guid}/discard"] = [Admin],

        ["GET /referrals"] = [Caseworker],
        ["GET /referrals/{id:guid}"] = [Caseworker],
        ["POST /referrals/{id:guid}/accept"] = [Caseworker],
        ["GET /referrals/{id:guid}/decline"] = [Caseworker],
        ["POST /referrals/{id:guid}/decline"] = [Caseworker],
        ["GET /referrals/{id:guid}/waitlist"] = [Caseworker],
        ["POST /referrals/{id:guid}/waitlist"] = [Caseworker],
        ["GET /referrals/{id:guid}/withdraw"] = [Caseworker],
        ["POST /referrals/{id:guid}/withdraw"] = [Caseworker],
        ["GET /participants/find"] = [Caseworker],
        ["POST /participants/find"] = [Caseworker],
        ["GET /participants/{id:guid}/export"] = [Caseworker],
        ["GET /participants/{id:guid}/erasure"] = [Caseworker],
        ["POST /participants/{id:guid}/erasure"] = [Caseworker],
        ["GET /participants/{id:guid}/practitioner"] = [Caseworker],
        ["POST /participants/{id:guid}/practitioner"] = [Caseworker],
        ["GET /safeguarding"] = [Caseworker],
        ["GET /safeguarding/{id:guid}"] = [Caseworker],
        ["POST /safeguarding/{id:guid}"] = [Caseworker],

        ["GET /participants/{id:guid}"] = [Caseworker, Practitioner],
        ["GET /participants/{id:guid}/conversations/new"] = [Caseworker, Practitioner],
        ["POST /participants/{id:guid}/conversations/new"] = [Caseworker, Practitioner],
        ["GET /participants/{id:guid}/end"] = [Caseworker, Practitioner],
        ["POST /participants/{id:guid}/end"] = [Caseworker, Practitioner],
        ["GET /conversations/{id:guid}"] = [Caseworker, Practitioner],
        ["GET /conversations/{id:guid}/record"] = [Caseworker, Practitioner],
        ["POST /conversations/{id:guid}/record"] = [Caseworker, Practitioner],
        ["GET /conversations/{id:guid}/missed"] = [Caseworker, Practitioner],
        ["POST /conversations/{id:guid}/missed"] = [Caseworker, Practitioner],
        ["GET /participants/{id:guid}/questionnaires/new"] = [Caseworker, Practitioner],
        ["GET /participants/{id:guid}/questionnaires/new/{instrument}"] = [Caseworker, Practitioner],
        ["POST /participants/{id:guid}/questionnaires/new/{instrument}"] = [Caseworker, Practitioner],
        ["GET /participants/{id:guid}/questionnaires/{questionnaireId:guid}"] = [Caseworker, Practitioner],
        ["GET /participants/{id:guid}/circumstances/new"] = [Caseworker, Practitioner],
        ["POST /participants/{id:guid}/circumstances/new"] = [Caseworker, Practitioner],
        ["GET /practitioners/{id:guid}/practice"] = [Practitioner, Trainer],

        ["GET /dashboard"] = [Analyst],
        ["GET /dashboard/report"] = [Analyst],
        ["GET /dashboard/csv/{section}"] = [Analyst],

        ["GET /training/pipeline"] = [Trainer],
        ["GET /volunteer-records"] = [Admin],
        ["GET /volunteer-records/{id:guid}/export"] = [Admin],
        ["GET /volunteer-records/{id:guid}/erasure"] = [Admin],
        ["POST /volunteer-records/{id:guid}/erasure"] = [Admin],
        ["GET /volunteers"] = [Trainer],
        ["GET /volunteers/new"] = [Trainer],
        ["POST /volunteers/new"] = [Trainer],
        ["GET /volunteers/{id:guid}"] = [Trainer],
        ["GET /volunteers/{id:guid}/assessment"] = [Trainer],
        ["POST /volunteers/{id:guid}/assessment"] = [Trainer],
        ["GET /volunteers/{id:guid}/practice-hours"] = [Trainer],
        ["POST /volunteers/{id:guid}/practice-hours"] = [Trainer],
        ["GET /volunteers/{id:guid}/supervision"] = [Trainer],
        ["POST /volunteers/{id:guid}/supervision"] = [Trainer],
        ["GET /volunteers/{id:guid}/dbs-check"] = [Trainer],
        ["POST /volunteers/{id:guid}/dbs-check"] = [Trainer],
        ["GET /volunteers/{id:guid}/certify"] = [Trainer],
        ["POST /volunteers/{id:guid}/certify"] = [Trainer],
        ["GET /volunteers/{id:guid}/promote"] = [Trainer],
        ["POST /volunteers/{id:guid}/promote"] = [Trainer],
        ["GET /volunteers/{id:guid}/capacity"] = [Trainer],
        ["POST /volunteers/{id:guid}/capacity"] = [Trainer],
        ["GET /volunteers/{id:guid}/suspend"] = [Trainer],
        ["POST /volunteers/{id:guid}/suspend"] = [Trainer],
        ["GET /volunteers/{id:guid}/reinstate"] = [Trainer],
        ["POST /volunteers/{id:guid}/reinstate"] = [Trainer],
        ["GET /volunteers/{id:guid}/withdraw"] = [Trainer],
        ["POST /volunteers/{id:guid}/withdraw"] = [Trainer],
    };

    /// <summary>Every page the host serves, from its endpoints: the routes marked as staff pages.</summary>
    private IReadOnlyList<string> PageRoutes() =>
    [
        .. service.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<StaffPageMetadata>() is not null)
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => $"{m} {Normal(e.RoutePattern.RawText!)}"))
            .Distinct()
            .Order(StringComparer.Ordinal),
    ];

    private static string Normal(string pattern) => "/" + pattern.Trim('/');

    [Fact]
    public void Every_page_route_has_an_entry_in_the_table_and_every_entry_a_page()
    {
        var routes = PageRoutes();
        Assert.Empty(routes.Except(Allowed.Keys));
        Assert.Empty(Allowed.Keys.Except(routes));
    }

    [Fact]
    public async Task Every_page_answers_every_role_as_the_table_says_and_asks_anyone_signed_out_to_sign_in()
    {
        var sessions = new Dictionary<string, StaffSession> { ["signed out"] = await StaffSession.SignIn(service.BaseUrl, null) };
        foreach (var role in Staff)
        {
            var key = role == Practitioner ? (await new Scenario(service).EnrolledPractitioner()).Key : (await service.ClientFor(role)).Key;
            sessions[role] = await StaffSession.SignIn(service.BaseUrl, key);
        }

        var wrong = new List<string>();
        foreach (var route in PageRoutes())
        {
            var method = route[..route.IndexOf(' ')];
            var path = route[(method.Length + 1)..].Replace("{id:guid}", Guid.CreateVersion7().ToString(), StringComparison.Ordinal)
                .Replace("{questionnaireId:guid}", Guid.CreateVersion7().ToString(), StringComparison.Ordinal)
                .Replace("{instrument}", "PHQ-9", StringComparison.Ordinal);
            var allowed = Allowed.GetValueOrDefault(route) ?? [];
            foreach (var (who, session) in sessions)
            {
                // Sign-out ends the session it is given: walked last, on a session of its own.
                if (route == "POST /sign-out") continue;
                using var response = method == "GET" ? await session.Get(path) : await session.Post(path, new Dictionary<string, string>(), withToken: false);
                var status = (int)response.StatusCode;
                var expected = allowed.Contains(Anyone) ? "not 401 or 403"
                    : who == "signed out" ? "a redirect to /sign-in"
                    : allowed.Contains(who) ? "not 403" : "403";
                var ok = expected switch
                {
                    "not 401 or 403" => status is not (401 or 403),
                    "a redirect to /sign-in" => status == 302 && response.Headers.Location?.OriginalString.Contains("/sign-in", StringComparison.Ordinal) == true,
                    "not 403" => status != 403 && status < 500,
                    _ => status == 403 && (await response.Content.ReadAsStringAsync()).Contains("You cannot use this page", StringComparison.Ordinal),
                };
                if (!ok) wrong.Add($"{route} as {who}: {status}, expected {expected}");
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }
}
