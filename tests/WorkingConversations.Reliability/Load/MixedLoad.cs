using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using WorkingConversations.Reliability.Client;

namespace WorkingConversations.Reliability.Load;

/// <summary>One participant's way through the service, as the load made it.</summary>
public sealed class Case(int number, string marker)
{
    public int Number { get; } = number;
    public string Marker { get; } = marker;
    public Guid? ReferralId { get; set; }
    public Guid? ParticipantId { get; set; }
    public bool Accepted { get; set; }
    public bool Assigned { get; set; }
    public Guid? QuestionnaireId { get; set; }
    public bool Risky { get; set; }
    public Guid? ConversationId { get; set; }
    public bool Held { get; set; }
    public DateTimeOffset? AcceptedAt { get; set; }
    public DateTimeOffset? QuestionnaireAt { get; set; }
    public DateTimeOffset? HeldAt { get; set; }

    /// <summary>Why the case stopped early, when it did (an answer the load did not expect).</summary>
    public string? Stopped { get; set; }

    /// <summary>The partner callbacks its writes should have caused, by status.</summary>
    public IEnumerable<string> ExpectedCallbacks()
    {
        if (ReferralId is null) yield break;
        yield return "received";
        if (Accepted) yield return "accepted";
        if (Held) yield return "in-conversation";
    }
}

/// <summary>
/// The mixed load: each worker takes the next new person through referral (with an Idempotency-Key), acceptance,
/// assignment, a PHQ-9 (every fourth one indicating risk), and a conversation scheduled and held. Every write carries
/// an Idempotency-Key and is sent again, unchanged, until the service answers it.
/// </summary>
public sealed class MixedLoad(PersistentClient client, Actors actors, string runTag)
{
    private readonly ConcurrentQueue<Case> _cases = new();
    private readonly DateTimeOffset _base = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddDays(1);
    private int _next;

    /// <summary>How long one write is retried before the load gives up on it (and the checks report it).</summary>
    public TimeSpan Patience { get; init; } = TimeSpan.FromMinutes(3);

    public IReadOnlyList<Case> Cases => [.. _cases];

