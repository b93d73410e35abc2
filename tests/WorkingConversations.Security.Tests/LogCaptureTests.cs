using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using WorkingConversations.Testing;

namespace WorkingConversations.Security.Tests;

/// <summary>Every log entry the host writes, as its providers get it: the level and category filters of Production apply.</summary>
public sealed class CapturedLog : ILoggerProvider
{
    public sealed record Entry(LogLevel Level, string Category, string Text);

    private readonly ConcurrentQueue<Entry> _entries = new();

    public IReadOnlyCollection<Entry> Entries => _entries.ToArray();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _entries);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<Entry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            // The message, every structured value (a JSON writer would print them all), and the whole exception.
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(" ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            entries.Enqueue(new Entry(logLevel, category, $"{formatter(state, exception)} {values} {exception}"));
        }
    }
}

/// <summary>The host in Production configuration, its log captured.</summary>
public sealed class LoggedProductionFixture : ProductionFixture
{
    public CapturedLog Log { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(logging => logging.AddProvider(Log));
    }
}

/// <summary>No personal or health data in the log, whatever happens on the way.</summary>
public sealed class LogCaptureTests(LoggedProductionFixture service) : IClassFixture<LoggedProductionFixture>
{
    [Fact]
    public async Task A_whole_journey_with_bad_inputs_and_failures_logs_none_of_the_participants_identifying_strings_or_free_text()
    {
        var person = Person.Distinctive();
        var marker = Guid.NewGuid().ToString("N")[..10];
        var freeText = new[]
        {
            $"Reason {marker}: panic at work", $"Hopes {marker}: sleep again", $"Sign {marker}: laughing", $"Exception {marker}: Sunday walks",
            $"Step {marker}: call my sister", $"Note {marker}: spoke about the divorce", $"Withdrawn {marker}: moved to Leeds",
            $"Decline {marker}: not local", $"Bad {marker}: postcode",
        };
        var scenario = new Scenario(service);
        var (_, partner) = await scenario.Partner();
        var caseworker = await scenario.Caseworker();

        // Bad inputs, carrying the person's details: a field the API does not take, a bad postcode, a forged status.
        var bad = await partner.PostAsJsonAsync("/api/v1/referrals", new
        {
            partnerReference = $"LOG-{marker}", person = new { person.GivenName, person.FamilyName, person.DateOfBirth, postcode = freeText[8], person.Email },
            reason = freeText[0], status = "accepted", consent = new { given = true, recordedAt = "2026-11-01T10:00:00Z", recordedBy = "A. Caseworker" },
        });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await partner.PostAsync("/api/v1/referrals",
            new StringContent($"{{\"person\": {{\"givenName\": \"{person.GivenName}\", ", System.Text.Encoding.UTF8, "application/json"))).StatusCode);

        // The referral, then the same person again: the known-person insert that once logged the whole batch at error level.
        var participant = await scenario.Referred(person, freeText[0], partner);
        var again = await scenario.Referred(person, freeText[0], partner);
        Assert.Equal(participant.ParticipantId, again.ParticipantId);
        Assert.Equal(HttpStatusCode.OK, (await caseworker.PostAsJsonAsync($"/api/v1/referrals/{again.ReferralId}/decline",
            new { reason = freeText[7], signpostedTo = freeText[7] })).StatusCode);

        await participant.Accepted();
        var assigned = await participant.Assigned();
        var practitioner = assigned.Practitioner!;
        var scheduled = await Scenario.Expect(await practitioner.PostAsJsonAsync($"/api/v1/participants/{participant.ParticipantId}/conversations",
            new { scheduledFor = service.Clock.GetUtcNow().AddDays(1), mode = "phone" }), HttpStatusCode.Created);
        var conversationId = scheduled.GetProperty("conversationId").GetGuid();

        // A record the service refuses (a scale out of range), then one with a risk disclosed, raising a safeguarding concern.
        Assert.Equal(HttpStatusCode.BadRequest, (await practitioner.PostAsJsonAsync($"/api/v1/conversations/{conversationId}/record", new
        {
            attended = true, bestHopes = freeText[1], scale = 42, notes = freeText[5], riskDisclosed = false, durationMinutes = 45,
        })).StatusCode);
        await service.WaitForMessages(async () => await Scenario.Expect(await practitioner.PostAsJsonAsync($"/api/v1/conversations/{conversationId}/record", new
        {
            attended = true, bestHopes = freeText[1], preferredFutureSigns = new[] { freeText[2] }, scale = 3, exceptions = freeText[3],
            onePointUp = freeText[2], nextSmallStep = freeText[4], notes = freeText[5], riskDisclosed = true, durationMinutes = 45,
        }), HttpStatusCode.OK));

        // Reads, including one by a practitioner who does not hold the participant.
        Assert.Equal(HttpStatusCode.OK, (await practitioner.GetAsync($"/api/v1/conversations/{conversationId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await caseworker.GetAsync($"/api/v1/participants/{participant.ParticipantId}")).StatusCode);
        var (_, stranger) = await scenario.ClearedPractitioner();
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/v1/participants/{participant.ParticipantId}/conversations")).StatusCode);

        // A failure between a write's commit and its answer (a 500), then the episode's end.
        service.Faults.FailNextAfterCommit();
        Assert.Equal(HttpStatusCode.InternalServerError, (await caseworker.PostAsJsonAsync($"/api/v1/participants/{participant.ParticipantId}/questionnaires",
            new { instrument = "PHQ-9", timepoint = "session", answers = new[] { 2, 2, 2, 1, 1, 1, 1, 1, 0 }, administeredAt = service.Clock.GetUtcNow() })).StatusCode);
        await assigned.Ended();
        var withdrawn = await scenario.Referred(Person.Unique(), freeText[6], partner);
        Assert.Equal(HttpStatusCode.OK, (await partner.PostAsJsonAsync($"/api/v1/referrals/{withdrawn.ReferralId}/withdraw", new { reason = freeText[6] })).StatusCode);

        var entries = service.Log.Entries;
        Assert.NotEmpty(entries);
        var secrets = person.IdentifyingStrings.Append(person.Postcode).Append(marker).ToArray();
        var leaks = entries.SelectMany(e => secrets.Where(s => e.Text.Contains(s, StringComparison.OrdinalIgnoreCase))
            .Select(s => $"{e.Level} {e.Category}: '{s}' in {e.Text[..Math.Min(400, e.Text.Length)]}")).ToList();
        Assert.True(leaks.Count == 0, string.Join("\n", leaks));

        // The expected refusals (bad input, the known person, the stranger) are not errors: only the injected fault is.
        var errors = entries.Where(e => e.Level >= LogLevel.Error).ToList();
        Assert.True(errors.All(e => e.Text.Contains("after commit", StringComparison.OrdinalIgnoreCase) || e.Text.Contains(nameof(CommitFaults), StringComparison.Ordinal)),
            string.Join("\n", errors.Select(e => $"{e.Level} {e.Category}: {e.Text[..Math.Min(400, e.Text.Length)]}")));
    }
}
