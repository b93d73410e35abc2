using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using WorkingConversations.ProcessRig;
using WorkingConversations.Reliability.BadInput;
using WorkingConversations.Reliability.Checks;
using WorkingConversations.Reliability.Client;
using WorkingConversations.Reliability.Harness;
using WorkingConversations.Reliability.Load;

namespace WorkingConversations.Reliability.Scenarios;

/// <summary>
/// Requests generated from the OpenAPI document for every route, each wrong in one way. None may get a 5xx, every error
/// must be an RFC 9457 problem, and a rejected write must leave the journey tables exactly as they were.
/// </summary>
public static class BadInputScenario
{
    public const string Name = "Bad input";

    /// <summary>Tables a rejected request may touch without changing what is stored: the audit of reads, keys' last use.</summary>
    private static readonly string[] NotJourney = ["journey.mt_doc_journeyread", "access.mt_doc_apikey", "public.mt_hilo", "events.mt_event_progression"];

    public static async Task RunAsync(ThrowAwayCluster cluster, HarnessOptions options, Report report)
    {
        await using var service = await ServiceUnderTest.StartAsync(cluster, options, "badinput");
        var actors = service.Actors;
        var load = new MixedLoad(service.Client, actors, CrashScenario.RunTag(new Random(options.Seed + 2)));
        for (var i = 0; i < 4; i++) await load.RunCaseAsync();
        var known = load.Cases.FirstOrDefault(c => c.Held) ?? throw new InvalidOperationException(
            "No person got through the journey to set up the bad inputs: " + string.Join("; ", load.Cases.Select(c => c.Stopped)));
        // A referral still waiting for triage, a spare volunteer and a spare key: the routes that change them get real ids.
        var waiting = await Actors.Must(service.Client, new Call(HttpMethod.Post, "/api/v1/referrals", actors.PartnerKey, Api.Json(new
        {
            partnerReference = "waiting-1", person = new { givenName = "Wai", familyName = "Ting", dateOfBirth = "1970-02-02" }, reason = "Waiting", consent = new { given = true },
        })));
        var volunteer = (await Actors.Must(service.Client, new Call(HttpMethod.Post, "/api/v1/volunteers", actors.TrainerKey,
            Api.Json(new { givenName = "Spare", familyName = "Volunteer", email = "spare@example.org", programme = "apprentice" })))).GetProperty("id").GetGuid();
        var spareKey = (await Actors.Must(service.Client, new Call(HttpMethod.Post, "/api/v1/api-keys", actors.AdminKey,
            Api.Json(new { role = "analyst", name = "spare" })))).GetProperty("id").GetGuid();
        var concerns = await Actors.Must(service.Client, new Call(HttpMethod.Get, "/api/v1/safeguarding/concerns", actors.CaseworkerKey));
        var concern = concerns.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()).FirstOrDefault();
        var curriculum = await Actors.Must(service.Client, new Call(HttpMethod.Get, "/api/v1/training/curriculum", actors.TrainerKey));
        var module = FirstCode(curriculum);
        await service.Downstream.WaitAsync(await service.Downstream.ExpectedNowAsync(load.Cases), TimeSpan.FromSeconds(60));

        string PathValue(Route route, string name) => (route.Template, name) switch
        {
            (_, "code") => module,
            (var t, _) when t.StartsWith("/api/v1/referrals/", StringComparison.Ordinal) => waiting.GetProperty("id").GetGuid().ToString(),
            (var t, _) when t.StartsWith("/api/v1/participants/", StringComparison.Ordinal) => known.ParticipantId!.Value.ToString(),
            (var t, _) when t.StartsWith("/api/v1/conversations/", StringComparison.Ordinal) => known.ConversationId!.Value.ToString(),
            (var t, _) when t.StartsWith("/api/v1/practitioners/", StringComparison.Ordinal) => actors.Practitioners[0].Id.ToString(),
            (var t, _) when t.StartsWith("/api/v1/safeguarding/", StringComparison.Ordinal) => concern.ToString(),
            (var t, _) when t.StartsWith("/api/v1/volunteers/", StringComparison.Ordinal) => volunteer.ToString(),
            (var t, _) when t.StartsWith("/api/v1/api-keys/", StringComparison.Ordinal) => spareKey.ToString(),
            (var t, "name") when t.Contains("/projections/", StringComparison.Ordinal) => "EpisodeOutcome",
            _ => Guid.NewGuid().ToString(),
        };

        var document = (await service.Api.SendAsync(service.Nodes.Pick(), new Call(HttpMethod.Get, "/swagger/v1/swagger.json", null))).Json;
        var generator = new RequestGenerator(JsonNode.Parse(document.GetRawText())!.AsObject(), PathValue);
        var routes = generator.Routes();