    /// <summary>Runs <paramref name="workers"/> workers until <paramref name="stop"/>; each finishes the case it is on.</summary>
    public Task RunAsync(int workers, CancellationToken stop) =>
        Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested) await RunCaseAsync();
        })));

    public async Task<Case> RunCaseAsync()
    {
        var n = Interlocked.Increment(ref _next);
        var @case = new Case(n, $"{runTag}-{n}");
        _cases.Enqueue(@case);
        var (practitionerId, practitionerKey) = actors.Practitioners[n % actors.Practitioners.Count];

        var referral = await Write(OperationKind.Referral, new Call(HttpMethod.Post, "/api/v1/referrals", actors.PartnerKey, Api.Json(new
        {
            partnerReference = @case.Marker,
            person = new { givenName = "Rel", familyName = "Person" + Letters(n) + runTag[..4], dateOfBirth = "1985-06-15", postcode = "L8 1XY" },
            reason = "Reliability run",
            consent = new { given = true },
        }), "ref-" + @case.Marker), @case.Marker, @case, r => r.Status == 201);
        if (referral is null) return @case;
        @case.ReferralId = referral.Value.GetProperty("id").GetGuid();
        @case.ParticipantId = referral.Value.GetProperty("participantId").GetGuid();

        var accepted = await Write(OperationKind.Accept, new Call(HttpMethod.Post, $"/api/v1/referrals/{@case.ReferralId}/accept", actors.CaseworkerKey,
            "{}", "acc-" + @case.Marker), @case.Marker, @case, r => r.Status == 200 || AlreadyIn(r, "currentStatus", "accepted"));
        if (accepted is null) return @case;
        @case.Accepted = true;
        @case.AcceptedAt = DateTimeOffset.UtcNow;

        // The episode is opened by a message: until it has been, the assignment is refused (404: no episode yet; 409: not
        // open yet; 409: the practitioner's clearance, also a message, not there yet).
        var assigned = await Write(OperationKind.Assign, new Call(HttpMethod.Post, $"/api/v1/participants/{@case.ParticipantId}/practitioner",
                actors.CaseworkerKey, Api.Json(new { practitionerId }), "asg-" + @case.Marker), @case.Marker, @case,
            r => r.Status == 200 || r.Status == 409 && r.IsProblem && r.Json.TryGetProperty("practitionerId", out _),
            notReady: r => r.Status == 404 || r.Status == 409 && r.Body.Contains("no open episode", StringComparison.Ordinal) ||
                           r.Status == 409 && r.Body.Contains("not cleared", StringComparison.Ordinal));
        if (assigned is null) return @case;
        @case.Assigned = true;

        @case.Risky = n % 4 == 0;
        var administeredAt = _base.AddMinutes(n);
        var questionnaire = await Write(OperationKind.Questionnaire, new Call(HttpMethod.Post, $"/api/v1/participants/{@case.ParticipantId}/questionnaires",
            practitionerKey, Api.Json(new
            {
                instrument = "PHQ-9", timepoint = "start", answers = new[] { 2, 2, 1, 1, 2, 1, 1, 2, @case.Risky ? 1 : 0 },
                administeredAt = administeredAt.AddDays(-2),
            }), "phq-" + @case.Marker), administeredAt.AddDays(-2).ToString("O", CultureInfo.InvariantCulture), @case, r => r.Status == 201);
        if (questionnaire is null) return @case;
        @case.QuestionnaireId = questionnaire.Value.GetProperty("id").GetGuid();
        @case.QuestionnaireAt = DateTimeOffset.UtcNow;

        var scheduledFor = _base.AddHours(n);
        var scheduled = await Write(OperationKind.Schedule, new Call(HttpMethod.Post, $"/api/v1/participants/{@case.ParticipantId}/conversations",
                practitionerKey, Api.Json(new { scheduledFor, mode = "phone" }), "sch-" + @case.Marker),
            scheduledFor.ToString("O", CultureInfo.InvariantCulture), @case, r => r.Status == 201);
        if (scheduled is null) return @case;
        @case.ConversationId = scheduled.Value.GetProperty("conversationId").GetGuid();

        var held = await Write(OperationKind.Record, new Call(HttpMethod.Post, $"/api/v1/conversations/{@case.ConversationId}/record", practitionerKey,
            Api.Json(new
            {
                attended = true, bestHopes = "Hopes " + @case.Marker, preferredFutureSigns = new[] { "sleeping through" }, scale = 4,
                exceptions = "Walks help", onePointUp = "Out once a day", nextSmallStep = (string?)null, notes = (string?)null, riskDisclosed = false,
                durationMinutes = 45,
            }), "rec-" + @case.Marker), "Hopes " + @case.Marker, @case, r => r.Status == 200 || AlreadyIn(r, "conversationStatus", "held"));
        if (held is null) return @case;
        @case.Held = true;
        @case.HeldAt = DateTimeOffset.UtcNow;
        return @case;
    }

    /// <summary>A 409 that shows an earlier attempt of the same write took effect (the referral is already accepted).</summary>
    private static bool AlreadyIn(Reply reply, string member, string value) =>
        reply.Status == 409 && reply.IsProblem && reply.Json.TryGetProperty(member, out var status) && status.GetString() == value;

    private async Task<JsonElement?> Write(OperationKind kind, Call call, string marker, Case @case, Func<Reply, bool> done, Func<Reply, bool>? notReady = null)
    {
        var operation = new Operation(kind, call, marker) { ParticipantId = @case.ParticipantId ?? Guid.Empty };
        client.Ledger.Add(operation);
        var deadline = DateTimeOffset.UtcNow + Patience;
        while (true)
        {
            var reply = await client.UntilAnsweredAsync(operation, deadline);
            if (reply is null)
            {
                @case.Stopped = $"{kind}: no answer within {Patience.TotalSeconds:0} s";
                return null;
            }

            if (done(reply))
            {
                operation.Acknowledged = true;
                operation.AcknowledgedAt = DateTimeOffset.UtcNow;
                var body = reply.Succeeded && reply.Body.Length > 0 ? reply.Json : default;
                operation.ResourceId = kind switch
                {
                    OperationKind.Referral when reply.Succeeded => body.GetProperty("id").GetGuid(),
                    OperationKind.Questionnaire when reply.Succeeded => body.GetProperty("id").GetGuid(),
                    OperationKind.Schedule when reply.Succeeded => body.GetProperty("conversationId").GetGuid(),
                    _ => null,
                };
                return body;
            }

            if (notReady?.Invoke(reply) == true && DateTimeOffset.UtcNow < deadline)
            {
                operation.NotReady++;
                await Task.Delay(200);
                continue;
            }

            @case.Stopped = $"{kind}: {reply}";
            return null;
        }
    }

    private static string Letters(int n)
    {
        var letters = new System.Text.StringBuilder();
        do { letters.Append((char)('a' + n % 26)); n /= 26; } while (n > 0);
        return letters.ToString();
    }
}
