using System.Diagnostics;
using JasperFx.CommandLine;
using Marten;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using Spectre.Console;

namespace WorkingConversations.Host.Demo;

public sealed class DemoInput : NetCoreInput
{
    [Description("What to do: seed")]
    public string Action { get; set; } = "seed";

    [Description("How many participants to refer (default 2000)")]
    [FlagAlias("participants")]
    public int ParticipantsFlag { get; set; } = 2000;

    [Description("The seed: the same seed gives the same data (default 42)")]
    [FlagAlias("seed")]
    public int SeedFlag { get; set; } = 42;

    [Description("How many participants move at once within a simulated day (default 8)")]
    [FlagAlias("concurrency")]
    public int ConcurrencyFlag { get; set; } = 8;
}

/// <summary>
/// Fills the database with realistic journeys through the real HTTP write path: the service is started on a loopback
/// port of its own with a simulated clock, and every step is the call a partner, caseworker, trainer or practitioner
/// would make. Days are played in order, so waits, follow-ups and endings fall over a year and a half.
/// </summary>
[Description("Demo data: demo seed --participants 20000 --seed 42", Name = "demo")]
public sealed class DemoCommand : JasperFxAsyncCommand<DemoInput>
{
    public override async Task<bool> Execute(DemoInput input)
    {
        if (input.Action != "seed")
        {
            AnsiConsole.MarkupLine("[red]Only 'demo seed' is known.[/]");
            return false;
        }

        await SeedAsync(input);
        return true;
    }

    /// <summary>
    /// Seeds the database the service is configured with; <paramref name="settings"/> add to (or override) that
    /// configuration. Returns the requests the service refused, by what they were.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, int>> SeedAsync(DemoInput input, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var clock = new DemoClock();
        var firstDay = DateTimeOffset.UtcNow.Date.AddDays(-DemoScenario.Days);
        clock.Set(firstDay);
        var adminKey = "wc_demo-admin-" + Guid.NewGuid().ToString("N");

        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Auth:BootstrapAdminKey"] = adminKey,
            ["RateLimiting:PermitsPerWindow"] = "100000000",
            // The demo's partners refer years of people in minutes.
            ["RateLimiting:Referrals:PermitsPerWindow"] = "100000000",
            ["RateLimiting:Referrals:InFlight"] = "1000",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
        builder.AddWorkingConversations(ModuleList.Composed);
        builder.Services.RemoveAll<TimeProvider>();
        builder.Services.AddSingleton<TimeProvider>(clock);
        await using var app = builder.Build();
        app.UseWorkingConversations(ModuleList.Composed);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        using var client = new HttpClient { BaseAddress = new Uri(address) };
        var context = new DemoContext(client, clock) { AdminKey = adminKey };
        var participants = Math.Max(1, input.ParticipantsFlag);
        var practitioners = Math.Clamp(participants / 4, 5, 5000);
        var stopwatch = Stopwatch.StartNew();

        await AnsiConsole.Status().StartAsync($"Training {practitioners} volunteers and apprentices", _ => context.SetUpActors(DemoPartners.Names.Length, practitioners, input.SeedFlag));
        var steps = Enumerable.Range(0, participants)
            .SelectMany(n => DemoScenario.Participant(input.SeedFlag, n, DemoPartners.Names.Length))
            .GroupBy(s => s.Day)
            .OrderBy(g => g.Key)
            .ToList();
        var total = steps.Sum(g => g.Count());

        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask($"{participants} journeys, {total} steps", maxValue: total);
                foreach (var day in steps)
                {
                    clock.Set(firstDay.AddDays(day.Key).AddHours(9));
                    // Within a day each participant's steps run in order; participants run side by side.
                    await Parallel.ForEachAsync(day.GroupBy(s => s.Participant), new ParallelOptions { MaxDegreeOfParallelism = input.ConcurrencyFlag }, async (journey, _) =>
                    {
                        foreach (var step in journey.OrderBy(s => s.Order))
                        {
                            await step.Run(context);
                            task.Increment(1);
                        }
                    });
                }
            });

        await AnsiConsole.Status().StartAsync("Waiting for the service's background work to finish", _ => WaitForMessagesHandled(app.Services));
        foreach (var (type, count) in await DeadLetters(app.Services))
            context.Failures.AddOrUpdate($"{type} (dead letter)", count, (_, v) => v + count);
        AnsiConsole.MarkupLine($"Seeded {participants} participants with seed {input.SeedFlag} in {stopwatch.Elapsed.TotalSeconds:0} s.");
        foreach (var (what, count) in context.Failures.OrderByDescending(f => f.Value))
            AnsiConsole.MarkupLine($"  [yellow]{count} refused[/]: {Markup.Escape(what)}");
        await app.StopAsync();
        return context.Failures;
    }

    /// <summary>
    /// A request's answer does not wait for what its messages set off (a safeguarding concern from a risk answer, an
    /// episode opening, a retry after a lost race). Stopping the host with those still in the durable inbox would leave
    /// the seeded journeys short until the service next starts, and two seeds with the same number would differ. So the
    /// seed ends when the inbox and outbox are empty, leaving only messages scheduled for later (follow-ups months away).
    /// </summary>
    private static async Task WaitForMessagesHandled(IServiceProvider services)
    {
        var store = services.GetRequiredService<IDocumentStore>();
        var limit = Stopwatch.StartNew();
        while (limit.Elapsed < TimeSpan.FromMinutes(3))
        {
            await using var connection = store.Storage.Database.CreateConnection();
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"""
                select (select count(*) from {HostSetup.MessagesSchema}.wolverine_incoming_envelopes
                        where status = 'Incoming' or status = 'Scheduled' and execution_time < now() + interval '1 minute')
                     + (select count(*) from {HostSetup.MessagesSchema}.wolverine_outgoing_envelopes)
                """, connection);
            if ((long)(await command.ExecuteScalarAsync())! == 0) return;
            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }

        AnsiConsole.MarkupLine("[yellow]Some messages were still being handled after 3 minutes; the service handles them when it next starts.[/]");
    }

    /// <summary>Messages the service gave up on while seeding, by type: each is a journey the seed left short.</summary>
    private static async Task<IReadOnlyList<(string Type, int Count)>> DeadLetters(IServiceProvider services)
    {
        await using var connection = services.GetRequiredService<IDocumentStore>().Storage.Database.CreateConnection();
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"select message_type, count(*)::int from {HostSetup.MessagesSchema}.wolverine_dead_letters group by message_type", connection);
        var letters = new List<(string, int)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) letters.Add((reader.GetString(0), reader.GetInt32(1)));
        return letters;
    }
}
