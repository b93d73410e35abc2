using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using WorkingConversations.Testing;

namespace WorkingConversations.Security.Tests;

/// <summary>
/// Limits low enough to reach in a test. The rig's own setup goes through the exempt bootstrap key (ServiceFixture), so
/// the low limits apply to the keys the tests issue and never starve the setup.
/// </summary>
public sealed class LowLimitsFixture : ServiceFixture
{
    public const int PerKey = 40;
    public const int ReferralsPerWindow = 10;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["RateLimiting:PermitsPerWindow"] = PerKey.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RateLimiting:WindowSeconds"] = "3600",
        ["RateLimiting:Referrals:PermitsPerWindow"] = ReferralsPerWindow.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RateLimiting:Referrals:WindowSeconds"] = "3600",
        ["RateLimiting:Referrals:InFlight"] = "2",
    };
}

/// <summary>OWASP API4 (unrestricted resource consumption) and API6 (unrestricted access to sensitive business flows).</summary>
public sealed class ResourceTests(LowLimitsFixture service) : IClassFixture<LowLimitsFixture>
{
    private static object Referral() => new
    {
        partnerReference = $"FL-{Guid.NewGuid():N}"[..20],
        person = Person.Unique().Body,
        reason = "Low mood",
        consent = new { given = true, recordedAt = "2026-11-01T10:00:00Z", recordedBy = "A. Caseworker" },
        riskIndicators = Array.Empty<string>(),
        preferredContact = "phone",
    };

    [Theory]
    [InlineData("trainer", "/api/v1/training/pipeline")]
    [InlineData("analyst", "/api/v1/outcomes/summary")]
    [InlineData("caseworker", "/api/v1/safeguarding/concerns")]
    public async Task Every_route_is_limited_per_key_and_another_key_carries_on(string role, string route)
    {
        var (client, _, _) = await service.ClientFor(role);
        var (other, _, _) = await service.ClientFor(role);
        for (var i = 0; i < LowLimitsFixture.PerKey; i++)
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(route)).StatusCode);

        var limited = await client.GetAsync(route);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero, "no Retry-After");
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync(route)).StatusCode);
    }

    [Theory]
    [InlineData("caseworker", "/api/v1/referrals?limit=501")]
    [InlineData("caseworker", "/api/v1/safeguarding/concerns?limit=0")]
    [InlineData("admin", "/api/v1/audit?limit=100000")]
    public async Task A_list_is_at_most_500_long_and_a_larger_limit_is_refused_naming_it(string role, string route)
    {
        var (client, _, _) = await service.ClientFor(role);
        var response = await client.GetAsync(route);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var message = (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("errors").GetProperty("limit")[0].GetString();
        Assert.Equal("must be a whole number from 1 to 500.", message);
    }

    [Fact]
    public async Task A_query_that_runs_longer_than_the_statement_timeout_is_cancelled_by_the_database()
    {
        // The host's own store carries the timeout (30 s by default) on every connection it opens.
        var store = service.Services.GetRequiredService<Marten.IDocumentStore>();
        await using (var session = store.QuerySession())
        {
            var setting = (await session.QueryAsync<string>("select current_setting('statement_timeout')")).Single();
            Assert.Equal("30s", setting);
        }

        // A one-second limit, as Database:StatementTimeoutSeconds = 1 would give, on a query of two seconds.
        await using var connection = new Npgsql.NpgsqlConnection(WorkingConversations.Host.HostSetup.StoreConnectionString(service.ConnectionString, 2, 1));
        await connection.OpenAsync();
        await using var slow = new Npgsql.NpgsqlCommand("select pg_sleep(2)", connection);
        var cancelled = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => slow.ExecuteScalarAsync());
        Assert.Equal("57014", cancelled.SqlState);
    }

    [Fact]
    public async Task A_flood_of_referrals_from_one_partner_is_limited_and_the_other_partners_are_not_slowed()
    {
        var (_, flooder) = await service.NewPartner();
        var (_, other) = await service.NewPartner();

        async Task<TimeSpan> OneReferral()
        {
            var stopwatch = Stopwatch.StartNew();
            var response = await other.PostAsJsonAsync("/api/v1/referrals", Referral());
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"the other partner got {(int)response.StatusCode}");
            return stopwatch.Elapsed;
        }

        // Warm up, then a baseline for the other partner in this same run, on this same machine.
        await OneReferral();
        var baseline = new List<TimeSpan>();
        for (var i = 0; i < 4; i++) baseline.Add(await OneReferral());

        using var stop = new CancellationTokenSource();
        var statuses = new System.Collections.Concurrent.ConcurrentBag<HttpStatusCode>();
        var flood = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var response = await flooder.PostAsJsonAsync("/api/v1/referrals", Referral());
                statuses.Add(response.StatusCode);
                // Refusals come back at once: a pause keeps the flood from being a test of this machine's two cores.
                if (response.StatusCode == HttpStatusCode.TooManyRequests) await Task.Delay(5);
            }
        })).ToList();

        await Task.Delay(300);
        var during = new List<TimeSpan>();
        for (var i = 0; i < 4; i++) during.Add(await OneReferral());
        await stop.CancelAsync();
        await Task.WhenAll(flood);

        Assert.True(statuses.Count(s => s == HttpStatusCode.Created) <= LowLimitsFixture.ReferralsPerWindow,
            $"the flooding partner had {statuses.Count(s => s == HttpStatusCode.Created)} referrals taken");
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.Created or HttpStatusCode.TooManyRequests, $"the flood got {(int)s}"));

        // The other partner's referrals all went in (above) and took, in the middle, no more than a few times as long as
        // before the flood. The median, not the slowest: on a shared machine one referral can wait on the scheduler. Four
        // each way keeps the other partner within its own limit of ten.
        static TimeSpan Median(List<TimeSpan> times) => times.Order().ElementAt(times.Count / 2);
        var before = Median(baseline);
        var middle = Median(during);
        Assert.True(middle <= before * 4 + TimeSpan.FromMilliseconds(300),
            $"during the flood the other partner's median referral took {middle.TotalMilliseconds:0} ms, before it {before.TotalMilliseconds:0} ms");
    }
}