        // The key each route takes: the first role it does not refuse.
        var keys = new Dictionary<string, string?>();
        string[] candidates = [actors.AdminKey, actors.CaseworkerKey, actors.PartnerKey, actors.Practitioners[0].Key, actors.TrainerKey, actors.AnalystKey];
        foreach (var route in routes)
        {
            string? chosen = null;
            // The FHIR routes answer the all-zero id before they check the role: probing would pick the first key.
            foreach (var key in IsFhir(route) ? [actors.PartnerKey] : candidates)
            {
                // The empty id and a body that is not JSON: refused after the role is checked, so the probe changes nothing.
                var probe = await service.Api.SendAsync(service.Nodes.Pick(), new Call(route.Method,
                    generator.Path(route, _ => Guid.Empty.ToString()), key, route.Method == HttpMethod.Get || route.Method == HttpMethod.Delete ? null : "not json"));
                if (probe.Status is not (401 or 403))
                {
                    chosen = key;
                    break;
                }
            }

            keys[route.ToString()] = chosen;
        }

        var all = routes.SelectMany(r => generator.For(r, x => keys[x.ToString()])).ToList();
        var chosenRequests = Choose(all, options.BadInputs, new Random(options.Seed));

        var fingerprint = await FingerprintAsync(service.Store);
        var rows = await service.Store.SnapshotAsync(Store.ModuleSchemas.Append("events").ToArray(), NotJourney);
        var serverErrors = new List<string>();
        var notProblems = new List<string>();
        var refusedByServer = new List<string>();
        var changedByRejected = new List<string>();
        var statuses = new Dictionary<int, int>();
        var rejectedWrites = 0;
        var accepted = 0;
        foreach (var bad in chosenRequests)
        {
            // Each bad request on a connection of its own: a refusal may end its connection (a server need not read a body
            // it refuses), and a pooled connection the server has just closed would leave the next request unanswered
            // through no fault of the server's.
            var reply = await service.Api.SendAsync(service.Nodes.Pick(), bad.Call with
            {
                Headers = new Dictionary<string, string>(bad.Call.Headers ?? new Dictionary<string, string>()) { ["Connection"] = "close" },
            });
            statuses[reply.Status] = statuses.GetValueOrDefault(reply.Status) + 1;
            var what = $"{bad.Route} with {bad.Flaw}: {reply}";
            if (!reply.Answered || reply.Status >= 500) serverErrors.Add(what);
            else if (reply.IsRefusedByServer) refusedByServer.Add($"{bad.Flaw.Split(':')[^1].Trim()} ({reply.Status})");
            else if (reply.Status >= 400 && !(IsFhir(bad.Route) ? reply.IsOperationOutcome : reply.IsProblem)) notProblems.Add($"{what} ({reply.ContentType ?? "no content type"})");

            var write = bad.Call.Method != HttpMethod.Get;
            if (reply.Succeeded)
            {
                accepted++;
                if (!write) continue;
                // An accepted write changes the journey (and what follows from it): the baseline is taken again once it settles.
                await Quiet(service);
                fingerprint = await FingerprintAsync(service.Store);
                rows = await service.Store.SnapshotAsync(Store.ModuleSchemas.Append("events").ToArray(), NotJourney);
            }
            else if (write)
            {
                rejectedWrites++;
                var after = await FingerprintAsync(service.Store);
                if (after != fingerprint)
                {
                    var now = await service.Store.SnapshotAsync(Store.ModuleSchemas.Append("events").ToArray(), NotJourney);
                    changedByRejected.Add($"{bad.Route} with {bad.Flaw}: {reply.Status} (changed: {string.Join("; ", Store.Differences(rows, now))})");
                    await Quiet(service);
                    fingerprint = await FingerprintAsync(service.Store);
                    rows = await service.Store.SnapshotAsync(Store.ModuleSchemas.Append("events").ToArray(), NotJourney);
                }
            }
        }

