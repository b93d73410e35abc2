using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;
using WorkingConversations.ProcessRig;

/// <summary>
/// pg_stat_statements on the benchmark's own cluster: what each intake run's statements cost at the server, per referral,
/// grouped into families and split between the request's own statements and the projection daemon's (with Wolverine's
/// background work and the benchmark's own polling apart). Execution time is the server's time in the statement,
/// waits included (a COMMIT's is mostly its WAL flush), so it says where the database's work goes, not its CPU alone.
/// </summary>
internal sealed partial class StatementStats(Database database)
{
    public static async Task<StatementStats> EnableAsync(ThrowAwayCluster cluster, Database database)
    {
        await using (var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(cluster.ServerConnectionString) { Pooling = false }.ConnectionString))
        {
            await connection.OpenAsync();
            await new NpgsqlCommand("alter system set shared_preload_libraries = 'pg_stat_statements'", connection).ExecuteNonQueryAsync();
        }

        NpgsqlConnection.ClearAllPools();
        cluster.StopServer();
        await cluster.StartServerAsync();
        await using (var connection = new NpgsqlConnection(database.ConnectionString))
        {
            await connection.OpenAsync();
            await new NpgsqlCommand("create extension if not exists pg_stat_statements", connection).ExecuteNonQueryAsync();
            // Statements inside functions and triggers too (toplevel = false): what the report-cell triggers cost. The
            // library's settings exist only once it is loaded, so this follows the restart.
            await new NpgsqlCommand("alter system set pg_stat_statements.track = 'all'", connection).ExecuteNonQueryAsync();
            await new NpgsqlCommand("select pg_reload_conf()", connection).ExecuteNonQueryAsync();
        }

