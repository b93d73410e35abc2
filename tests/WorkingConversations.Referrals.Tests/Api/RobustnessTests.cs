using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using WorkingConversations.Testing;

namespace WorkingConversations.Referrals.Tests.Api;

/// <summary>Whatever a partner's system sends, the answer is a problem it can act on, never a 5xx.</summary>
[Collection(ReferralsCollection.Name)]
public sealed class RobustnessTests(ServiceFixture service)
{
    private static string Valid() => JsonSerializer.Serialize(People.Referral());

    private static string With(string path, JsonNode? value)
    {
        var root = JsonNode.Parse(Valid())!.AsObject();
        var parts = path.Split('.');
        var target = parts[..^1].Aggregate(root, (node, part) => node[part]!.AsObject());
        target[parts[^1]] = value;
        return root.ToJsonString();
    }

    public static TheoryData<string, string> MalformedBodies() => new()
    {
        { "wrong type: number for a string", With("partnerReference", 42) },
        { "wrong type: string for a boolean", With("consent.given", "yes") },
        { "wrong type: object for an array", With("riskIndicators", new JsonObject()) },
        { "wrong type: array for an object", With("person", new JsonArray()) },
        { "wrong type: number for a date", With("person.dateOfBirth", 19900401) },
        { "null person", With("person", null) },
        { "null consent.given", With("consent.given", null) },
        { "null in an array", With("riskIndicators", new JsonArray(null, "self-harm-history")) },
        { "empty strings", With("person.givenName", "") },
        { "empty postcode", With("person.postcode", "") },
        { "very long string", With("reason", new string('a', 20_000)) },
        { "very long name", With("person.familyName", new string('b', 5_000)) },
        { "impossible date", With("person.dateOfBirth", "2026-02-30") },
        { "impossible time", With("consent.recordedAt", "2026-13-01T25:00:00Z") },
        { "future date of birth", With("person.dateOfBirth", "2090-01-01") },
        { "unknown risk indicator", With("riskIndicators", new JsonArray("🦄")) },
        { "control characters", With("reason", "line\u0000break") },
        { "not JSON", "partnerReference=ABC&reason=hello" },
        { "truncated JSON", Valid()[..40] },
        { "a JSON array", "[1,2,3]" },
        { "a JSON string", "\"referral\"" },
        { "JSON null", "null" },
        { "empty object", "{}" },
        { "trailing comma", Valid().TrimEnd('}') + ",}" },
        { "deep nesting", new string('[', 5000) + new string(']', 5000) },
    };

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task A_malformed_body_gets_a_400_problem_never_a_5xx(string why, string body)
    {
        var (_, partner) = await service.NewPartner();

        var response = await partner.PostAsync("/api/v1/referrals", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{why}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.TryGetProperty("errors", out _), why);
    }

