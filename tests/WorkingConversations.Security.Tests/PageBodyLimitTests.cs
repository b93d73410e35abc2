using System.Net;
using System.Text;
using WorkingConversations.Testing;

namespace WorkingConversations.Security.Tests;

/// <summary>OWASP API4 on the staff pages: a form gets the JSON API's 64 KB limit, answered with a page.</summary>
[Collection(MatrixCollection.Name)]
public sealed class PageBodyLimitTests(ServiceFixture service)
{
    private static string Form(int bytes) => "apiKey=" + new string('a', bytes);

    [Fact]
    public async Task A_form_over_64_KB_is_a_413_page_declared_or_chunked_and_a_smaller_one_is_read()
    {
        var browser = service.ClientWithKey(null);

        var declared = await browser.PostAsync("/sign-in", new StringContent(Form(65 * 1024), Encoding.UTF8, "application/x-www-form-urlencoded"));
        await AssertTooLargePage(declared);

        // Without a length (chunked): the limit holds on what is read.
        var stream = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(Form(100 * 1024))));
        stream.Headers.ContentType = new("application/x-www-form-urlencoded");
        using var chunked = new HttpRequestMessage(HttpMethod.Post, "/sign-in") { Content = stream };
        chunked.Headers.TransferEncodingChunked = true;
        await AssertTooLargePage(await browser.SendAsync(chunked));

        // Within the limit the form is read: this one has no anti-forgery token, and says so.
        var small = await browser.PostAsync("/sign-in", new StringContent(Form(60 * 1024), Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.BadRequest, small.StatusCode);
        Assert.Contains("This form has expired", await small.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The API keeps its problem.
        var api = await service.Admin().PostAsync("/api/v1/api-keys",
            new StringContent($"{{\"role\":\"analyst\",\"name\":\"{new string('a', 65 * 1024)}\"}}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
    }

    private static async Task AssertTooLargePage(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("nhsuk-header", html, StringComparison.Ordinal);
        Assert.Contains("This form is too large", html, StringComparison.Ordinal);
        Assert.Contains("64 KB", html, StringComparison.Ordinal);
    }
}
