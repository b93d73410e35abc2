using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using WorkingConversations.Testing;

namespace WorkingConversations.Referrals.Tests.Api;

/// <summary>
/// The host as it runs in service: Production, Kestrel on a loopback port, the outcome projection asynchronous (its
/// default), and every line it logs kept, so a test can say what an operator would read.
/// </summary>
public sealed class ProductionLogFixture : ServiceFixture
{
    public LogCapture Log { get; } = new();

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Outcomes:EpisodeProjection"] = "Async",
        ["Referrals:MatchKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        ["Referrals:IdentityEncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        ["Journey:AuditKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        // The one change to Production's logging: the write step's own debug line, which says when a write was refused by
        // the database and decided again.
        [$"Logging:LogLevel:{typeof(WorkingConversations.BuildingBlocks.Writing.WriteStep).FullName}"] = "Debug",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment("Production");
    }

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<ILoggerProvider>(Log);

    // The in-memory test server logs a warning of its own for every request with a body limit (it has no such feature).
    protected override void StartHost()
    {
        UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        StartServer();
        ClientOptions.BaseAddress = new Uri(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }
}

/// <summary>Every line the host logs, with its level and category, at the levels its configuration lets through.</summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<(int Index, LogLevel Level, string Category, string Message)> _lines = new();
    private int _count;

    public int Count => Volatile.Read(ref _count);

    /// <summary>The lines logged since <paramref name="from"/> (a <see cref="Count"/> taken earlier) at or above a level.</summary>
    public string[] Since(int from, LogLevel level) =>
        [.. _lines.Where(l => l.Index >= from && l.Level >= level).Select(l => $"{l.Level} {l.Category}: {l.Message}")];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private void Add(LogLevel level, string category, string message) =>
        _lines.Enqueue((Interlocked.Increment(ref _count) - 1, level, category, message));

    private sealed class Logger(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            capture.Add(logLevel, category, formatter(state, exception) + (exception is null ? "" : $" ({exception.GetType().Name})"));
    }
}

/// <summary>A person the service knows is found in one query and their referral joins their journey: no refused insert, nothing in the log.</summary>
public sealed class KnownPersonIntakeTests(ProductionLogFixture service) : IClassFixture<ProductionLogFixture>
{
    [Fact]
    public async Task A_known_persons_referral_joins_their_open_episode_and_the_host_logs_no_warning_or_error_for_it()
    {
        var (_, partner) = await service.NewPartner();
        var (caseworker, _, _) = await service.ClientFor("caseworker");
        var nhs = People.NhsNumber();
        var first = await partner.Created(People.Referral(nhsNumber: nhs));
        await UntilEveryProjectionHasCaughtUp();
        var from = service.Log.Count;

        var again = await partner.Created(People.Referral(nhsNumber: nhs));
        // Until the asynchronous projections have read past the referral: a gap left in the event sequence by a refused
        // write would be waited on and skipped with a warning by then.
        await UntilEveryProjectionHasCaughtUp();

        Assert.Equal(first.Id("participantId"), again.Id("participantId"));
        var attached = await caseworker.GetFromJsonAsync<JsonElement>($"/api/v1/referrals/{again.Id()}");
        Assert.True(attached.GetProperty("attachedToOpenEpisode").GetBoolean());
        Assert.Equal(1, attached.GetProperty("episodeNumber").GetInt32());
        var warnings = service.Log.Since(from, LogLevel.Warning);
        Assert.True(warnings.Length == 0, string.Join('\n', warnings));
        // Decided in one attempt: not first refused by the match-key indexes as a new person and then decided again.
        var races = service.Log.Since(from, LogLevel.Debug).Where(l => l.Contains("lost a race", StringComparison.Ordinal)).ToArray();
        Assert.True(races.Length == 0, string.Join('\n', races));
    }

    [Fact]
    public async Task Two_referrals_of_the_same_new_person_at_the_same_moment_are_both_recorded_for_one_participant()
    {
        var (_, partner) = await service.NewPartner();
        var familyName = People.FamilyName();

        // No NHS number: the name, date of birth and postcode are what match.
        var responses = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ =>
            partner.PostAsJsonAsync("/api/v1/referrals", People.Referral(familyName: familyName, nhsNumber: null))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var created = await Task.WhenAll(responses.Select(async r => await r.Content.ReadFromJsonAsync<JsonElement>()));
        Assert.Single(created.Select(c => c.Id("participantId")).Distinct());
        Assert.Equal(1, await IdentitiesWithTheMatchKeyOf(created[0].Id("participantId")));
    }

    /// <summary>How many identities the store holds under the participant's demographic match key.</summary>
    private async Task<long> IdentitiesWithTheMatchKeyOf(Guid participantId)
    {
        await using var connection = new NpgsqlConnection(service.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            select count(*) from referrals.mt_doc_participantidentity
            where data ->> 'DemographicKey' = (select data ->> 'DemographicKey' from referrals.mt_doc_participantidentity where id = @id)
            """, connection);
        command.Parameters.AddWithValue("id", participantId);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task UntilEveryProjectionHasCaughtUp()
    {
        await using var connection = new NpgsqlConnection(service.ConnectionString);
        await connection.OpenAsync();
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            await using var command = new NpgsqlCommand("""
                select coalesce((select min(last_seq_id) from events.mt_event_progression where name like '%:%'), 0)
                    >= (select max(seq_id) from events.mt_events)
                """, connection);
            if ((bool)(await command.ExecuteScalarAsync())!) return;
            Assert.True(DateTime.UtcNow < deadline, "The asynchronous projections did not catch up within two minutes.");
            await Task.Delay(100);
        }
    }
}
