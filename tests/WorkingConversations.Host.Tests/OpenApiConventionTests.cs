using System.Net.Http.Json;
using System.Text.Json;
using WorkingConversations.Testing;

namespace WorkingConversations.Host.Tests;

/// <summary>Every route of the API documents its success and the problems every route can give, in one convention.</summary>
[Collection(HostCollection.Name)]
public sealed class OpenApiConventionTests(ServiceFixture service)
{
    [Fact]
    public async Task Every_route_documents_a_success_a_401_and_a_403_the_rate_limited_ones_429_and_the_idempotent_ones_422()
    {
        var document = await service.ClientWithKey(null).GetFromJsonAsync<JsonElement>("/swagger/v1/swagger.json");
        var missing = new List<string>();
        foreach (var path in document.GetProperty("paths").EnumerateObject().Where(p => p.Name.StartsWith("/api/v1/", StringComparison.Ordinal)))
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var responses = operation.Value.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToHashSet();
                var idempotent = operation.Value.TryGetProperty("description", out var description) &&
                                 description.GetString()!.Contains("Idempotency-Key", StringComparison.Ordinal);
                var expected = new List<string> { "401", "403" };
                if (path.Name.StartsWith("/api/v1/referrals", StringComparison.Ordinal)) expected.Add("429");
                if (idempotent) expected.Add("422");
                if (!responses.Any(r => r.StartsWith('2'))) missing.Add($"{operation.Name} {path.Name}: no success");
                missing.AddRange(expected.Where(e => !responses.Contains(e)).Select(e => $"{operation.Name} {path.Name}: no {e}"));
            }
        }

        Assert.True(missing.Count == 0, string.Join("\n", missing));
    }
}
