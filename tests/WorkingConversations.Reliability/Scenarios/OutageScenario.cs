using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using WorkingConversations.ProcessRig;
using WorkingConversations.Reliability.Checks;
using WorkingConversations.Reliability.Client;
using WorkingConversations.Reliability.Harness;
using WorkingConversations.Reliability.Load;

namespace WorkingConversations.Reliability.Scenarios;

/// <summary>
/// PostgreSQL is stopped under the mixed load and started again. While it is away every request must get a 503 problem
/// with Retry-After (never a 500) and readiness must say unhealthy; once it is back, writes must succeed within the
/// target, nothing acknowledged may be lost, and the outbox and the daemon must catch up.
/// </summary>
public static class OutageScenario
{
    public const string Name = "Database outage";

    public static async Task RunAsync(ThrowAwayCluster cluster, HarnessOptions options, Report report)
    {
        await using var service = await ServiceUnderTest.StartAsync(cluster, options, "outage");
        var load = new MixedLoad(service.Client, service.Actors, CrashScenario.RunTag(new Random(options.Seed + 1)));
        using var stop = new CancellationTokenSource();
        var running = load.RunAsync(options.Workers, stop.Token);
        await Task.Delay(TimeSpan.FromSeconds(4));

        // Every answer while the database is away, and readiness probed alongside.
        var during = new ConcurrentQueue<Reply>();
        var down = false;
        service.Client.Answered += (_, reply, _) =>
        {
            if (Volatile.Read(ref down)) during.Enqueue(reply);
        };
        var readiness = new ConcurrentQueue<(TimeSpan At, int Status)>();
        using var probing = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        var probe = Task.Run(async () =>
        {
            while (!probing.IsCancellationRequested)
            {
                var r = await service.Api.SendAsync(service.Nodes.Pick(), new Call(HttpMethod.Get, "/health/ready", null));
                readiness.Enqueue((clock.Elapsed, r.Status));
                await Task.Delay(250);
            }
        });

        cluster.StopServer();
        var stoppedAt = clock.Elapsed;
        Volatile.Write(ref down, true);
        await Task.Delay(options.OutageLength);
        Volatile.Write(ref down, false);
        var startingAt = clock.Elapsed;
        await cluster.StartServerAsync();
        var backAt = clock.Elapsed;

        // The first write that succeeds once the database is back: a new referral, tried every 100 ms.
        TimeSpan? firstWrite = null;
        for (var i = 0; clock.Elapsed - backAt < TimeSpan.FromSeconds(60); i++)
        {
            var reply = await service.Api.SendAsync(service.Nodes.Pick(), new Call(HttpMethod.Post, "/api/v1/referrals", service.Actors.PartnerKey, Api.Json(new
            {
                partnerReference = $"probe-{i}",
                person = new { givenName = "Probe", familyName = "Person" + (char)('a' + i % 26) + (char)('a' + i / 26 % 26), dateOfBirth = "1980-01-01" },
                reason = "Probe after the outage",
                consent = new { given = true },
            }), $"probe-{i}"));
            if (reply.Status == 201)
            {
                firstWrite = clock.Elapsed - backAt;
                break;
            }

            await Task.Delay(100);
        }

        // The load runs on for a while on the returned database, then everything is let to settle.
        await Task.Delay(TimeSpan.FromSeconds(5));
        await stop.CancelAsync();
        await running;
        var settled = await service.Downstream.WaitAsync(await service.Downstream.ExpectedNowAsync(load.Cases), TimeSpan.FromSeconds(120));
        await probing.CancelAsync();
        await probe;

        var answers = during.ToArray();
        var unavailable = answers.Where(r => r.Status == 503).ToArray();
        var fiveHundreds = answers.Where(r => r.Status >= 500 && r.Status != 503).ToArray();
        var unanswered = answers.Where(r => !r.Answered).ToArray();
        var otherwise = answers.Where(r => r.Answered && r.Status < 500).ToArray();
        report.Figure(Name, "database stopped for", $"{options.OutageLength.TotalSeconds:0} s (pg_ctl stop -m fast, then start)");
        report.Figure(Name, "answers while it was away", $"{answers.Length}: {unavailable.Length} × 503, {fiveHundreds.Length} × other 5xx, " +
                                                           $"{otherwise.Length} × below 500, {unanswered.Length} unanswered");
        report.Check(Name, "while it is away, requests get 503 problems with Retry-After, never 500",
            fiveHundreds.Length == 0 && unanswered.Length == 0 && unavailable.All(r => r.IsProblem && r.RetryAfter is not null) && unavailable.Length > 0,
            $"{unavailable.Length} × 503 ({unavailable.Count(r => r.IsProblem && r.RetryAfter is not null)} problem+json with Retry-After), " +
            $"{fiveHundreds.Length} other 5xx, {unanswered.Length} unanswered" + (fiveHundreds.Length > 0 ? $"; e.g. {fiveHundreds[0]}" : ""));

        // Readiness may still say healthy in the first second: a check that began before the stop.
        var probesDown = readiness.Where(p => p.At > stoppedAt + TimeSpan.FromSeconds(1) && p.At < startingAt).ToArray();
        report.Check(Name, "while it is away, /health/ready says unhealthy", probesDown.Length > 0 && probesDown.All(p => p.Status == 503),
            $"{probesDown.Length} probes: {string.Join(", ", probesDown.GroupBy(p => p.Status).Select(g => $"{g.Count()} × {g.Key}"))}");
        var readyAgain = readiness.Where(p => p.At > backAt && p.Status == 200).Select(p => p.At - backAt).Cast<TimeSpan?>().FirstOrDefault();
        report.Figure(Name, "database back until /health/ready says healthy", readyAgain is { } ra ? $"{ra.TotalSeconds:0.0} s" : "not seen");
        report.Figure(Name, "database back until the first write succeeded", firstWrite is { } fw ? $"{fw.TotalSeconds:0.0} s" : "none within 60 s");
        report.Check(Name, $"within {options.OutageRecoveryTarget.TotalSeconds:0} s of its return, writes succeed again",
            firstWrite is { } w && w <= options.OutageRecoveryTarget, firstWrite is { } f ? $"{f.TotalSeconds:0.0} s" : "no write succeeded within 60 s");
        report.Figure(Name, "load stopped until the outbox and the daemon had caught up",
            settled.Took is { } t ? $"{t.TotalSeconds:0.0} s" : "not within 120 s");
        report.Check(Name, "the outbox and the daemon catch up", settled.Took is not null,
            settled.Took is { } s ? $"all downstream work done {s.TotalSeconds:0.0} s after the load stopped" : string.Join(", ", settled.Outstanding));

        await ExactlyOnce.CheckAsync(Name, report, service.Store, service.Ledger, load.Cases, service.Receiver);
        await CrashScenario.CheckLogAsync(Name, report, service);
    }
}
