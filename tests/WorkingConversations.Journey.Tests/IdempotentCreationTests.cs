using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WorkingConversations.Testing;

namespace WorkingConversations.Journey.Tests;

/// <summary>
/// Every POST that creates something takes an Idempotency-Key (api.md): a repeat gets the first answer and creates
/// nothing, also when the host failed between the commit and the answer; another body under the same key gets 422.
/// </summary>
[Collection(JourneyCollection.Name)]
public sealed class IdempotentCreationTests(ServiceFixture service)
{
    public static TheoryData<string> Routes => ["partner", "api-key", "volunteer", "conversation", "questionnaire", "circumstances"];

    private sealed record Route(HttpClient Client, string Url, Func<object> Body, Func<Task<int>> Count);

    private async Task<Route> Prepare(string route)
    {
        var admin = service.Admin();
        switch (route)
        {
            case "partner":
                return new Route(admin, "/api/v1/partners",
                    () => new { name = $"Partner {Guid.NewGuid():N}", contactEmail = "team@partner.example", callbackUrl = "https://partner.example/callbacks" },
                    async () => (await admin.GetFromJsonAsync<JsonElement>("/api/v1/partners")).GetProperty("items").GetArrayLength());
            case "api-key":
                return new Route(admin, "/api/v1/api-keys", () => new { role = "analyst", name = $"analyst-{Guid.NewGuid():N}" },
                    async () => (await admin.GetFromJsonAsync<JsonElement>("/api/v1/api-keys")).GetArrayLength());
            case "volunteer":
                var (trainer, _, _) = await service.ClientFor("trainer");
                return new Route(trainer, "/api/v1/volunteers",
                    () => new { givenName = "Val", familyName = $"Unteer{Guid.NewGuid():N}"[..20], email = "val@example.org", programme = "volunteer" },
                    async () => (await trainer.GetFromJsonAsync<JsonElement>("/api/v1/training/pipeline")).GetProperty("programmes").EnumerateArray()
                        .Sum(p => p.GetProperty("enrolled").GetInt32()));
        }

        var steps = new JourneySteps(service);
        var journey = await steps.HeldJourney();
        var n = 0;
        var caseworker = await steps.Caseworker();
        var participant = $"/api/v1/participants/{journey.ParticipantId}";
        async Task<int> Events(string type) =>
            (await caseworker.GetFromJsonAsync<JsonElement>($"{participant}/history?type={type}&limit=500")).GetProperty("items").GetArrayLength();
        return route switch
        {
            "conversation" => new Route(journey.Practitioner, $"{participant}/conversations",
                () => new { scheduledFor = DateTimeOffset.UtcNow.AddDays(++n), mode = "phone" }, () => Events("conversation-scheduled")),
            "questionnaire" => new Route(journey.Practitioner, $"{participant}/questionnaires",
                () => new { instrument = "GAD-7", timepoint = "session", answers = new[] { 1, 1, 1, 1, 1, 1, ++n % 4 }, administeredAt = DateTimeOffset.UtcNow },
                () => Events("questionnaire-recorded")),
            _ => new Route(journey.Practitioner, $"{participant}/circumstances",
                () => new { timepoint = "start", housing = "secure", employment = ++n % 2 == 0 ? "employed-full-time" : "unemployed-seeking-work",
                    money = "meets-basic-needs", hasSomeoneToTurnTo = true, takesPartInCommunity = false },
                () => Events("circumstances-recorded")),
        };
    }

    private static Task<HttpResponseMessage> Post(Route route, object body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, route.Url) { Content = JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        return route.Client.SendAsync(request);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task A_repeat_gets_the_first_answer_and_creates_nothing_and_another_body_under_the_key_gets_422(string name)
    {
        var route = await Prepare(name);
        var body = route.Body();
        var key = $"key-{Guid.NewGuid()}";
        var before = await route.Count();

        var first = await Post(route, body, key);
        var after = await route.Count();
        var repeat = await Post(route, body, key);
        var other = await Post(route, route.Body(), key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, repeat.StatusCode);
        Assert.Equal(first.Headers.Location, repeat.Headers.Location);
        Assert.Equal("true", repeat.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        Assert.NotEqual(before, after);
        Assert.Equal(after, await route.Count());
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task A_repeat_after_the_host_failed_between_commit_and_answer_gets_the_first_answer_and_creates_nothing(string name)
    {
        var route = await Prepare(name);
        var body = route.Body();
        var key = $"key-{Guid.NewGuid()}";
        var before = await route.Count();

        service.Faults.FailNextAfterCommit();
        var lost = await Post(route, body, key);
        var after = await route.Count();
        var retried = await Post(route, body, key);

        Assert.Equal(HttpStatusCode.InternalServerError, lost.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
        Assert.Equal("true", retried.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.NotEqual(before, after);
        Assert.Equal(after, await route.Count());
    }

    [Fact]
    public async Task A_secret_shown_once_is_not_in_the_answer_to_a_repeat()
    {
        var key = $"key-{Guid.NewGuid()}";
        var body = new { role = "analyst", name = $"analyst-{Guid.NewGuid():N}" };
        var first = await (await Post(new Route(service.Admin(), "/api/v1/api-keys", () => body, () => Task.FromResult(0)), body, key))
            .Content.ReadFromJsonAsync<JsonElement>();
        var repeat = await (await Post(new Route(service.Admin(), "/api/v1/api-keys", () => body, () => Task.FromResult(0)), body, key))
            .Content.ReadFromJsonAsync<JsonElement>();

        Assert.StartsWith("wc_", first.GetProperty("key").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, repeat.GetProperty("key").ValueKind);
        Assert.Equal(first.GetProperty("id").GetGuid(), repeat.GetProperty("id").GetGuid());
    }
}
