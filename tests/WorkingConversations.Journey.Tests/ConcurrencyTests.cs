using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using WorkingConversations.BuildingBlocks.Journey;
using WorkingConversations.Testing;

namespace WorkingConversations.Journey.Tests;

public sealed class IfMatchRuleTests
{
    [Theory]
    [InlineData(null, true)]
    [InlineData("", true)]
    [InlineData("*", true)]
    [InlineData("\"7\"", true)]
    [InlineData("\"3\", \"7\"", true)]
    [InlineData("\"6\"", false)]
    [InlineData("W/\"7\"", false)]
    [InlineData("7", false)]
    [InlineData("not an etag", false)]
    public void If_Match_allows_a_write_only_when_it_names_the_current_version(string? ifMatch, bool allowed) =>
        Assert.Equal(allowed, JourneyConcurrency.Allows(ifMatch, 7));
}

[Collection(JourneyCollection.Name)]
public sealed class ConcurrencyTests(ServiceFixture service)
{
    [Fact]
    public async Task A_journey_write_with_a_stale_If_Match_gets_412_and_changes_nothing_and_a_current_one_goes_ahead()
    {
        var steps = new JourneySteps(service);
        var journey = await steps.HeldJourney();
        var caseworker = await steps.Caseworker();
        var url = $"/api/v1/participants/{journey.ParticipantId}";
        var etag = (await caseworker.GetAsync(url)).Headers.ETag!.ToString();
        Assert.Equal("\"7\"", etag);

        var stale = await Erase(caseworker, url, "\"6\"");
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Equal(7, (await stale.Body()).GetProperty("currentVersion").GetInt64());
        var export = await caseworker.GetFromJsonAsync<JsonElement>($"{url}/export");
        Assert.Equal(JsonValueKind.Object, export.GetProperty("identity").ValueKind);
        Assert.Equal(7, export.GetProperty("version").GetInt64());

        var current = await Erase(caseworker, url, etag);
        Assert.Equal(HttpStatusCode.Accepted, current.StatusCode);
        Assert.Equal("\"8\"", current.Headers.ETag?.ToString());
        Assert.Equal(8, (await current.Body()).GetProperty("version").GetInt64());

        // Masking is idempotent: a repeated erasure is accepted again and recorded again; an unknown id is not found.
        var repeated = await Erase(caseworker, url, null);
        Assert.Equal(HttpStatusCode.Accepted, repeated.StatusCode);
        Assert.Equal("\"9\"", repeated.Headers.ETag?.ToString());
        Assert.Equal(HttpStatusCode.NotFound, (await Erase(caseworker, $"/api/v1/participants/{Guid.CreateVersion7()}", null)).StatusCode);
    }

    [Fact]
    public async Task Module_writes_to_a_journey_honour_If_Match_from_the_journey_state()
    {
        var steps = new JourneySteps(service);
        var journey = await steps.HeldJourney();
        var caseworker = await steps.Caseworker();
        var state = $"/api/v1/participants/{journey.ParticipantId}";
        var etag = (await caseworker.GetAsync(state)).Headers.ETag!.ToString();
        var stale = "\"1\"";

        async Task<HttpResponseMessage> Send(HttpClient client, string url, object body, string ifMatch)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
            return await client.SendAsync(request);
        }

        var questionnaire = new { instrument = "GAD-7", timepoint = "session", answers = new[] { 1, 1, 1, 1, 1, 1, 1 }, administeredAt = DateTimeOffset.UtcNow };
        var schedule = new { scheduledFor = DateTimeOffset.UtcNow.AddDays(2), mode = "video" };

