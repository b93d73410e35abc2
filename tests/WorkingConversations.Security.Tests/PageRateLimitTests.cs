using System.Net;
using System.Net.Http.Json;
using WorkingConversations.Testing;

namespace WorkingConversations.Security.Tests;

/// <summary>A per-caller limit low enough to reach from one anonymous browser in a test; the rig's own setup uses the exempt bootstrap key.</summary>
public sealed class PageLimitsFixture : ServiceFixture
{
    public const int PerCaller = 5;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["RateLimiting:PermitsPerWindow"] = PerCaller.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RateLimiting:WindowSeconds"] = "3600",
    };
}

/// <summary>OWASP API4 on the staff pages: the rate limit and the body limit answer a person with a page, the API with a problem.</summary>
public sealed class PageRateLimitTests(PageLimitsFixture service) : IClassFixture<PageLimitsFixture>
{
    [Fact]
    public async Task A_page_over_the_rate_limit_is_an_nhs_page_with_retry_after_and_the_api_keeps_its_problem()
    {
        var browser = service.ClientWithKey(null);
        HttpResponseMessage page;
        var calls = 0;
        do
        {
            page = await browser.GetAsync("/sign-in");
            calls++;
        }
        while (page.StatusCode == HttpStatusCode.OK && calls <= PageLimitsFixture.PerCaller + 1);

        Assert.Equal(HttpStatusCode.TooManyRequests, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var seconds = Assert.IsType<TimeSpan>(page.Headers.RetryAfter?.Delta);
        Assert.True(seconds > TimeSpan.Zero);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("nhsuk-header", html, StringComparison.Ordinal);
        Assert.Contains("Too many requests", html, StringComparison.Ordinal);
        Assert.Contains($"Try again in {(int)seconds.TotalSeconds} seconds.", html, StringComparison.Ordinal);
        Assert.True(page.Headers.CacheControl?.NoStore, "A page is never kept in a cache.");

        // The same caller on the API: the same limit, answered as RFC 9457.
        var api = await browser.GetAsync("/api/v1/training/curriculum");
        Assert.Equal(HttpStatusCode.TooManyRequests, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(api.Headers.RetryAfter?.Delta);
        Assert.Equal(429, (await api.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("status").GetInt32());
    }
}
