using System.Net;
using System.Net.Sockets;
using System.Text;
using Marten.Exceptions;
using Npgsql;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.Testing;

namespace WorkingConversations.Host.Tests;

/// <summary>
/// How the service tells the database's trouble apart: away (503, sent again later), a lost race (409, sent again),
/// or a fault of ours (500). The reliability harness's outage scenario shows the 503s end to end; these pin the rule
/// on the exceptions Npgsql and Marten really throw.
/// </summary>
public sealed class DatabaseTroubleTests
{
    private static async Task<Exception> RefusedConnection()
    {
        using var probe = new TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={port};Username=postgres;Timeout=2");
        return await Assert.ThrowsAnyAsync<Exception>(() => connection.OpenAsync());
    }

    private static PostgresException ServerSays(string sqlState) => new("message", "ERROR", "ERROR", sqlState);

    [Fact]
    public async Task A_database_that_refuses_connections_is_unavailable_not_a_fault()
    {
        var refused = await RefusedConnection();
        Assert.True(DatabaseUnavailable.Is(refused));
        Assert.True(DatabaseUnavailable.Is(new MartenCommandException(new NpgsqlCommand("select 1"), refused)));
        Assert.False(ProblemExceptionHandler.IsLostRace(refused));
    }

    [Theory]
    [InlineData("57P01")] // terminating connection due to administrator command
    [InlineData("57P03")] // the database system is starting up
    [InlineData("08006")] // connection failure
    [InlineData("53300")] // too many connections
    public void A_server_going_away_or_full_is_unavailable(string sqlState) => Assert.True(DatabaseUnavailable.Is(ServerSays(sqlState)));

    [Theory]
    [InlineData("23502")] // not null violation: our fault
    [InlineData("42P01")] // undefined table: our fault
    [InlineData("MT003")] // stream version mismatch: a lost race
    public void An_error_about_the_request_or_the_data_is_not_unavailability(string sqlState) => Assert.False(DatabaseUnavailable.Is(ServerSays(sqlState)));

    [Fact]
    public void A_stream_version_mismatch_wrapped_by_marten_is_a_lost_race()
    {
        var wrapped = new MartenCommandException(new NpgsqlCommand("select events.mt_quick_append_events()"), ServerSays("MT003"));
        Assert.True(ProblemExceptionHandler.IsLostRace(wrapped));
        Assert.False(ProblemExceptionHandler.IsLostRace(new MartenCommandException(new NpgsqlCommand("select 1"), ServerSays("23502"))));
    }
}

/// <summary>A body in a charset nobody knows is never our 500: the routes the framework binds answer 415, the others read UTF-8.</summary>
[Collection(HostCollection.Name)]
public sealed class UnknownCharsetTests(ServiceFixture service)
{
    [Fact]
    public async Task No_route_answers_a_json_body_in_an_unknown_charset_with_a_500()
    {
        var routes = service.Services.GetRequiredService<Microsoft.AspNetCore.Routing.EndpointDataSource>().Endpoints
            .OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
            // The staff pages answer a session's cookie with pages, not problems: their walks are in Web.Tests.
            .Where(e => e.Metadata.GetMetadata<WorkingConversations.BuildingBlocks.Web.StaffPageMetadata>() is null)
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? []).Where(m => m is "POST" or "PUT")
                .Select(m => (Method: m, Template: e.RoutePattern.RawText!, Roles: e.Metadata.GetOrderedMetadata<Microsoft.AspNetCore.Authorization.AuthorizationPolicy>()
                    .SelectMany(p => p.Requirements).OfType<Microsoft.AspNetCore.Authorization.Infrastructure.RolesAuthorizationRequirement>()
                    .SelectMany(r => r.AllowedRoles).ToArray())))
            .ToArray();
        Assert.NotEmpty(routes);

        var clients = new Dictionary<string, HttpClient>();
        var failures = new List<string>();
        foreach (var (method, template, roles) in routes)
        {
            // The FHIR routes check the key themselves (partners only) and answer as FHIR does, with OperationOutcomes.
            var fhir = template.StartsWith("/fhir/", StringComparison.Ordinal);
            var role = fhir ? "partner" : roles.FirstOrDefault() ?? "admin";
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

            var path = System.Text.RegularExpressions.Regex.Replace(template, @"\{(\w+):guid\}", _ => Guid.CreateVersion7().ToString());
            path = System.Text.RegularExpressions.Regex.Replace(path, @"\{\w+\}", "code");
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes("{}")) };
            request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=klingon");
            var response = await client.SendAsync(request);
            if ((int)response.StatusCode >= 500 || (int)response.StatusCode >= 400 && response.Content.Headers.ContentType?.MediaType != (fhir ? "application/fhir+json" : "application/problem+json"))
                failures.Add($"{method} {template}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
