using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using WorkingConversations.BuildingBlocks.Writing;

namespace WorkingConversations.Host.Demo;

/// <summary>Everything the demo steps share: the API client, the keys of each actor, and what each journey has got so far.</summary>
public sealed class DemoContext(HttpClient client, DemoClock clock)
{
    private readonly ConcurrentDictionary<int, Journey> _journeys = new();
    private readonly List<(Guid Id, string Key)> _practitioners = [];

    public string AdminKey { get; set; } = "";
    public string CaseworkerKey { get; set; } = "";
    public List<string> PartnerKeys { get; } = [];
    public ConcurrentDictionary<string, int> Failures { get; } = new();
    public DemoClock Clock => clock;

    private sealed class Journey
    {
        public Guid ReferralId;
        public Guid ParticipantId;
        public int Partner;
        public Guid? PractitionerId;
        public string? PractitionerKey;
        public bool Open = true;
    }

    public async Task SetUpActors(int partners, int practitioners, int seed)
    {
        CaseworkerKey = await Key("caseworker", null, null);
        for (var p = 0; p < partners; p++)
        {
            var partner = await Post(AdminKey, "/api/v1/partners", new { name = DemoPartners.Names[p % DemoPartners.Names.Length], contactEmail = $"referrals@partner{p + 1}.example" });
            PartnerKeys.Add(await Key("partner", partner!.Value.GetProperty("id").GetGuid(), null));
        }

        var trainer = await Key("trainer", null, null);
        var curriculum = await Get(trainer, "/api/v1/training/curriculum");
        var random = new Random(seed);
        for (var v = 0; v < practitioners; v++)
        {
            var programme = random.NextDouble() < 0.7 ? "volunteer" : "apprentice";
            var volunteer = await Post(trainer, "/api/v1/volunteers", new { givenName = $"Volunteer{v + 1}", familyName = "Demo", email = $"volunteer{v + 1}@example.org", programme });
            if (volunteer is null) continue;
            var id = volunteer.Value.GetProperty("id").GetGuid();
            if (await Train(trainer, id, programme, curriculum)) _practitioners.Add((id, await Key("practitioner", null, id)));
        }
    }

    private async Task<bool> Train(string trainer, Guid id, string programme, JsonElement? curriculum)
    {
        var on = clock.GetUtcNow().AddDays(-60).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (curriculum is { } c && c.TryGetProperty("items", out var items))
        {
            foreach (var module in items.EnumerateArray())
            {
                var required = module.TryGetProperty("requiredFor", out var r) && r.EnumerateArray().Any(x => x.GetString() == programme);
                if (!required) continue;
                var passMark = module.TryGetProperty("passMark", out var pm) && pm.ValueKind == JsonValueKind.Number ? pm.GetInt32() : 50;
                await Post(trainer, $"/api/v1/volunteers/{id}/modules/{module.GetProperty("code").GetString()}/assessment",
                    new { passed = true, score = Math.Min(100, passMark + 15), assessedBy = "Demo trainer", assessedOn = on });
            }
        }

        for (var h = 0; h < (programme == "apprentice" ? 7 : 3); h++)
            await Post(trainer, $"/api/v1/volunteers/{id}/practice-hours", new { hours = 10, supervisedBy = "Demo supervisor", on });
        for (var s = 0; s < 3; s++)
            await Post(trainer, $"/api/v1/volunteers/{id}/supervision", new { supervisor = "Demo supervisor", on, note = "Reflective supervision" });
        await Post(trainer, $"/api/v1/volunteers/{id}/dbs-check", new { eligibility = "eligible", level = "enhanced", issuedOn = on, updateService = true });
        return await Post(trainer, $"/api/v1/volunteers/{id}/certify", new { }) is not null;
    }

    public async Task Refer(int n, int partner, object person, string reason)
    {
        var created = await Post(PartnerKeys[partner], "/api/v1/referrals", new
        {
            partnerReference = $"DEMO-{n:D6}", person, reason, preferredContact = "phone",
            consent = new { given = true, recordedAt = clock.GetUtcNow().AddDays(-1), recordedBy = "Partner caseworker" },
        }, "referral");
        if (created is { } c)
            _journeys[n] = new Journey { ReferralId = c.GetProperty("id").GetGuid(), ParticipantId = c.GetProperty("participantId").GetGuid(), Partner = partner };
    }

    public async Task Triage(int n, string action, object body)
    {
        if (!_journeys.TryGetValue(n, out var j)) return;
        var key = action == "withdraw" ? PartnerKeys[j.Partner] : CaseworkerKey;
        if (await Post(key, $"/api/v1/referrals/{j.ReferralId}/{action}", body, action) is null) j.Open = false;
        if (action is "decline" or "withdraw") j.Open = false;
    }

    public async Task Assign(int n)
    {
        if (!_journeys.TryGetValue(n, out var j) || !j.Open || _practitioners.Count == 0) return;
        // The first choice follows from the participant's number, so the same seed assigns the same people; a full
        // practitioner answers 409 and the next one is tried. The episode opens by message after the acceptance: until
        // it has, the participant has no episode (404), so the same practitioner is asked again a moment later.
        var waits = 0;
        for (var attempt = 0; attempt < _practitioners.Count * 2; attempt++)
        {
            var (id, key) = _practitioners[(n * 7919 + attempt) % _practitioners.Count];
            var (status, _) = await Send(CaseworkerKey, HttpMethod.Post, $"/api/v1/participants/{j.ParticipantId}/practitioner", new { practitionerId = id });
            if (status == HttpStatusCode.OK) { j.PractitionerId = id; j.PractitionerKey = key; return; }
            if (status == HttpStatusCode.NotFound && waits++ < 100)
            {
                await Task.Delay(50);
                attempt--;
            }
        }

        Failures.AddOrUpdate("assign (no practitioner free)", 1, (_, v) => v + 1);
        j.Open = false;
    }

