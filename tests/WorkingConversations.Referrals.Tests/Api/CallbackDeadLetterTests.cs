using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using WorkingConversations.Testing;

namespace WorkingConversations.Referrals.Tests.Api;

/// <summary>
/// A partner whose callback endpoint refuses for good (410 Gone): the callback goes to dead letters, where an
/// administrator finds it over the API; once the endpoint is mended, a replay delivers it once.
/// </summary>
[Collection(ReferralsCollection.Name)]
public sealed class CallbackDeadLetterTests(ServiceFixture service)
{
    private const string MessageType = "WorkingConversations.Referrals.Contracts.ReferralStatusChanged";

    private async Task<(HttpClient Partner, Guid PartnerId)> PartnerWithCallback(string url)
    {
        var response = await service.Admin().PostAsJsonAsync("/api/v1/partners",
            new { name = $"Partner {Guid.NewGuid():N}", contactEmail = "team@partner.example", callbackUrl = url });
        var registered = await response.Content.ReadFromJsonAsync<JsonElement>();
        var (client, _, _) = await service.ClientFor("partner", partnerId: registered.Id());
        return (client, registered.Id());
    }

    private async Task<JsonElement[]> DeadLetters(string query = "")
    {
        var response = await service.Admin().GetAsync($"/api/v1/admin/dead-letters?messageType={MessageType}{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray()];
    }

    private async Task<JsonElement> DeadLetterFor(Guid referralId, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            // The list never shows a message's body: the store says which dead letter is this referral's, the list must show it.
            var letters = await DeadLetters("&limit=500");
            if (await IdOf(referralId) is { } id && letters.FirstOrDefault(l => l.Id() == id) is { ValueKind: JsonValueKind.Object } found) return found;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"No dead letter for referral {referralId}; the list has {letters.Length}.");
            await Task.Delay(200);
        }
    }

    /// <summary>The id of the dead letter of the referral's callback, read from the store: the API does not show bodies.</summary>
    private async Task<Guid?> IdOf(Guid referralId)
    {
        await using var connection = new NpgsqlConnection(service.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select id, body from wolverine.wolverine_dead_letters where message_type = @type", connection);
        command.Parameters.AddWithValue("type", MessageType);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            if (System.Text.Encoding.UTF8.GetString(reader.GetFieldValue<byte[]>(1)).Contains(referralId.ToString(), StringComparison.Ordinal))
                return reader.GetGuid(0);
        }

        return null;
    }

    [Fact]
    public async Task A_callback_refused_for_good_goes_to_dead_letters_and_a_replay_after_the_mend_delivers_it_once()
    {
        var mended = false;
        using var listener = new CallbackListener(_ => Volatile.Read(ref mended) ? 200 : 410);
        var (partner, _) = await PartnerWithCallback(listener.Url);

        var created = await partner.Created(People.Referral());
        var letter = await DeadLetterFor(created.Id(), TimeSpan.FromSeconds(30));
        Assert.Equal("System.Net.Http.HttpRequestException", letter.GetProperty("exceptionType").GetString());
        Assert.True(letter.GetProperty("failedAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));
        // Refused for good: one attempt, no retries spent on it.
        Assert.Single(listener.Attempts);

        Volatile.Write(ref mended, true);
        var replay = await service.Admin().PostAsync($"/api/v1/admin/dead-letters/{letter.Id()}/replay", null);
        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);

        await listener.WaitUntil(a => a.Any(x => x.AnsweredWith == 200), TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(3));
        var delivered = listener.Attempts.Where(a => a.AnsweredWith == 200).ToArray();
        var only = Assert.Single(delivered);
        Assert.Equal(created.Id(), JsonDocument.Parse(only.Body).RootElement.Id("referralId"));
        Assert.Equal(listener.Attempts.First().CallbackId, only.CallbackId);
        Assert.Null(await IdOf(created.Id()));
    }

    [Fact]
    public async Task Dead_letters_are_replayed_by_filter_and_deleted_one_by_one()
    {
        var mended = false;
        using var listener = new CallbackListener(_ => Volatile.Read(ref mended) ? 200 : 404);
        var (partner, _) = await PartnerWithCallback(listener.Url);
        var first = await partner.Created(People.Referral());
        var second = await partner.Created(People.Referral());
        await DeadLetterFor(first.Id(), TimeSpan.FromSeconds(30));
        var toDelete = await IdOf(second.Id()) ?? (await DeadLetterFor(second.Id(), TimeSpan.FromSeconds(30))).Id();

        Assert.Equal(HttpStatusCode.NoContent, (await service.Admin().DeleteAsync($"/api/v1/admin/dead-letters/{toDelete}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await service.Admin().DeleteAsync($"/api/v1/admin/dead-letters/{toDelete}")).StatusCode);
        Volatile.Write(ref mended, true);
        var replayed = await service.Admin().PostAsync($"/api/v1/admin/dead-letters/replay?messageType={MessageType}&exceptionType=System.Net.Http.HttpRequestException", null);
        Assert.Equal(HttpStatusCode.Accepted, replayed.StatusCode);
        Assert.True((await replayed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("replayed").GetInt32() >= 1);

        await listener.WaitUntil(a => a.Any(x => x.AnsweredWith == 200), TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(3));
        var delivered = listener.Attempts.Where(a => a.AnsweredWith == 200).Select(a => JsonDocument.Parse(a.Body).RootElement.Id("referralId")).ToArray();
        Assert.Equal([first.Id()], delivered);
    }

    [Fact]
    public async Task A_dead_letter_is_kept_for_the_retention_period_only()
    {
        using var listener = new CallbackListener(_ => 410);
        var (partner, _) = await PartnerWithCallback(listener.Url);
        var created = await partner.Created(People.Referral());
        var letter = await DeadLetterFor(created.Id(), TimeSpan.FromSeconds(30));

        await using var connection = new NpgsqlConnection(service.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select expires from wolverine.wolverine_dead_letters where id = @id", connection);
        command.Parameters.AddWithValue("id", letter.Id());
        var expires = (DateTime)(await command.ExecuteScalarAsync())!;
        // Messaging:DeadLetterRetentionDays, 14 by default: Wolverine deletes it once that has passed.
        Assert.InRange(new DateTimeOffset(expires, TimeSpan.Zero) - letter.GetProperty("failedAt").GetDateTimeOffset(), TimeSpan.FromDays(14) - TimeSpan.FromMinutes(5),
            TimeSpan.FromDays(14) + TimeSpan.FromMinutes(5));
    }

    [Theory]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=abc", "limit")]
    [InlineData("?cursor=not-a-cursor", "cursor")]
    [InlineData("?since=yesterday", "since")]
    public async Task A_bad_filter_of_the_list_is_a_problem_naming_it(string query, string field)
    {
        var response = await service.Admin().GetAsync("/api/v1/admin/dead-letters" + query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task Only_administrators_see_dead_letters()
    {
        var (caseworker, _, _) = await service.ClientFor("caseworker");
        Assert.Equal(HttpStatusCode.Forbidden, (await caseworker.GetAsync("/api/v1/admin/dead-letters")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await caseworker.PostAsync($"/api/v1/admin/dead-letters/{Guid.NewGuid()}/replay", null)).StatusCode);
    }
}