        return new StatementStats(database);
    }

    public async Task ResetAsync()
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await new NpgsqlCommand("select pg_stat_statements_reset()", connection).ExecuteNonQueryAsync();
    }

    private sealed record Row(string Query, bool TopLevel, long Calls, double TotalMs);

    /// <summary>One figure per family, largest first, then each side's total: calls and milliseconds per referral.</summary>
    public async Task ReportAsync(Report report, string run, int referrals)
    {
        if (referrals == 0) return;
        var rows = new List<Row>();
        await using (var connection = new NpgsqlConnection(database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("""
                select s.query, s.toplevel, s.calls, s.total_exec_time from pg_stat_statements s
                join pg_database d on d.oid = s.dbid where d.datname = current_database()
                """, connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) rows.Add(new Row(reader.GetString(0), reader.GetBoolean(1), reader.GetInt64(2), reader.GetDouble(3)));
        }

        var families = rows.Select(r => (Family: Classify(r.Query, r.TopLevel), r.Calls, r.TotalMs))
            .GroupBy(r => r.Family)
            .Select(g => (g.Key.Side, g.Key.Name, g.Key.Nested, Calls: g.Sum(r => r.Calls), TotalMs: g.Sum(r => r.TotalMs)))
            .Where(f => f.Side != Benchmark)
            .OrderByDescending(f => f.TotalMs)
            .ToList();
        string Per(long calls, double ms) => string.Create(CultureInfo.InvariantCulture,
            $"{(double)calls / referrals:0.00} calls, {ms / referrals:0.000} ms a referral ({(calls == 0 ? 0 : ms / calls):0.000} ms each)");
        var top = families.Where(f => !f.Nested).ToList();
        report.AddFigure($"statements per referral, {run}, by side (server execution time, top-level statements)", string.Join("; ",
            top.GroupBy(f => f.Side).OrderByDescending(g => g.Sum(f => f.TotalMs))
                .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key} {g.Sum(f => f.TotalMs) / referrals:0.000} ms"))));
        foreach (var f in families.Take(24))
        {
            report.AddFigure($"  {run}: {f.Side}: {f.Name}{(f.Nested ? " (inside a statement above)" : "")}", Per(f.Calls, f.TotalMs));
        }
    }

    private const string Request = "request";
    private const string Daemon = "daemon";
    private const string Shared = "request and daemon";
    private const string Wolverine = "Wolverine's background work";
    private const string Benchmark = "benchmark";

    /// <summary>The family of a statement, by what it touches (Marten's and Wolverine's table and function names).</summary>
    internal static (string Side, string Name, bool Nested) Classify(string query, bool topLevel)
    {
        var q = Whitespace().Replace(query, " ").Trim();
        var lower = q.ToLowerInvariant();
        (string, string) family = lower switch
        {
            _ when lower.Contains("mt_event_progression") && lower.Contains("max(seq_id)") && lower.Contains("coalesce") => (Benchmark, "polling"),
            _ when lower.Contains("unnest(") && lower.Contains("mt_doc_episodeoutcome") && lower.Contains("mt_last_modified") => (Benchmark, "polling"),
            _ when lower.StartsWith("select pg_stat_statements_reset", StringComparison.Ordinal) => (Benchmark, "reset"),
            _ when lower.Contains("mt_doc_participantidentity") && lower.StartsWith("select", StringComparison.Ordinal) => (Request, "match-key lookup (participant identity)"),
            _ when lower.Contains("participantidentity") => (Request, "identity insert"),
            _ when lower.Contains("mt_doc_referralview") && lower.StartsWith("select", StringComparison.Ordinal) => (Request, "ReferralView preload"),
            _ when lower.Contains("referralview") => (Request, "ReferralView upsert"),
            _ when lower.Contains("mt_quick_append_events") => (Request, "stream and event append (mt_quick_append_events)"),
            _ when lower.StartsWith("insert into events.mt_events", StringComparison.Ordinal) => (Request, "event insert"),
            _ when lower.StartsWith("insert into events.mt_streams", StringComparison.Ordinal) => (Request, "stream insert"),
            _ when lower.Contains("from only \"events\".\"mt_streams\"") => (Request, "event's foreign key check on its stream"),
            _ when lower.StartsWith("begin", StringComparison.Ordinal) => (Shared, "BEGIN"),
            _ when lower.Contains("idempotency") => (Request, "idempotency record"),
            // The row's upsert names its report_cells column: the triggers' own statements are the ones on the cell tables.
            _ when lower.Contains("mt_doc_episodeoutcome") && lower.StartsWith("select d.", StringComparison.Ordinal) => (Daemon, "EpisodeOutcome load"),
            _ when lower.Contains("mt_upsert_episodeoutcome") || lower.Contains("mt_insert_episodeoutcome") || lower.Contains("mt_update_episodeoutcome") ||
                   lower.StartsWith("insert into outcomes.mt_doc_episodeoutcome", StringComparison.Ordinal) ||
                   lower.StartsWith("update outcomes.mt_doc_episodeoutcome", StringComparison.Ordinal) =>
                (Daemon, topLevel ? "EpisodeOutcome upsert (its triggers' statements included)" : "EpisodeOutcome upsert"),
            _ when lower.Contains("episode_outcome_cells") => (Daemon, "report cells (statement trigger)"),
            _ when lower.Contains("episode_outcome_monthly") => (Daemon, "monthly cells (statement trigger)"),
            _ when lower.Contains("episodeoutcome") => (Daemon, "EpisodeOutcome, other: " + Shorten(q)),
            _ when lower.Contains("from events.mt_events") && lower.Contains("seq_id >") => (Daemon, "event page load"),
            _ when lower.Contains("mt_event_progression") => (Daemon, "progression"),
            _ when lower.Contains("mt_events_sequence") || lower.Contains("mt_mark_event_progression") || lower.Contains("max(seq_id)") ||
                   lower.Contains("mt_high_water") => (Daemon, "high-water mark"),
            _ when lower.Contains("from events.mt_streams") || (lower.Contains("from events.mt_events") && lower.Contains("stream_id")) => (Request, "journey fetch"),
            _ when lower.Contains("wolverine.") || lower.Contains("wolverine_") => (Wolverine, "Wolverine: " + Shorten(q)),
            _ when lower.Contains("pg_try_advisory") || lower.Contains("pg_advisory") => (Shared, "advisory locks"),
            "begin" or "commit" or "rollback" or "start transaction" => (Shared, lower.ToUpperInvariant()),
            _ => ("other", Shorten(q)),
        };
        return (family.Item1, family.Item2, !topLevel);
    }

    private static string Shorten(string query) => (query.Length > 90 ? query[..90] + "…" : query).Replace("|", "\\|", StringComparison.Ordinal);

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