    public async Task Conversation(int n, int s, bool attended, int scale)
    {
        if (!_journeys.TryGetValue(n, out var j) || j.PractitionerKey is null || !j.Open) return;
        var scheduled = await Post(j.PractitionerKey, $"/api/v1/participants/{j.ParticipantId}/conversations",
            new { scheduledFor = clock.GetUtcNow(), mode = s % 3 == 0 ? "in-person" : "phone", location = (string?)null }, "schedule");
        if (scheduled is not { } c) return;
        var id = c.GetProperty("conversationId").GetGuid();
        if (attended)
        {
            await Post(j.PractitionerKey, $"/api/v1/conversations/{id}/record", new
            {
                attended = true, bestHopes = "To feel more like myself again", preferredFutureSigns = new[] { "Getting out of the house", "Sleeping better" },
                scale, exceptions = "Good days after seeing family", onePointUp = "Going for a walk twice a week", nextSmallStep = "Call a friend",
                riskDisclosed = false, durationMinutes = 50,
            }, "record conversation");
        }
        else
        {
            await Post(j.PractitionerKey, $"/api/v1/conversations/{id}/missed", new { reason = s % 2 == 0 ? "did-not-attend" : "cancelled-by-participant" }, "missed conversation");
        }
    }

    public async Task Questionnaires(int n, string timepoint, int phq, int gad, int salt)
    {
        if (!_journeys.TryGetValue(n, out var j)) return;
        var key = j.PractitionerKey ?? CaseworkerKey;
        if (timepoint == "follow-up") key = CaseworkerKey;
        var at = clock.GetUtcNow();
        await Post(key, $"/api/v1/participants/{j.ParticipantId}/questionnaires",
            new { instrument = "PHQ-9", timepoint, answers = DemoScenario.Answers(9, 3, phq, salt, keepLastItemLow: true), administeredAt = at }, "PHQ-9");
        await Post(key, $"/api/v1/participants/{j.ParticipantId}/questionnaires",
            new { instrument = "GAD-7", timepoint, answers = DemoScenario.Answers(7, 3, gad, salt), administeredAt = at }, "GAD-7");
    }

    public async Task Circumstances(int n, string timepoint, int variant)
    {
        if (!_journeys.TryGetValue(n, out var j) || j.PractitionerKey is null) return;
        await Post(j.PractitionerKey, $"/api/v1/participants/{j.ParticipantId}/circumstances", new
        {
            timepoint,
            housing = variant == 0 ? "insecure" : "secure",
            employment = variant switch { 0 => "unemployed-seeking-work", 1 => "employed-part-time", _ => "unable-to-work-ill-health" },
            money = variant == 0 ? "sometimes-cannot" : "meets-basic-needs",
            hasSomeoneToTurnTo = variant != 0,
            takesPartInCommunity = variant == 1,
        }, "circumstances");
    }

    public async Task End(int n, string reason)
    {
        if (!_journeys.TryGetValue(n, out var j) || j.PractitionerKey is null || !j.Open) return;
        await Post(j.PractitionerKey, $"/api/v1/participants/{j.ParticipantId}/end", new { reason, note = (string?)null }, "end");
        j.Open = false;
    }

    private async Task<string> Key(string role, Guid? partnerId, Guid? practitionerId) =>
        (await Post(AdminKey, "/api/v1/api-keys", new { role, name = $"demo-{role}-{Guid.NewGuid():N}"[..30], partnerId, practitionerId }))!.Value.GetProperty("key").GetString()!;

    private async Task<JsonElement?> Get(string key, string path)
    {
        var (status, body) = await Send(key, HttpMethod.Get, path, null);
        return status == HttpStatusCode.OK ? body : null;
    }

    private async Task<JsonElement?> Post(string key, string path, object body, string? what = null)
    {
        var (status, response) = await Send(key, HttpMethod.Post, path, body);
        // A background handler (an episode opening, a follow-up falling due) may append to the same journey between this
        // request's read and its write; the service answers 409 and, like any client, the seeder sends it again, so the
        // same seed gives the same journeys.
        for (var attempt = 1; attempt < 5 && IsConcurrentChange(status, response); attempt++)
        {
            await Task.Delay(10 * attempt);
            (status, response) = await Send(key, HttpMethod.Post, path, body);
        }

        if ((int)status is >= 200 and < 300) return response;
        Failures.AddOrUpdate($"{what ?? path} ({(int)status})", 1, (_, v) => v + 1);
        return null;
    }

    private static bool IsConcurrentChange(HttpStatusCode status, JsonElement? problem) =>
        status == HttpStatusCode.Conflict && problem is { } p && p.TryGetProperty(Refusal.RetryMember, out var retry) &&
        retry.ValueKind == JsonValueKind.True;

    private async Task<(HttpStatusCode Status, JsonElement? Body)> Send(string key, HttpMethod method, string path, object? body)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (body is not null) request.Content = JsonContent.Create(body);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonElement? parsed = text.Length > 0 && text[0] == '{' ? JsonDocument.Parse(text).RootElement.Clone() : null;
        return (response.StatusCode, parsed);
    }
}

public static class DemoPartners
{
    public static readonly string[] Names =
    [
        "Mersey Community Mind", "Toxteth Women's Centre", "North Liverpool Foodbank", "Wirral Carers Network", "Everton Youth Trust", "St Helens Citizens Advice",
    ];
}
