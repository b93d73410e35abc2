using System.Net.Http.Json;
using System.Text.Json;
using WorkingConversations.Testing;

namespace WorkingConversations.Outcomes.Tests.Integration;

[Collection(OutcomesCollection.Name)]
public sealed class OpenApiTests(ServiceFixture service)
{
    [Theory]
    [InlineData("/api/v1/participants/{id}/circumstances", "post", "201", "400")]
    [InlineData("/api/v1/participants/{id}/questionnaires", "post", "201", "400")]
    [InlineData("/api/v1/outcomes/summary", "get", "200", "400")]
    [InlineData("/api/v1/outcomes/funnel", "get", "200", "400")]
    [InlineData("/api/v1/outcomes/relapse", "get", "200", "400")]
    [InlineData("/api/v1/outcomes/waiting-times", "get", "200", "400")]
    [InlineData("/api/v1/outcomes/export.csv", "get", "200", "400")]
    public async Task Each_outcomes_route_documents_its_success_and_its_problem(string path, string method, string success, string problem)
    {
        var document = await service.ClientWithKey(null).GetFromJsonAsync<JsonElement>("/swagger/v1/swagger.json");
        var responses = document.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("responses");
        Assert.True(responses.TryGetProperty(success, out _), $"{path} documents no {success}");
        Assert.True(responses.TryGetProperty(problem, out _), $"{path} documents no {problem}");
    }
}
