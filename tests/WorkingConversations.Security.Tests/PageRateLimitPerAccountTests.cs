using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using WorkingConversations.Testing;

namespace WorkingConversations.Security.Tests;

/// <summary>
/// Production on a real loopback port with a per-caller limit a test reaches in a few pages, its log captured. Each test's
/// browsers connect from a loopback address of their own (127.0.0.x), as the people of one office come from one address.
/// </summary>
public sealed class AccountLimitsFixture() : LoopbackProductionFixture(PerCaller)
{
    public const int PerCaller = 6;
}

/// <summary>
/// OWASP API4 on the staff pages: a signed-in person's pages count against their own account, so colleagues behind one
/// proxy or NAT do not lock each other out; a browser without a session, or with a cookie that opens none, counts against
/// its address.
/// </summary>
public sealed partial class PageRateLimitPerAccountTests(AccountLimitsFixture service) : IClassFixture<AccountLimitsFixture>
{
    [Fact]
    public async Task Two_staff_accounts_from_one_address_each_have_their_own_page_limit()
    {
        var office = IPAddress.Parse("127.0.0.2");
        var (_, _, trainerKey) = await service.ClientFor("trainer", name: "Asha Trainer");
        var (_, _, caseworkerKey) = await service.ClientFor("caseworker", name: "Ben Caseworker");
        using var asha = new Browser(service.BaseAddress, office);
        using var ben = new Browser(service.BaseAddress, office);
        // Each sign-in is two requests of the address's own allowance: the form and its post.
        await asha.SignIn(trainerKey);
        await ben.SignIn(caseworkerKey);

        var refused = await asha.UntilRefused("/");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter?.Delta);
        var page = await refused.Content.ReadAsStringAsync();
        Assert.Contains("nhsuk-header__account", page, StringComparison.Ordinal);
        Assert.Contains("Asha Trainer (Trainer)", page, StringComparison.Ordinal);
        Assert.Contains($"Your account has made more than {AccountLimitsFixture.PerCaller} requests in 3600 seconds.", page, StringComparison.Ordinal);

        // The colleague at the next desk, from the same address, still has every page of their own allowance.
        for (var i = 0; i < AccountLimitsFixture.PerCaller; i++)
        {
            var home = await ben.Get("/");
            Assert.Equal(HttpStatusCode.OK, home.StatusCode);
            Assert.Contains("Ben Caseworker (Caseworker)", await home.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // And the address's own allowance is what the two sign-ins used of it, not what the accounts did.
        using var visitor = new Browser(service.BaseAddress, office);
        Assert.Equal(HttpStatusCode.OK, (await visitor.Get("/sign-in")).StatusCode);
        Assert.DoesNotContain(service.Log.Entries, e => e.Level >= LogLevel.Error);
    }

    [Fact]
    public async Task A_browser_without_a_session_is_limited_by_its_address_and_a_made_up_cookie_does_not_escape_it()
    {
        var office = IPAddress.Parse("127.0.0.3");
        var (_, _, trainerKey) = await service.ClientFor("trainer", name: "Carys Trainer");
        var (_, partner) = await service.NewPartner();
        using var carys = new Browser(service.BaseAddress, office);
        var session = await carys.SignIn(trainerKey);

        using var anonymous = new Browser(service.BaseAddress, office);
        var refused = await anonymous.UntilRefused("/sign-in");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var page = await refused.Content.ReadAsStringAsync();
        Assert.DoesNotContain("nhsuk-header__account", page, StringComparison.Ordinal);
        Assert.Contains($"This network address has made more than {AccountLimitsFixture.PerCaller} requests in 3600 seconds.", page, StringComparison.Ordinal);

        // A cookie that opens no session is no session: a fresh made-up one on every request, or a real one tampered with,
        // is counted by the address like no cookie at all.
        var tampered = session[..^4] + (session[^4..] == "AAAA" ? "BBBB" : "AAAA");
        foreach (var cookie in new[] { $"wc-session={Guid.NewGuid():N}", $"wc-session={Guid.NewGuid():N}", "wc-session=", tampered })
        {
            foreach (var path in new[] { "/", "/sign-in", "/volunteers" })
            {
                var answer = await anonymous.Get(path, cookie);
                Assert.Equal(HttpStatusCode.TooManyRequests, answer.StatusCode);
                Assert.DoesNotContain("nhsuk-header__account", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
        }

        // The person signed in from that address still has their pages, and a partner's system there its API key's allowance.
        var home = await carys.Get("/");
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Contains("Carys Trainer (Trainer)", await home.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var system = new Browser(service.BaseAddress, office);
        using var referrals = new HttpRequestMessage(HttpMethod.Get, "/api/v1/referrals");
        referrals.Headers.Authorization = partner.DefaultRequestHeaders.Authorization;
        Assert.Equal(HttpStatusCode.OK, (await system.Send(referrals)).StatusCode);
        Assert.DoesNotContain(service.Log.Entries, e => e.Level >= LogLevel.Error);
    }

    /// <summary>
    /// One person's browser: connects from the given loopback address, keeps its cookies by hand (the session cookie is
    /// Secure, which HttpClient's own cookie jar keeps off http) and follows no redirects.
    /// </summary>
    private sealed class Browser(Uri baseAddress, IPAddress from) : IDisposable
    {
        private readonly Dictionary<string, string> _cookies = new(StringComparer.Ordinal);

        private readonly HttpClient _client = LoopbackClient.From(from, baseAddress);

        /// <summary>Signs in at /sign-in as a person would and returns the session cookie (<c>wc-session=...</c>).</summary>
        public async Task<string> SignIn(string key)
        {
            var form = await Get("/sign-in");
            Assert.Equal(HttpStatusCode.OK, form.StatusCode);
            var token = WebUtility.HtmlDecode(TokenField().Match(await form.Content.ReadAsStringAsync()).Groups[1].Value);
            using var post = new HttpRequestMessage(HttpMethod.Post, "/sign-in")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = key, ["returnUrl"] = "/", ["__RequestVerificationToken"] = token }),
            };
            Assert.Equal(HttpStatusCode.Redirect, (await Send(post)).StatusCode);
            Assert.True(_cookies.TryGetValue("wc-session", out var session), "signing in sets the session cookie");
            return "wc-session=" + session;
        }

        /// <summary>Opens a page until it is refused, one request past the limit at most.</summary>
        public async Task<HttpResponseMessage> UntilRefused(string path)
        {
            HttpResponseMessage answer;
            var calls = 0;
            do
            {
                answer = await Get(path);
                calls++;
            }
            while (answer.StatusCode != HttpStatusCode.TooManyRequests && calls <= AccountLimitsFixture.PerCaller);

            return answer;
        }

        /// <summary>A page with this browser's cookies, or with the one cookie given instead.</summary>
        public async Task<HttpResponseMessage> Get(string path, string? cookie = null)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            return await Send(request, cookie);
        }

        public async Task<HttpResponseMessage> Send(HttpRequestMessage request, string? cookie = null)
        {
            var cookies = cookie ?? string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}"));
            if (cookies.Length > 0) request.Headers.Add("Cookie", cookies);
            var response = await _client.SendAsync(request);
            if (cookie is null && response.Headers.TryGetValues("Set-Cookie", out var set))
            {
                foreach (var pair in set.Select(c => c.Split(';')[0].Split('=', 2)).Where(p => p.Length == 2))
                {
                    if (pair[1].Length > 0) _cookies[pair[0]] = pair[1];
                    else _cookies.Remove(pair[0]);
                }
            }

            return response;
        }

        public void Dispose() => _client.Dispose();
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