    /// <summary>
    /// The contract changed from "ignored" to "refused" (api.md, Changed): a forged id or status still never takes effect,
    /// and now the partner is told which fields the route does not take, and nothing is created.
    /// </summary>
    [Fact]
    public async Task Extra_fields_ids_and_statuses_in_the_body_are_refused_naming_each_and_nothing_is_stored()
    {
        var (_, partner) = await service.NewPartner();
        var body = JsonNode.Parse(Valid())!.AsObject();
        var forgedId = Guid.NewGuid();
        body["id"] = forgedId.ToString();
        body["status"] = "accepted";
        body["participantId"] = Guid.NewGuid().ToString();
        body["unexpected"] = new JsonObject { ["deep"] = new JsonArray(1, 2) };

        var (status, problem) = await partner.Send("/api/v1/referrals", body);

        Assert.Equal(400, status);
        var errors = problem.GetProperty("errors");
        Assert.Equal(["id", "participantId", "status", "unexpected"], errors.EnumerateObject().Select(e => e.Name).Order());
        Assert.Contains("set by the service", errors.GetProperty("status")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await partner.GetAsync($"/api/v1/referrals/{forgedId}")).StatusCode);
        Assert.Empty((await partner.GetFromJsonAsync<JsonElement>("/api/v1/referrals")).GetProperty("items").EnumerateArray());
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData(null)]
    public async Task A_wrong_content_type_gets_415(string? contentType)
    {
        var (_, partner) = await service.NewPartner();
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(Valid()));
        if (contentType is not null) content.Headers.ContentType = new MediaTypeHeaderValue(contentType);

        var response = await partner.PostAsync("/api/v1/referrals", content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task An_empty_body_gets_a_400_naming_the_body()
    {
        var (_, partner) = await service.NewPartner();

        var response = await partner.PostAsync("/api/v1/referrals", new StringContent("", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("body", out _));
    }

    [Fact]
    public async Task A_body_over_64_KB_gets_413_whether_or_not_it_says_its_length()
    {
        var (_, partner) = await service.NewPartner();
        var huge = With("reason", new string('a', 70 * 1024));

        var withLength = await partner.PostAsync("/api/v1/referrals", new StringContent(huge, Encoding.UTF8, "application/json"));
        var streamed = new StreamContent(new NoLengthStream(Encoding.UTF8.GetBytes(huge)));
        streamed.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var withoutLength = await partner.PostAsync("/api/v1/referrals", streamed);

        foreach (var response in new[] { withLength, withoutLength })
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.EndsWith("/payload-too-large", problem.Str("type"), StringComparison.Ordinal);
        }

        Assert.Equal(0, (await partner.GetFromJsonAsync<JsonElement>("/api/v1/referrals")).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Unicode_in_every_string_field_is_accepted_where_the_rules_allow_and_refused_cleanly_where_they_do_not()
    {
        var (_, partner) = await service.NewPartner();
        var body = People.Referral(familyName: "Ó Súilleabháin-Zoë 李" + People.FamilyName(), givenName: "Siobhán 🌱");
        body["partnerReference"] = "Réf-№-" + Guid.NewGuid().ToString("N")[..8] + "-✓";
        body["reason"] = "Sentirse atascado — 感到困惑 — 😔 — עברית";
        ((Dictionary<string, object?>)body["consent"]!)["recordedBy"] = "Łukasz Žák";

        var created = await partner.Created(body);
        var seen = await partner.GetFromJsonAsync<JsonElement>($"/api/v1/referrals/{created.Id()}");
        Assert.Equal(body["partnerReference"], seen.Str("partnerReference"));

        foreach (var field in new[] { "person.postcode", "person.nhsNumber", "person.email", "person.phone", "preferredContact", "person.dateOfBirth" })
        {
            var response = await partner.PostAsync("/api/v1/referrals",
                new StringContent(With(field, "Ünïcödé 🦄 ١٢٣"), Encoding.UTF8, "application/json"));
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{field}: {(int)response.StatusCode}");
        }
    }

    [Theory]
    [InlineData("decline", "application/json", "{\"reason\": 5}")]
    [InlineData("decline", "application/json", "not json")]
    [InlineData("decline", "application/json", "")]
    [InlineData("decline", "application/json", "null")]
    [InlineData("decline", "text/plain", "{\"reason\": \"x\"}")]
    [InlineData("withdraw", "application/json", "{\"reason\": [\"x\"]}")]
    [InlineData("withdraw", "application/json", "{\"reason\": null}")]
    [InlineData("waitlist", "application/json", "{\"reason\": {}}")]
    [InlineData("waitlist", "application/json", "[")]
    public async Task A_malformed_triage_body_gets_a_4xx_problem_and_changes_nothing(string action, string contentType, string body)
    {
        var (_, partner) = await service.NewPartner();
        var (caseworker, _, _) = await service.ClientFor("caseworker");
        var id = (await partner.Created()).Id();

        var response = await caseworker.PostAsync($"/api/v1/referrals/{id}/{action}", new StringContent(body, Encoding.UTF8, contentType));

        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("received", (await partner.GetFromJsonAsync<JsonElement>($"/api/v1/referrals/{id}")).Str("status"));
    }

    [Fact]
    public async Task Waitlisting_needs_no_body_at_all()
    {
        var (_, partner) = await service.NewPartner();
        var (caseworker, _, _) = await service.ClientFor("caseworker");
        var id = (await partner.Created()).Id();

        var response = await caseworker.PostAsync($"/api/v1/referrals/{id}/waitlist", null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>A body whose length is unknown, so it is sent chunked and only reading it shows its size.</summary>
    private sealed class NoLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
