using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WorkingConversations.Testing;

namespace WorkingConversations.Host.Tests;

[Collection(HostCollection.Name)]
public sealed class AuthenticationTests(ServiceFixture service)
{
    [Fact]
    public async Task A_request_without_a_key_gets_a_401_problem()
    {
        var response = await service.ClientWithKey(null).GetAsync("/api/v1/partners");
        await Problems.AssertProblem(response, HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task An_unknown_key_gets_a_401_problem()
    {
        var response = await service.ClientWithKey("wc_not-a-real-key").GetAsync("/api/v1/partners");
        await Problems.AssertProblem(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_revoked_key_stops_working_at_once()
    {
        var (client, keyId, _) = await service.ClientFor("admin");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/partners")).StatusCode);

        var revoke = await service.Admin().DeleteAsync($"/api/v1/api-keys/{keyId}");
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);

        await Problems.AssertProblem(await client.GetAsync("/api/v1/partners"), HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("caseworker")]
    [InlineData("analyst")]
    [InlineData("trainer")]
    public async Task A_key_of_the_wrong_role_gets_a_403_problem(string role)
    {
        var (client, _, _) = await service.ClientFor(role);
        var response = await client.GetAsync("/api/v1/partners");
        var problem = await Problems.AssertProblem(response, HttpStatusCode.Forbidden);
        Assert.Contains(role, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_issued_key_is_shown_once_and_only_its_hash_is_stored()
    {
        var response = await service.Admin().PostAsJsonAsync("/api/v1/api-keys", new { role = "analyst", name = "evaluation team" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var issued = await response.Content.ReadFromJsonAsync<JsonElement>();
        var secret = issued.GetProperty("key").GetString()!;

        var listed = await service.Admin().GetStringAsync("/api/v1/api-keys");
        Assert.DoesNotContain(secret, listed, StringComparison.Ordinal);

        await using var connection = new Npgsql.NpgsqlConnection(service.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("select count(*) from access.mt_doc_apikey where data::text like @secret", connection);
        command.Parameters.AddWithValue("secret", $"%{secret}%");
        Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task A_partner_key_needs_a_partner_and_the_problem_names_the_field()
    {
        var response = await service.Admin().PostAsJsonAsync("/api/v1/api-keys", new { role = "partner", name = "no partner" });
        var problem = await Problems.AssertProblem(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("partnerId", out _));
    }

    [Fact]
    public async Task An_unknown_role_is_rejected_naming_the_role_field()
    {
        var response = await service.Admin().PostAsJsonAsync("/api/v1/api-keys", new { role = "superuser", name = "x" });
        var problem = await Problems.AssertProblem(response, HttpStatusCode.BadRequest);
        Assert.Contains("admin", problem.GetProperty("errors").GetProperty("role")[0].GetString());
    }
}
