using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using WorkingConversations.Testing;

namespace WorkingConversations.Referrals.Tests.Api;

[Collection(ReferralsCollection.Name)]
public sealed class IdempotencyTests(ServiceFixture service)
{
    private static HttpRequestMessage Post(object body, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/referrals")
        {
            Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"),
        };
        if (key is not null) request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        return request;
    }

    private static async Task<int> CountOwn(HttpClient partner) =>
        (await partner.GetFromJsonAsync<JsonElement>("/api/v1/referrals?limit=500")).GetProperty("items").GetArrayLength();

    [Fact]
    public async Task A_repeat_with_the_same_key_and_body_gets_the_original_answer_and_makes_nothing_new_even_a_day_later()
    {
        var (_, partner) = await service.NewPartner();
        var body = People.Referral();
        var key = $"key-{Guid.NewGuid()}";

        var first = await partner.SendAsync(Post(body, key));
        var firstBody = await first.Content.ReadAsStringAsync();
        service.Clock.Advance(TimeSpan.FromHours(23));
        var second = await partner.SendAsync(Post(body, key));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(firstBody, await second.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(1, await CountOwn(partner));
    }

    [Fact]
    public async Task A_repeat_after_the_host_failed_between_the_commit_and_the_answer_gets_the_first_answer_and_makes_no_second_referral()
    {
        var (_, partner) = await service.NewPartner();
        var body = People.Referral();
        var key = $"key-{Guid.NewGuid()}";

        service.Faults.FailNextAfterCommit();
        var lost = await partner.SendAsync(Post(body, key));
        var retried = await partner.SendAsync(Post(body, key));

        Assert.Equal(HttpStatusCode.InternalServerError, lost.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
        Assert.Equal("true", retried.Headers.GetValues("Idempotent-Replayed").Single());
        var referrals = (await partner.GetFromJsonAsync<JsonElement>("/api/v1/referrals?limit=500")).GetProperty("items").EnumerateArray().ToList();
        var only = Assert.Single(referrals);
        Assert.Equal(only.Id(), (await retried.Content.ReadFromJsonAsync<JsonElement>()).Id());
    }

    [Fact]
    public async Task A_key_whose_record_has_expired_may_be_used_for_a_new_request()
    {
        var (_, partner) = await service.NewPartner();
        var key = $"key-{Guid.NewGuid()}";
        var first = await partner.SendAsync(Post(People.Referral(), key));
        service.Clock.Advance(TimeSpan.FromHours(25));

        var later = await partner.SendAsync(Post(People.Referral(), key));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, later.StatusCode);
        Assert.False(later.Headers.Contains("Idempotent-Replayed"));
        Assert.NotEqual(first.Headers.Location, later.Headers.Location);
        Assert.Equal(2, await CountOwn(partner));
    }

    [Fact]
    public async Task The_same_key_with_a_different_body_gets_422_and_makes_nothing()
    {
        var (_, partner) = await service.NewPartner();
        var key = $"key-{Guid.NewGuid()}";
        Assert.Equal(HttpStatusCode.Created, (await partner.SendAsync(Post(People.Referral(), key))).StatusCode);

        var reused = await partner.SendAsync(Post(People.Referral(), key));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.StatusCode);
        var problem = await reused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.EndsWith("/idempotency-key-reused", problem.Str("type"), StringComparison.Ordinal);
        Assert.Equal(1, await CountOwn(partner));
    }

    [Fact]
    public async Task Twenty_concurrent_identical_requests_make_exactly_one_referral_and_all_get_its_answer()
    {
        var (_, partner) = await service.NewPartner();
        var body = People.Referral();
        var key = $"key-{Guid.NewGuid()}";

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => partner.SendAsync(Post(body, key))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var ids = await Task.WhenAll(responses.Select(async r => (await r.Content.ReadFromJsonAsync<JsonElement>()).Id()));
        Assert.Single(ids.Distinct());
        Assert.Equal(1, await CountOwn(partner));
    }

    [Fact]
    public async Task Keys_belong_to_their_partner_so_two_partners_may_use_the_same_key()
    {
        var (_, partner) = await service.NewPartner();
        var (_, other) = await service.NewPartner();
        var key = $"shared-{Guid.NewGuid()}";

        var mine = await partner.SendAsync(Post(People.Referral(), key));
        var theirs = await other.SendAsync(Post(People.Referral(), key));

        Assert.Equal(HttpStatusCode.Created, mine.StatusCode);
        Assert.Equal(HttpStatusCode.Created, theirs.StatusCode);
        Assert.NotEqual(mine.Headers.Location, theirs.Headers.Location);
    }

    [Fact]
    public async Task A_key_over_255_characters_gets_a_400_naming_the_header()
    {
        var (_, partner) = await service.NewPartner();
        var response = await partner.SendAsync(Post(People.Referral(), new string('k', 256)));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("Idempotency-Key", out _), problem.GetRawText());
        Assert.Equal(0, await CountOwn(partner));
    }

    [Fact]
    public async Task A_refused_request_is_not_remembered_so_the_corrected_one_can_use_the_same_key()
    {
        var (_, partner) = await service.NewPartner();
        var key = $"key-{Guid.NewGuid()}";
        var invalid = People.Referral();
        invalid["reason"] = "";

        Assert.Equal(HttpStatusCode.BadRequest, (await partner.SendAsync(Post(invalid, key))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await partner.SendAsync(Post(People.Referral(), key))).StatusCode);
    }
}
