using System.Net;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using WorkingConversations.Testing;

namespace WorkingConversations.Host.Tests;

/// <summary>
/// The all-zero GUID is a valid GUID that nothing is ever given: every route that takes an id answers it with a 404
/// problem, asked by a key of a role the route allows, whatever the body. The event store refused it as a stream id
/// with an exception, which was a 500 on the questionnaire, circumstances, certify and promote routes.
/// </summary>
[Collection(HostCollection.Name)]
public sealed class EmptyIdTests(ServiceFixture service)
{
    private const string Empty = "00000000-0000-0000-0000-000000000000";

    private IReadOnlyList<(string Method, string Template, string Role)> RoutesWithIds() =>
    [
        .. service.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            // The staff pages answer a session's cookie with pages, not problems: their walks are in Web.Tests.
            .Where(e => e.Metadata.GetMetadata<WorkingConversations.BuildingBlocks.Web.StaffPageMetadata>() is null)
            .Where(e => e.RoutePattern.Parameters.Any(p => p.ParameterPolicies.Any(c => c.Content == "guid")))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(method => (
                method,
                e.RoutePattern.RawText!,
                e.Metadata.GetOrderedMetadata<IAuthorizeData>().SelectMany(a => a.Roles?.Split(',') ?? []).FirstOrDefault() ??
                e.Metadata.GetOrderedMetadata<AuthorizationPolicy>().SelectMany(p => p.Requirements)
                    .OfType<Microsoft.AspNetCore.Authorization.Infrastructure.RolesAuthorizationRequirement>().SelectMany(r => r.AllowedRoles).First()))),
    ];

    [Fact]
    public async Task Every_route_that_takes_an_id_answers_the_all_zero_id_with_a_404_problem()
    {
        var routes = RoutesWithIds();
        Assert.Contains(routes, r => r.Template.EndsWith("/questionnaires", StringComparison.Ordinal));
        Assert.Contains(routes, r => r.Template.EndsWith("/circumstances", StringComparison.Ordinal));
        Assert.Contains(routes, r => r.Template.EndsWith("/certify", StringComparison.Ordinal));
        Assert.Contains(routes, r => r.Template.EndsWith("/promote", StringComparison.Ordinal));

        var clients = new Dictionary<string, HttpClient>();
        var failures = new List<string>();
        foreach (var (method, template, role) in routes)
        {
            if (!clients.TryGetValue(role, out var client))
            {
                clients[role] = client = role switch
                {
                    "admin" => service.Admin(),
                    "partner" => (await service.NewPartner()).Client,
                    "practitioner" => (await new Scenario(service).EnrolledPractitioner()).Client,
                    _ => (await service.ClientFor(role)).Client,
                };
            }

            var path = System.Text.RegularExpressions.Regex.Replace(template, @"\{(\w+):guid\}", Empty);
            path = System.Text.RegularExpressions.Regex.Replace(path, @"\{\w+\}", "code");
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (method is "POST" or "PUT" or "PATCH") request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
            var response = await client.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.NotFound || response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                failures.Add($"{method} {template} as {role}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task The_all_zero_id_gets_a_problem_that_names_it()
    {
        var (_, practitioner, _) = await new Scenario(service).EnrolledPractitioner();
        var response = await practitioner.PostAsync($"/api/v1/participants/{Empty}/questionnaires",
            new StringContent("""{"instrument":"PHQ-9","timepoint":"start","answers":[1,1,1,1,1,1,1,1,0],"administeredAt":"2026-11-01T10:00:00Z"}""",
                Encoding.UTF8, "application/json"));
        var problem = await Problems.AssertProblem(response, HttpStatusCode.NotFound);
        Assert.Contains(Empty, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