        // Outcomes and Conversations writes with a stale ETag: 412, and the journey does not move.
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await Send(journey.Practitioner, $"{state}/questionnaires", questionnaire, stale)).StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await Send(journey.Practitioner, $"{state}/conversations", schedule, stale)).StatusCode);
        Assert.Equal(etag, (await caseworker.GetAsync(state)).Headers.ETag!.ToString());

        // With the current ETag the write goes ahead, and the old ETag is then stale for the next one.
        Assert.Equal(HttpStatusCode.Created, (await Send(journey.Practitioner, $"{state}/questionnaires", questionnaire, etag)).StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await Send(journey.Practitioner, $"{state}/conversations", schedule, etag)).StatusCode);
        var next = (await caseworker.GetAsync(state)).Headers.ETag!.ToString();
        Assert.NotEqual(etag, next);
        Assert.Equal(HttpStatusCode.Created, (await Send(journey.Practitioner, $"{state}/conversations", schedule, next)).StatusCode);
    }

    [Fact]
    public async Task Two_writes_racing_on_one_journey_without_If_Match_both_succeed_and_lose_no_update()
    {
        var steps = new JourneySteps(service);
        var journey = await steps.HeldJourney();
        var url = $"/api/v1/participants/{journey.ParticipantId}";

        var statuses = await RaceTwoQuestionnaires(journey, ifMatch: null);

        // The write that lost the race at the append was decided again on the new state, by the server.
        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Created], statuses);
        var history = await (await steps.Caseworker()).GetFromJsonAsync<JsonElement>($"{url}/history?type=questionnaire-recorded");
        Assert.Equal([7L, 8, 9], history.Versions());
        Assert.Equal(9, (await (await steps.Caseworker()).GetFromJsonAsync<JsonElement>(url)).GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task Two_writes_racing_with_the_same_If_Match_give_one_success_and_one_412_and_the_loser_changes_nothing()
    {
        var steps = new JourneySteps(service);
        var journey = await steps.HeldJourney();
        var url = $"/api/v1/participants/{journey.ParticipantId}";

        var statuses = await RaceTwoQuestionnaires(journey, ifMatch: "\"7\"");

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.PreconditionFailed], statuses);
        var history = await (await steps.Caseworker()).GetFromJsonAsync<JsonElement>($"{url}/history?type=questionnaire-recorded");
        Assert.Equal([7L, 8], history.Versions());
    }

    /// <summary>
    /// Holds the stream's row so that both writes read version 7, pass every check and then meet at the append; then
    /// lets them go, and gives their statuses in order.
    /// </summary>
    private async Task<HttpStatusCode[]> RaceTwoQuestionnaires(Journey journey, string? ifMatch)
    {
        await using var blocker = new NpgsqlConnection(service.ConnectionString);
        await blocker.OpenAsync();
        await using var transaction = await blocker.BeginTransactionAsync();
        await using (var lockRow = new NpgsqlCommand("select version from events.mt_streams where id = @id for update", blocker, transaction))
        {
            lockRow.Parameters.AddWithValue("id", journey.ParticipantId);
            Assert.Equal(7L, Convert.ToInt64(await lockRow.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
        }

        Task<HttpResponseMessage> Post(int[] answers)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/participants/{journey.ParticipantId}/questionnaires")
            {
                Content = JsonContent.Create(new { instrument = "PHQ-9", timepoint = "session", answers, administeredAt = DateTimeOffset.UtcNow }),
            };
            if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
            return journey.Practitioner.SendAsync(request);
        }

        var first = Post([1, 1, 1, 1, 1, 1, 1, 1, 0]);
        var second = Post([0, 0, 0, 0, 0, 0, 0, 0, 0]);
        await WaitUntilBlocked(blocker.ProcessID, 2);
        await transaction.RollbackAsync();
        return [.. (await Task.WhenAll(first, second)).Select(r => r.StatusCode).Order()];
    }

    /// <summary>Polls, from a connection of its own (a transaction sees one snapshot of pg_stat_activity), until the writes wait on a row lock.</summary>
    private async Task WaitUntilBlocked(int blockerPid, int sessions)
    {
        await using var watcher = new NpgsqlConnection(service.ConnectionString);
        await watcher.OpenAsync();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            await using var count = new NpgsqlCommand(
                "select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' " +
                "and wait_event <> 'advisory' and pid <> @blocker", watcher);
            count.Parameters.AddWithValue("blocker", blockerPid);
            if (Convert.ToInt32(await count.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) >= sessions) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"The {sessions} writes never reached the append.");
            await Task.Delay(20);
        }
    }

    internal static Task<HttpResponseMessage> Erase(HttpClient client, string url, string? ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"{url}/erasure") { Content = JsonContent.Create(new { }) };
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return client.SendAsync(request);
    }
}
