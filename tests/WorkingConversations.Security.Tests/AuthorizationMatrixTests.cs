using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using WorkingConversations.Testing;
using static WorkingConversations.Security.Tests.Caller;

namespace WorkingConversations.Security.Tests;

[CollectionDefinition(Name)]
public sealed class MatrixCollection : ICollectionFixture<ServiceFixture>
{
    public const string Name = "authorization-matrix";
}

/// <summary>
/// OWASP API1 (object level) and API5 (function level): every endpoint the host maps, called by every kind of caller,
/// answers as the table says. A route the table does not name fails the test, so no route ships without a decision.
/// </summary>
[Collection(MatrixCollection.Name)]
public sealed class AuthorizationMatrixTests(ServiceFixture service)
{
    /// <summary>Each cell: 401, 403, 404 (exists, but not this caller's), or ok (anything else below 500: the route let the caller in).</summary>
    private sealed record Row(string Method, string Pattern, string Expected, Func<SecurityWorld, string> Url, Func<SecurityWorld, object?>? Body = null);

    /// <summary>The columns of <see cref="Row.Expected"/>, in order.</summary>
    private static readonly Caller[] Columns = [Anonymous, Admin, Caseworker, Practitioner, OtherPractitioner, Trainer, Analyst, Partner, OtherPartner];

    /// <summary>The order callers make their calls: those who must be refused first, so that a refused write would show on the allowed ones.</summary>
    private static readonly Caller[] CallOrder = [Anonymous, OtherPartner, OtherPractitioner, Trainer, Analyst, Partner, Practitioner, Admin, Caseworker];

