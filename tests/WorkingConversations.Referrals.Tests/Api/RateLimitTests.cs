using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WorkingConversations.Testing;

namespace WorkingConversations.Referrals.Tests.Api;

/// <summary>The host with a rate limit low enough to reach in a test.</summary>
public sealed class LowRateLimitFixture : ServiceFixture
{
    public const int Permits = 3;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["RateLimiting:PermitsPerWindow"] = Permits.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RateLimiting:WindowSeconds"] = "3600",
    };
}

[CollectionDefinition(Name)]
public sealed class LowRateLimitCollection : ICollectionFixture<LowRateLimitFixture>
{
    public const string Name = "referrals-low-rate-limit";
}

[Collection(LowRateLimitCollection.Name)]
public sealed class RateLimitTests(LowRateLimitFixture service)
{
    [Fact]
    public async Task A_key_over_its_limit_gets_429_with_Retry_After_while_another_key_carries_on()
    {
        var (_, partner) = await service.NewPartner();
        var (_, other) = await service.NewPartner();

        for (var i = 0; i < LowRateLimitFixture.Permits; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await partner.GetAsync("/api/v1/referrals")).StatusCode);
        }

        var limited = await partner.PostAsJsonAsync("/api/v1/referrals", People.Referral());

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        var problem = await limited.Content.ReadFromJsonAsync<JsonElement>();
        Assert.EndsWith("/rate-limited", problem.Str("type"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/v1/referrals")).StatusCode);
    }
}
