using System.Net.Http.Json;
using System.Text.Json;
using WorkingConversations.Referrals.Tests.Api;
using WorkingConversations.Testing;

namespace WorkingConversations.Referrals.Tests.Fhir;

/// <summary>The FHIR and directory routes are in the OpenAPI document with what they do and every answer they give.</summary>
[Collection(ReferralsCollection.Name)]
public sealed class FhirOpenApiTests(ServiceFixture service)
{
    [Theory]
    [InlineData("/fhir/R4/$process-message", "post", "200 400 401 403 409 413 415 422 429", "application/fhir+json")]
    [InlineData("/fhir/R4/ServiceRequest/{id}", "get", "200 401 403 404 429", "application/fhir+json")]
    [InlineData("/fhir/R4/metadata", "get", "200 401 403 429", "application/fhir+json")]
    [InlineData("/api/v1/directory/imports", "post", "200 400 401 403 413 415", "application/json")]
    [InlineData("/api/v1/directory/services", "get", "200 400 401 403", "application/json")]
    public async Task Each_fhir_and_directory_route_is_documented_with_every_status_it_answers_with(string path, string method, string statuses, string mediaType)
    {
        var document = await service.ClientWithKey(null).GetFromJsonAsync<JsonElement>("/swagger/v1/swagger.json");
        var operation = document.GetProperty("paths").GetProperty(path).GetProperty(method);

        Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()));
        var responses = operation.GetProperty("responses");
        Assert.All(statuses.Split(' '), s => Assert.True(responses.TryGetProperty(s, out _), $"{path} {method} documents {s}"));
        Assert.True(responses.GetProperty("200").GetProperty("content").TryGetProperty(mediaType, out _));
    }
}
