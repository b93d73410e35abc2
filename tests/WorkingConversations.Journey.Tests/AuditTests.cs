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
