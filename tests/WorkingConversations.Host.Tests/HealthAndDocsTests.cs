using System.Net;
using System.Text.Json;
using WorkingConversations.Testing;

namespace WorkingConversations.Host.Tests;

[Collection(HostCollection.Name)]
public sealed class HealthAndDocsTests(ServiceFixture service)
{
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_answers_without_a_key(string path)
    {
        var response = await service.ClientWithKey(null).GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_openapi_document_and_swagger_ui_are_served()
    {
        var client = service.ClientWithKey(null);
        var document = JsonDocument.Parse(await client.GetStringAsync("/swagger/v1/swagger.json")).RootElement;
        var paths = document.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/v1/referrals", out _));
        Assert.True(paths.TryGetProperty("/api/v1/api-keys", out _));
        Assert.True(document.GetProperty("components").GetProperty("securitySchemes").TryGetProperty("Bearer", out _));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/swagger/index.html")).StatusCode);
    }

    [Fact]
    public async Task Metrics_are_served_for_prometheus()
    {
        await service.ClientWithKey(null).GetAsync("/health/live");

        // A request's duration is recorded as the request ends, after its response has reached the client, and the
        // exporter may answer a scrape from its short cache: so the first scrape can come too soon for it.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        HttpResponseMessage response;
        string body;
        do
        {
            response = await service.ClientWithKey(null).GetAsync("/metrics");
            body = await response.Content.ReadAsStringAsync();
            if (body.Contains("http_server_request_duration", StringComparison.Ordinal) || DateTime.UtcNow > deadline) break;
            await Task.Delay(250);
        } while (true);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("http_server_request_duration", body);
    }
}