        var covered = chosenRequests.Select(r => r.Route.ToString()).Distinct().Count();
        report.Figure(Name, "routes in the OpenAPI document", routes.Count.ToString(CultureInfo.InvariantCulture));
        report.Figure(Name, "wrong requests generated", all.Count.ToString(CultureInfo.InvariantCulture));
        report.Figure(Name, "bad inputs tried", $"{chosenRequests.Count} over {covered} routes");
        report.Figure(Name, "answers", string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Value} × {(s.Key == 0 ? "none" : s.Key)}")));
        report.Figure(Name, "5xx seen", serverErrors.Count.ToString(CultureInfo.InvariantCulture));
        report.Figure(Name, "accepted (2xx): the spoiled part was optional or harmless", accepted.ToString(CultureInfo.InvariantCulture));
        report.Check(Name, $"at least {Math.Min(options.BadInputs, 1000)} bad inputs over every route", chosenRequests.Count >= Math.Min(options.BadInputs, 1000) && covered == routes.Count,
            $"{chosenRequests.Count} requests over {covered} of {routes.Count} routes");
        report.Check(Name, "no 5xx, and every request answered", serverErrors.Count == 0,
            serverErrors.Count == 0 ? "none" : $"{serverErrors.Count}, e.g. " + string.Join(" | ", serverErrors.Take(5)));
        report.Figure(Name, "refused by Kestrel before reaching the application (no body)", refusedByServer.Count == 0 ? "none"
            : $"{refusedByServer.Count}: " + string.Join(", ", refusedByServer.GroupBy(r => r).Select(g => $"{g.Key} × {g.Count()}")));
        report.Check(Name, "every error the application answers is application/problem+json (an OperationOutcome on the FHIR routes)", notProblems.Count == 0,
            notProblems.Count == 0 ? "all" : $"{notProblems.Count} not, e.g. " + string.Join(" | ", notProblems.Take(5)));
        report.Check(Name, "a rejected write changes no row of the journey tables", changedByRejected.Count == 0,
            $"{rejectedWrites} rejected writes checked (row counts and a digest of every row); " +
            (changedByRejected.Count == 0 ? "none changed anything" : $"{changedByRejected.Count} did, e.g. " + string.Join(" | ", changedByRejected.Take(3))));
    }

    /// <summary>The FHIR routes answer errors as FHIR does, with an OperationOutcome (docs/modules/referrals.md, FHIR intake).</summary>
    private static bool IsFhir(Route route) => route.Template.StartsWith("/fhir/", StringComparison.Ordinal);

    /// <summary>Up to <paramref name="count"/> requests, taken from every route in turn so that each route is covered.</summary>
    private static List<BadRequest> Choose(List<BadRequest> all, int count, Random random)
    {
        var byRoute = all.GroupBy(r => r.Route.ToString()).Select(g => new Queue<BadRequest>(g.OrderBy(_ => random.Next()))).ToList();
        var chosen = new List<BadRequest>();
        while (chosen.Count < count && byRoute.Any(q => q.Count > 0))
        {
            foreach (var queue in byRoute.Where(q => q.Count > 0))
            {
                if (chosen.Count >= count) break;
                chosen.Add(queue.Dequeue());
            }
        }

        return chosen;
    }

    /// <summary>
    /// Waits until what an accepted request set going is done: its messages, the daemon's folding, and a projection
    /// rebuild or pause the operations routes accepted (a rebuild empties the projection and fills it again).
    /// </summary>
    private static async Task Quiet(ServiceUnderTest service)
    {
        for (var i = 0; i < 300; i++)
        {
            var projections = await service.Api.SendAsync(service.Nodes.Pick(), new Call(HttpMethod.Get, "/api/v1/admin/projections", service.Actors.AdminKey));
            var settled = projections.Succeeded && projections.Json.GetProperty("projections").EnumerateArray().All(p =>
                p.GetProperty("state").GetString() is "running" or "paused" or "stopped" &&
                (p.GetProperty("state").GetString() != "running" || p.GetProperty("behindEvents").GetInt64() == 0));
            if (settled && await service.Store.MessagesInFlightAsync() == 0) return;
            await Task.Delay(100);
        }
    }

    /// <summary>Row counts and a digest of every row of the journey tables: the events, the streams and every module document.</summary>
    private static async Task<string> FingerprintAsync(Store store)
    {
        await using var connection = new NpgsqlConnection(store.ConnectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("""
            select table_schema || '.' || table_name from information_schema.tables
            where table_schema = any(@schemas) and table_type = 'BASE TABLE' order by 1
            """, connection))
        {
            list.Parameters.AddWithValue("schemas", Store.ModuleSchemas.Append("events").ToArray());
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        }

        var parts = new List<string>();
        foreach (var table in tables.Where(t => !NotJourney.Contains(t)))
        {
            await using var digest = new NpgsqlCommand(
                $"select count(*)::text || ':' || coalesce(md5(string_agg(x, '' order by x)), '') from (select md5((to_jsonb(t) - 'mt_last_modified' - 'mt_version')::text) x from {table} t) s",
                connection);
            parts.Add($"{table}={await digest.ExecuteScalarAsync()}");
        }

        return string.Join(";", parts);
    }

    private static string FirstCode(JsonElement curriculum)
    {
        var modules = curriculum.ValueKind == JsonValueKind.Array ? curriculum : curriculum.GetProperty("items");
        return modules.EnumerateArray().First().GetProperty("code").GetString()!;
    }
}
