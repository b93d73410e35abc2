using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WorkingConversations.Testing;

namespace WorkingConversations.Journey.Tests;

[Collection(JourneyCollection.Name)]
public sealed class AuditTests(ServiceFixture service)
{
    [Fact]
    public async Task Every_read_of_a_history_a_state_or_an_export_is_recorded_with_who_when_the_route_and_the_correlation()
    {
        var steps = new JourneySteps(service);
        var journey = await steps.HeldJourney();
        var (caseworker, caseworkerKeyId) = await steps.CaseworkerWithKey();
        var url = $"/api/v1/participants/{journey.ParticipantId}";
        var before = service.Clock.GetUtcNow();

        Assert.Equal(HttpStatusCode.OK, (await Get(caseworker, $"{url}/history?order=desc", "audit-history")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Get(journey.Practitioner, $"{url}?version=2", "audit-state")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Get(caseworker, $"{url}/export", "audit-export")).StatusCode);
        // A read that was refused showed nothing, so there is nothing to record.
        var (_, stranger) = await steps.ClearedPractitioner();
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"{url}/history")).StatusCode);

        var admin = service.Admin();
        var reads = (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?participantId={journey.ParticipantId}"))
            .GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["export", "state", "history"], reads.Select(r => r.GetProperty("kind").GetString()!).ToArray());
        Assert.Equal(["audit-export", "audit-state", "audit-history"], reads.Select(r => r.GetProperty("correlationId").GetString()!).ToArray());
        Assert.Equal($"GET {url}/history?order=desc", reads[2].GetProperty("route").GetString());
        Assert.Equal("caseworker", reads[2].GetProperty("actor").GetProperty("role").GetString());
        Assert.Equal(caseworkerKeyId, reads[2].GetProperty("actor").GetProperty("keyId").GetGuid());
        Assert.Equal("practitioner", reads[1].GetProperty("actor").GetProperty("role").GetString());
        Assert.All(reads, r => Assert.InRange(r.GetProperty("at").GetDateTimeOffset(), before.AddSeconds(-1), service.Clock.GetUtcNow().AddSeconds(1)));
        Assert.All(reads, r => Assert.Equal(journey.ParticipantId, r.GetProperty("participantId").GetGuid()));

        // By actor, and by time: none of this participant's reads happened before they were referred.
        var byCaseworker = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?participantId={journey.ParticipantId}&actor={caseworkerKeyId}");
        Assert.Equal(["export", "history"], byCaseworker.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("kind").GetString()!).ToArray());
        var to = Uri.EscapeDataString(before.AddSeconds(-1).ToString("O", CultureInfo.InvariantCulture));
        Assert.Empty((await admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?participantId={journey.ParticipantId}&to={to}")).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Reads_of_a_participants_conversations_and_of_one_conversation_are_in_the_same_audit_before_the_answer()
    {
        var steps = new JourneySteps(service);
        var journey = await steps.HeldJourney();
        var (caseworker, caseworkerKeyId) = await steps.CaseworkerWithKey();
        var list = $"/api/v1/participants/{journey.ParticipantId}/conversations";
        var conversationId = (await journey.Practitioner.GetFromJsonAsync<JsonElement>(list)).GetProperty("items")[0].GetProperty("conversationId").GetGuid();

        Assert.Equal(HttpStatusCode.OK, (await Get(caseworker, $"{list}?limit=5", "audit-conversations")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Get(journey.Practitioner, $"/api/v1/conversations/{conversationId}", "audit-conversation")).StatusCode);
        var (_, stranger) = await steps.ClearedPractitioner();
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/v1/conversations/{conversationId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync(list)).StatusCode);

        // The read is told to Journey by a message: it is in the outbox before the answer, and in the audit a moment later.
        var admin = service.Admin();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        List<JsonElement> all;
        do
        {
            all = (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?participantId={journey.ParticipantId}"))
                .GetProperty("items").EnumerateArray().Where(r => r.GetProperty("kind").GetString()!.StartsWith("conversation", StringComparison.Ordinal)).ToList();
            if (all.Count < 3) await Task.Delay(100);
        } while (all.Count < 3 && DateTime.UtcNow < deadline);

        // The practitioner's own list read at the start, and the two reads of the test; none of the stranger's.
        Assert.Equal(3, all.Count);
        var reads = all.Where(r => r.GetProperty("correlationId").GetString()!.StartsWith("audit-", StringComparison.Ordinal)).ToList();
        Assert.Equal(["conversation", "conversations"], reads.Select(r => r.GetProperty("kind").GetString()!).ToArray());
        Assert.Equal(["audit-conversation", "audit-conversations"], reads.Select(r => r.GetProperty("correlationId").GetString()!).ToArray());
        Assert.Equal($"GET {list}?limit=5", reads[1].GetProperty("route").GetString());
        Assert.Equal(("caseworker", caseworkerKeyId), (reads[1].GetProperty("actor").GetProperty("role").GetString(), reads[1].GetProperty("actor").GetProperty("keyId").GetGuid()));
        Assert.Equal("practitioner", reads[0].GetProperty("actor").GetProperty("role").GetString());
    }

    [Fact]
    public async Task A_read_of_a_participants_scale_trajectory_which_shows_best_hopes_is_in_the_audit()
    {
        var steps = new JourneySteps(service);
        var journey = await steps.HeldJourney();
        var trajectory = $"/api/v1/participants/{journey.ParticipantId}/trajectory";
        Assert.Equal(HttpStatusCode.OK, (await Get(journey.Practitioner, trajectory, "audit-trajectory")).StatusCode);
        var (_, stranger) = await steps.ClearedPractitioner();
        Assert.Equal(HttpStatusCode.NotFound, (await Get(stranger, trajectory, "audit-trajectory-stranger")).StatusCode);

        var admin = service.Admin();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        List<JsonElement> reads;
        do
        {
            reads = (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?participantId={journey.ParticipantId}"))
                .GetProperty("items").EnumerateArray().Where(r => r.GetProperty("kind").GetString() == "trajectory").ToList();
            if (reads.Count == 0) await Task.Delay(100);
        } while (reads.Count == 0 && DateTime.UtcNow < deadline);

        var read = Assert.Single(reads);
        Assert.Equal(("audit-trajectory", $"GET {trajectory}", "practitioner"),
            (read.GetProperty("correlationId").GetString(), read.GetProperty("route").GetString(), read.GetProperty("actor").GetProperty("role").GetString()));
    }

    [Fact]
    public async Task The_audit_pages_newest_first_with_a_cursor_and_only_administrators_may_read_it()
    {
        var steps = new JourneySteps(service);
        var (participantId, _) = await steps.Refer();
        var caseworker = await steps.Caseworker();
        for (var i = 0; i < 5; i++) Assert.Equal(HttpStatusCode.OK, (await caseworker.GetAsync($"/api/v1/participants/{participantId}?n={i}")).StatusCode);

        var admin = service.Admin();
        var routes = new List<string>();
        string? cursor = null;
        do
        {
            var page = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?participantId={participantId}&limit=2" + (cursor is null ? "" : $"&cursor={cursor}"));
            var items = page.GetProperty("items").EnumerateArray().ToList();
            Assert.InRange(items.Count, 1, 2);
            routes.AddRange(items.Select(r => r.GetProperty("route").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
        } while (cursor is not null);

        Assert.Equal(Enumerable.Range(0, 5).Reverse().Select(i => $"GET /api/v1/participants/{participantId}?n={i}"), routes);

        Assert.Equal(HttpStatusCode.Forbidden, (await caseworker.GetAsync("/api/v1/audit")).StatusCode);
        var bad = await admin.GetAsync("/api/v1/audit?participantId=someone&from=yesterday&limit=501&cursor=zz");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(["cursor", "from", "limit", "participantId"], (await bad.Body()).ErrorFields());
    }

    private static Task<HttpResponseMessage> Get(HttpClient client, string url, string correlationId)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("X-Correlation-Id", correlationId);
        return client.SendAsync(request);
    }
}
