using System.Net;
using System.Text.RegularExpressions;

namespace WorkingConversations.Web.Tests;

/// <summary>
/// A signed-in session without a browser, for walking every page quickly: the sign-in form posted with its anti-forgery
/// token, the cookies carried by hand (the session cookie is Secure, which HttpClient's own cookie jar keeps off http).
/// </summary>
public sealed partial class StaffSession : IDisposable
{
    private readonly HttpClient _client;
    private readonly Dictionary<string, string> _cookies = new(StringComparer.Ordinal);

    private StaffSession(string baseUrl) =>
        _client = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl) };

    public static async Task<StaffSession> SignIn(string baseUrl, string? key)
    {
        var session = new StaffSession(baseUrl);
        if (key is null) return session;
        var response = await session.Post("/sign-in", new Dictionary<string, string> { ["key"] = key, ["returnUrl"] = "/" });
        if (response.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException($"Sign-in answered {(int)response.StatusCode}.");
        return session;
    }

    public async Task<HttpResponseMessage> Get(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        return await Send(request);
    }

    /// <summary>Posts a form with a fresh anti-forgery token (from the sign-in page, which anyone may open).</summary>
    public async Task<HttpResponseMessage> Post(string path, IDictionary<string, string> fields, bool withToken = true)
    {
        var form = new Dictionary<string, string>(fields);
        if (withToken) form["__RequestVerificationToken"] = await Token();
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        return await Send(request);
    }

    private async Task<string> Token()
    {
        var page = await (await Get("/sign-in")).Content.ReadAsStringAsync();
        return TokenField().Match(page).Groups[1].Value;
    }

    private async Task<HttpResponseMessage> Send(HttpRequestMessage request)
    {
        if (_cookies.Count > 0) request.Headers.Add("Cookie", string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}")));
        var response = await _client.SendAsync(request);
        if (response.Headers.TryGetValues("Set-Cookie", out var cookies))
        {
            foreach (var cookie in cookies)
            {
                var pair = cookie.Split(';')[0].Split('=', 2);
                if (pair.Length == 2 && pair[1].Length > 0) _cookies[pair[0]] = pair[1];
                else if (pair.Length == 2) _cookies.Remove(pair[0]);
            }
        }

        return response;
    }

    public void Dispose() => _client.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
