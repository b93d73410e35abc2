using System.Net.Http.Json;
using System.Text.Json;
using WorkingConversations.Testing;

namespace WorkingConversations.Referrals.Tests.Api;

/// <summary>A partner developer can work from Swagger UI alone: every referral route says what it does and every answer it gives.</summary>
[Collection(ReferralsCollection.Name)]
public sealed class OpenApiTests(ServiceFixture service)
{
    [Theory]
    [InlineData("/api/v1/referrals", "post", "201 400 401 403 413 415 422 429")]
    [InlineData("/api/v1/referrals", "get", "200 400 401 403 429")]
    [InlineData("/api/v1/referrals/triage-queue", "get", "200 400 401 403 429")]
    [InlineData("/api/v1/referrals/{id}", "get", "200 401 403 404 429")]
    [InlineData("/api/v1/referrals/{id}/accept", "post", "200 400 401 403 404 409 415 429")]
    [InlineData("/api/v1/referrals/{id}/decline", "post", "200 400 401 403 404 409 415 429")]
    [InlineData("/api/v1/referrals/{id}/waitlist", "post", "200 400 401 403 404 409 415 429")]
    [InlineData("/api/v1/referrals/{id}/withdraw", "post", "200 400 401 403 404 409 415 429")]
    public async Task Each_referral_route_has_a_summary_a_description_and_every_status_it_answers_with(string path, string method, string statuses)
    {
        var document = await service.ClientWithKey(null).GetFromJsonAsync<JsonElement>("/swagger/v1/swagger.json");
        var operation = document.GetProperty("paths").GetProperty(path).GetProperty(method);

        Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("description").GetString()));
        var documented = operation.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToHashSet();
        Assert.All(statuses.Split(' '), s => Assert.Contains(s, documented));
    }

    [Fact]
    public async Task The_referral_body_is_described_field_by_field_with_its_rules()
    {
        var document = await service.ClientWithKey(null).GetFromJsonAsync<JsonElement>("/swagger/v1/swagger.json");
        var body = document.GetProperty("paths").GetProperty("/api/v1/referrals").GetProperty("post").GetProperty("requestBody")
            .GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString()!;
        var schemas = document.GetProperty("components").GetProperty("schemas");
        var request = schemas.GetProperty(body.Split('/')[^1]);

        Assert.Contains("partnerReference", request.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(4000, request.GetProperty("properties").GetProperty("reason").GetProperty("maxLength").GetInt32());
        Assert.Contains("modulus-11", schemas.EnumerateObject().Single(s => s.Name.EndsWith("PersonDetails", StringComparison.Ordinal)).Value
            .GetProperty("properties").GetProperty("nhsNumber").GetProperty("description").GetString(), StringComparison.Ordinal);
    }
}