    //                                                                       anon adm  case prac othP trai anal part othPa
    private static readonly Row[] Table =
    [
        // Operations
        new("GET", "/health/live", "ok ok ok ok ok ok ok ok ok", _ => "/health/live"),
        new("GET", "/health/ready", "ok ok ok ok ok ok ok ok ok", _ => "/health/ready"),
        new("GET", "/metrics", "ok ok ok ok ok ok ok ok ok", _ => "/metrics"),
        new("GET", "/api/v1/admin/dead-letters", "401 ok 403 403 403 403 403 403 403", _ => "/api/v1/admin/dead-letters"),
        new("GET", "/api/v1/admin/projections", "401 ok 403 403 403 403 403 403 403", _ => "/api/v1/admin/projections"),
        new("POST", "/api/v1/admin/dead-letters/replay", "401 ok 403 403 403 403 403 403 403",
            _ => "/api/v1/admin/dead-letters/replay?messageType=WorkingConversations.NoSuchMessage"),
        // The operations on one dead letter or one projection are called on ones that do not exist: the administrator gets
        // past the role check to the 404, and nothing the other rows need is paused, replayed or deleted.
        new("POST", "/api/v1/admin/dead-letters/{id:guid}/replay", "401 404 403 403 403 403 403 403 403", _ => $"/api/v1/admin/dead-letters/{Guid.NewGuid()}/replay"),
        new("DELETE", "/api/v1/admin/dead-letters/{id:guid}", "401 404 403 403 403 403 403 403 403", _ => $"/api/v1/admin/dead-letters/{Guid.NewGuid()}"),
        new("POST", "/api/v1/admin/projections/{name}/pause", "401 404 403 403 403 403 403 403 403", _ => "/api/v1/admin/projections/NoSuchProjection/pause"),
        new("POST", "/api/v1/admin/projections/{name}/resume", "401 404 403 403 403 403 403 403 403", _ => "/api/v1/admin/projections/NoSuchProjection/resume"),
        new("POST", "/api/v1/admin/projections/{name}/restart", "401 404 403 403 403 403 403 403 403", _ => "/api/v1/admin/projections/NoSuchProjection/restart"),
        new("POST", "/api/v1/admin/projections/{name}/rebuild", "401 404 403 403 403 403 403 403 403", _ => "/api/v1/admin/projections/NoSuchProjection/rebuild"),

        // Access
        new("GET", "/api/v1/api-keys", "401 ok 403 403 403 403 403 403 403", _ => "/api/v1/api-keys"),
        new("POST", "/api/v1/api-keys", "401 ok 403 403 403 403 403 403 403", _ => "/api/v1/api-keys",
            _ => new { role = "analyst", name = $"matrix-{Guid.NewGuid():N}" }),
        new("POST", "/api/v1/api-keys/{id:guid}/rotate", "401 ok 403 403 403 403 403 403 403", w => $"/api/v1/api-keys/{w.KeyToRevoke}/rotate",
            _ => new { }),

        // Journey
        new("GET", "/api/v1/participants/{id:guid}", "401 403 ok ok 404 403 403 403 403", w => $"/api/v1/participants/{w.ParticipantId}"),
        new("GET", "/api/v1/participants/{id:guid}/history", "401 403 ok ok 404 403 403 403 403", w => $"/api/v1/participants/{w.ParticipantId}/history"),
        new("GET", "/api/v1/participants/{id:guid}/export", "401 403 ok 403 403 403 403 403 403", w => $"/api/v1/participants/{w.ParticipantId}/export"),
        new("GET", "/api/v1/audit", "401 ok 403 403 403 403 403 403 403", _ => "/api/v1/audit"),

        // Referrals
        new("GET", "/api/v1/partners", "401 ok 403 403 403 403 403 403 403", _ => "/api/v1/partners"),
        new("POST", "/api/v1/partners", "401 ok 403 403 403 403 403 403 403", _ => "/api/v1/partners",
            _ => new { name = $"Matrix {Guid.NewGuid():N}", contactEmail = "team@matrix.example" }),
        new("GET", "/api/v1/referrals", "401 403 ok 403 403 403 403 ok ok", _ => "/api/v1/referrals"),
        new("GET", "/api/v1/referrals/triage-queue", "401 403 ok 403 403 403 403 403 403", _ => "/api/v1/referrals/triage-queue"),
        new("GET", "/api/v1/referrals/{id:guid}", "401 403 ok 403 403 403 403 ok 404", w => $"/api/v1/referrals/{w.ReferralId}"),
        new("POST", "/api/v1/referrals", "401 403 403 403 403 403 403 ok ok", _ => "/api/v1/referrals", _ => Referral()),
        new("GET", "/api/v1/directory/services", "401 403 ok ok ok 403 403 403 403", _ => "/api/v1/directory/services"),
        new("POST", "/api/v1/directory/imports", "401 ok 403 403 403 403 403 403 403", _ => "/api/v1/directory/imports", _ => Array.Empty<object>()),
        new("POST", "/fhir/R4/$process-message", "401 403 403 403 403 403 403 ok ok", _ => "/fhir/R4/$process-message", _ => new { resourceType = "Bundle" }),
        new("GET", "/fhir/R4/ServiceRequest/{id}", "401 403 403 403 403 403 403 ok 404", w => $"/fhir/R4/ServiceRequest/{w.ReferralId}"),
        new("GET", "/fhir/R4/metadata", "401 403 403 403 403 403 403 ok ok", _ => "/fhir/R4/metadata"),

        // Conversations
        new("GET", "/api/v1/participants/{id:guid}/conversations", "401 403 ok ok 404 403 403 403 403", w => $"/api/v1/participants/{w.ParticipantId}/conversations"),
        new("GET", "/api/v1/conversations/{id:guid}", "401 403 ok ok 404 403 403 403 403", w => $"/api/v1/conversations/{w.ConversationId}"),
        new("GET", "/api/v1/safeguarding/concerns", "401 403 ok 403 403 403 403 403 403", _ => "/api/v1/safeguarding/concerns"),
        new("GET", "/api/v1/practitioners/needs-reassignment", "401 403 ok 403 403 403 403 403 403", _ => "/api/v1/practitioners/needs-reassignment"),
        new("GET", "/api/v1/practitioners/{id:guid}/caseload", "401 403 ok ok 404 403 403 403 403", w => $"/api/v1/practitioners/{w.PractitionerId}/caseload"),
        new("GET", "/api/v1/participants/{id:guid}/trajectory", "401 403 ok ok 404 403 403 403 403", w => $"/api/v1/participants/{w.ParticipantId}/trajectory"),
        new("GET", "/api/v1/practitioners/{id:guid}/caseload-health", "401 403 ok ok 404 ok 403 403 403",
            w => $"/api/v1/practitioners/{w.PractitionerId}/caseload-health"),
        new("GET", "/api/v1/practitioners/{id:guid}/fidelity", "401 403 403 ok 404 ok 403 403 403", w => $"/api/v1/practitioners/{w.PractitionerId}/fidelity"),

        // Volunteer training
        new("GET", "/api/v1/training/curriculum", "401 403 403 403 403 ok 403 403 403", _ => "/api/v1/training/curriculum"),
        new("GET", "/api/v1/training/pipeline", "401 403 403 403 403 ok 403 403 403", _ => "/api/v1/training/pipeline"),
        new("GET", "/api/v1/volunteers/{id:guid}", "401 403 403 ok 404 ok 403 403 403", w => $"/api/v1/volunteers/{w.PractitionerId}"),
        new("GET", "/api/v1/volunteers/{id:guid}/history", "401 403 403 ok 404 ok 403 403 403", w => $"/api/v1/volunteers/{w.PractitionerId}/history"),
        new("GET", "/api/v1/volunteers/{id:guid}/export", "401 ok 403 403 403 ok 403 403 403", w => $"/api/v1/volunteers/{w.PractitionerId}/export"),
        new("POST", "/api/v1/volunteers", "401 403 403 403 403 ok 403 403 403", _ => "/api/v1/volunteers",
            _ => new { givenName = "Mat", familyName = "Rix", email = "mat.rix@example.org", programme = "volunteer" }),

        // Outcomes
        new("GET", "/api/v1/outcomes/summary", "401 403 403 403 403 403 ok 403 403", _ => "/api/v1/outcomes/summary"),
        new("GET", "/api/v1/outcomes/funnel", "401 403 403 403 403 403 ok 403 403", _ => "/api/v1/outcomes/funnel"),
        new("GET", "/api/v1/outcomes/relapse", "401 403 403 403 403 403 ok 403 403", _ => "/api/v1/outcomes/relapse"),
        new("GET", "/api/v1/outcomes/waiting-times", "401 403 403 403 403 403 ok 403 403", _ => "/api/v1/outcomes/waiting-times"),
        new("GET", "/api/v1/outcomes/signposting", "401 403 403 403 403 403 ok 403 403", _ => "/api/v1/outcomes/signposting"),
        new("GET", "/api/v1/outcomes/export.csv", "401 403 403 403 403 403 ok 403 403", _ => "/api/v1/outcomes/export.csv"),
        new("GET", "/api/v1/outcomes/staying-well", "401 403 403 403 403 403 ok 403 403", _ => "/api/v1/outcomes/staying-well"),
        new("GET", "/api/v1/outcomes/wellbeing", "401 403 403 403 403 403 ok 403 403", _ => "/api/v1/outcomes/wellbeing"),
        new("GET", "/api/v1/outcomes/circumstances", "401 403 403 403 403 403 ok 403 403", _ => "/api/v1/outcomes/circumstances"),
        new("GET", "/api/v1/outcomes/practitioner-cohorts", "401 403 403 403 403 403 ok 403 403", _ => "/api/v1/outcomes/practitioner-cohorts"),
        new("GET", "/api/v1/outcomes/trend", "401 403 403 403 403 403 ok 403 403", _ => "/api/v1/outcomes/trend"),
        new("GET", "/api/v1/outcomes/national-references", "401 403 403 403 403 403 ok 403 403", _ => "/api/v1/outcomes/national-references"),
        new("GET", "/api/v1/outcomes/practice", "401 403 403 403 403 403 ok 403 403", _ => "/api/v1/outcomes/practice"),
        new("POST", "/api/v1/participants/{id:guid}/questionnaires", "401 403 ok ok 404 403 403 403 403", w => $"/api/v1/participants/{w.ParticipantId}/questionnaires",
            _ => new { instrument = "GAD-7", timepoint = "session", answers = new[] { 1, 1, 1, 1, 1, 1, 1 }, administeredAt = DateTimeOffset.UtcNow }),
        new("POST", "/api/v1/participants/{id:guid}/circumstances", "401 403 ok ok 404 403 403 403 403", w => $"/api/v1/participants/{w.ParticipantId}/circumstances",
            _ => new { timepoint = "start", housing = "secure", employment = "unemployed-seeking-work", money = "meets-basic-needs", hasSomeoneToTurnTo = true, takesPartInCommunity = false }),

        // Writes that change what later rows read come last, the ones that end something at the very end.
        new("POST", "/api/v1/participants/{id:guid}/practitioner", "401 403 ok 403 403 403 403 403 403", w => $"/api/v1/participants/{w.ParticipantId}/practitioner",
            w => new { practitionerId = w.PractitionerId }),
        new("POST", "/api/v1/participants/{id:guid}/conversations", "401 403 ok ok 404 403 403 403 403", w => $"/api/v1/participants/{w.ParticipantId}/conversations",
            _ => new { scheduledFor = DateTimeOffset.UtcNow.AddDays(3), mode = "video" }),
        new("POST", "/api/v1/conversations/{id:guid}/record", "401 403 ok ok 404 403 403 403 403", w => $"/api/v1/conversations/{w.ConversationId}/record",
            _ => SecurityWorld.ConversationRecord()),
        new("POST", "/api/v1/conversations/{id:guid}/missed", "401 403 ok ok 404 403 403 403 403", w => $"/api/v1/conversations/{w.ConversationId}/missed",
            _ => new { reason = "did-not-attend" }),
        new("POST", "/api/v1/safeguarding/concerns/{id:guid}/acknowledge", "401 403 ok 403 403 403 403 403 403", w => $"/api/v1/safeguarding/concerns/{w.ConcernId}/acknowledge",
            _ => new { actionTaken = "Called the participant's GP" }),
        new("POST", "/api/v1/referrals/{id:guid}/accept", "401 403 ok 403 403 403 403 403 403", w => $"/api/v1/referrals/{w.ReferralId}/accept", _ => new { }),
        new("POST", "/api/v1/referrals/{id:guid}/waitlist", "401 403 ok 403 403 403 403 403 403", w => $"/api/v1/referrals/{w.WaitingReferralId}/waitlist",
            _ => new { reason = "No practitioner free this month" }),
        new("POST", "/api/v1/referrals/{id:guid}/decline", "401 403 ok 403 403 403 403 403 403", w => $"/api/v1/referrals/{w.WaitingReferralId}/decline",
            _ => new { reason = "Better served elsewhere" }),
        new("POST", "/api/v1/referrals/{id:guid}/withdraw", "401 403 ok 403 403 403 403 ok 404", w => $"/api/v1/referrals/{w.WaitingReferralId}/withdraw",
            _ => new { reason = "The person moved away" }),
        new("POST", "/api/v1/volunteers/{id:guid}/modules/{code}/assessment", "401 403 403 403 403 ok 403 403 403",
            w => $"/api/v1/volunteers/{w.PractitionerId}/modules/{w.ModuleCode}/assessment",
            _ => new { passed = true, score = 90, assessedBy = "A. Trainer", assessedOn = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1) }),
        new("POST", "/api/v1/volunteers/{id:guid}/practice-hours", "401 403 403 403 403 ok 403 403 403", w => $"/api/v1/volunteers/{w.PractitionerId}/practice-hours",
            _ => new { hours = 1, supervisedBy = "A. Supervisor", on = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1) }),
        new("POST", "/api/v1/volunteers/{id:guid}/supervision", "401 403 403 403 403 ok 403 403 403", w => $"/api/v1/volunteers/{w.PractitionerId}/supervision",
            _ => new { supervisor = "A. Supervisor", on = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1) }),
        new("POST", "/api/v1/volunteers/{id:guid}/dbs-check", "401 403 403 403 403 ok 403 403 403", w => $"/api/v1/volunteers/{w.PractitionerId}/dbs-check",
            _ => new { eligibility = "eligible", level = "enhanced", issuedOn = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1), updateService = true }),
        new("POST", "/api/v1/volunteers/{id:guid}/certify", "401 403 403 403 403 ok 403 403 403", w => $"/api/v1/volunteers/{w.PractitionerId}/certify", _ => new { }),
        new("POST", "/api/v1/volunteers/{id:guid}/promote", "401 403 403 403 403 ok 403 403 403", w => $"/api/v1/volunteers/{w.PractitionerId}/promote", _ => new { }),
        new("POST", "/api/v1/volunteers/{id:guid}/capacity", "401 403 403 403 403 ok 403 403 403", w => $"/api/v1/volunteers/{w.PractitionerId}/capacity",
            _ => new { capacity = 5, reason = "Asked for more" }),
        new("POST", "/api/v1/volunteers/{id:guid}/suspend", "401 403 403 403 403 ok 403 403 403", w => $"/api/v1/volunteers/{w.PractitionerId}/suspend",
            _ => new { reason = "Pending a review" }),
        new("POST", "/api/v1/volunteers/{id:guid}/reinstate", "401 403 403 403 403 ok 403 403 403", w => $"/api/v1/volunteers/{w.PractitionerId}/reinstate",
            _ => new { reason = "Review done" }),
        new("POST", "/api/v1/participants/{id:guid}/end", "401 403 ok ok 404 403 403 403 403", w => $"/api/v1/participants/{w.ParticipantId}/end",
            _ => new { reason = "goals-reached" }),
        new("POST", "/api/v1/participants/{id:guid}/erasure", "401 403 ok 403 403 403 403 403 403", w => $"/api/v1/participants/{w.ParticipantId}/erasure", _ => new { }),
        // The world's practitioner has not withdrawn, so the trainer's and the administrator's erasure are the 409 past the role check.
        new("POST", "/api/v1/volunteers/{id:guid}/erasure", "401 ok 403 403 403 ok 403 403 403", w => $"/api/v1/volunteers/{w.PractitionerId}/erasure", _ => new { }),
        new("POST", "/api/v1/volunteers/{id:guid}/withdraw", "401 403 403 403 403 ok 403 403 403", w => $"/api/v1/volunteers/{w.PractitionerId}/withdraw",
            _ => new { reason = "Moved away" }),
        new("DELETE", "/api/v1/api-keys/{id:guid}", "401 ok 403 403 403 403 403 403 403", w => $"/api/v1/api-keys/{w.KeyToRevoke}"),
    ];

    [Fact]
    public void Every_endpoint_of_the_host_has_a_row_and_every_row_an_endpoint()
    {
        var mapped = Endpoints().ToHashSet();
        var rows = Table.Select(r => $"{r.Method} {r.Pattern}").ToList();

        var missing = mapped.Except(rows).Order().ToList();
        var stale = rows.Except(mapped).Order().ToList();
        Assert.True(missing.Count == 0, "Endpoints without a row in the authorization table (decide who may call them):\n" + string.Join("\n", missing));
        Assert.True(stale.Count == 0, "Rows of the authorization table that no endpoint has:\n" + string.Join("\n", stale));
        Assert.Equal(rows.Count, rows.Distinct().Count());
    }

    [Fact]
    public async Task Every_endpoint_answers_each_caller_as_the_table_says()
    {
        var world = await SecurityWorld.CreateAsync(service);
        var wrong = new List<string>();
        foreach (var row in Table)
        {
            var expected = row.Expected.Split(' ');
            Assert.Equal(Columns.Length, expected.Length);
            foreach (var caller in CallOrder)
            {
                var want = expected[Array.IndexOf(Columns, caller)];
                using var request = new HttpRequestMessage(new HttpMethod(row.Method), row.Url(world));
                if (row.Body?.Invoke(world) is { } body) request.Content = JsonContent.Create(body);
                using var response = await world.Clients[caller].SendAsync(request);
                var status = (int)response.StatusCode;
                var fits = want == "ok" ? status is not (401 or 403 or 404) and < 500 : status.ToString(System.Globalization.CultureInfo.InvariantCulture) == want;
                if (!fits) wrong.Add($"{row.Method} {row.Pattern} as {caller}: expected {want}, got {status} {Truncate(await response.Content.ReadAsStringAsync())}");
            }
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    /// <summary>The one route allowed a larger body: an administrator's directory import (Open Referral UK, up to 16 MB).</summary>
    private static readonly HashSet<string> LargeBodies = ["POST /api/v1/directory/imports"];

    /// <summary>
    /// OWASP API3 (property level) and API4 (resource consumption), on every route that takes a body, found from the
    /// endpoints' own metadata: a field the request does not have is refused naming it, and a body over the route's limit
    /// (64 KB, the triage routes included) is refused with 413, both before anything is decided or stored.
    /// </summary>
    [Fact]
    public async Task Every_route_with_a_body_refuses_an_unknown_field_naming_it_and_a_body_over_64_KB()
    {
        var world = await SecurityWorld.CreateAsync(service);
        var bodied = service.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IAcceptsMetadata>() is not null)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => (Key: $"{m} /{(e.RoutePattern.RawText ?? "").Trim('/')}", Endpoint: e)))
            .ToDictionary(x => x.Key, x => x.Endpoint);
        Assert.True(bodied.Count > 20, $"only {bodied.Count} routes take a body");

        var wrong = new List<string>();
        foreach (var row in Table)
        {
            if (!bodied.TryGetValue($"{row.Method} {row.Pattern}", out var endpoint)) continue;
            var expected = row.Expected.Split(' ');
            var caller = CallOrder.First(c => expected[Array.IndexOf(Columns, c)] == "ok");
            var accepts = endpoint.Metadata.GetMetadata<IAcceptsMetadata>()!;
            var mediaType = accepts.ContentTypes.First();
            var limit = endpoint.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize;
            var name = $"{row.Method} {row.Pattern}";

            if (limit is null || (limit > 64 * 1024 && !LargeBodies.Contains(name))) wrong.Add($"{name}: body limit {limit?.ToString() ?? "none"}");

            // A route that takes any JSON (a FHIR resource, a directory file) has no fields of its own to check.
            if (accepts.RequestType is { } type && type != typeof(JsonElement) && type != typeof(JsonNode))
            {
                var body = JsonSerializer.SerializeToNode(row.Body?.Invoke(world) ?? new { }) as JsonObject ?? [];
                body["notAField"] = 1;
                using var unknown = await Send(world, caller, row, new StringContent(body.ToJsonString(), Encoding.UTF8, mediaType));
                var text = await unknown.Content.ReadAsStringAsync();
                if ((int)unknown.StatusCode != 400 || !text.Contains("\"notAField\"", StringComparison.Ordinal))
                    wrong.Add($"{name} as {caller} with an unknown field: {(int)unknown.StatusCode} {Truncate(text)}");
            }

            var size = (int)Math.Min(limit ?? 64 * 1024, 64 * 1024 * 1024) + 1024;
            var padded = $"{{\"padding\":\"{new string('x', size)}\"}}";
            using var large = await Send(world, caller, row, new StringContent(padded, Encoding.UTF8, mediaType));
            if ((int)large.StatusCode != 413) wrong.Add($"{name} as {caller} with {size} bytes: {(int)large.StatusCode} {Truncate(await large.Content.ReadAsStringAsync())}");
        }

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    private static Task<HttpResponseMessage> Send(SecurityWorld world, Caller caller, Row row, HttpContent content) =>
        world.Clients[caller].SendAsync(new HttpRequestMessage(new HttpMethod(row.Method), row.Url(world)) { Content = content });

    /// <summary>
    /// Every route endpoint but the staff pages as "METHOD /pattern"; one that takes any method (health, metrics) is listed
    /// as GET. The pages answer a staff session's cookie, never a bearer key, and have their own table of who may open
    /// each (Web.Tests, RouteTableTests) with their anti-forgery checks.
    /// </summary>
    private IEnumerable<string> Endpoints() =>
        service.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<WorkingConversations.BuildingBlocks.Web.StaffPageMetadata>() is null)
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => $"{m} /{(e.RoutePattern.RawText ?? "").Trim('/')}"));

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "...";

    private static object Referral() => new
    {
        partnerReference = $"MX-{Guid.NewGuid():N}"[..20],
        person = Person.Unique().Body,
        reason = "Low mood",
        consent = new { given = true, recordedAt = "2026-11-01T10:00:00Z", recordedBy = "A. Caseworker" },
        riskIndicators = Array.Empty<string>(),
        preferredContact = "phone",
    };
}
