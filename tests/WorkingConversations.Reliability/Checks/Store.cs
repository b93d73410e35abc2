using System.Text.Json;
using Npgsql;

namespace WorkingConversations.Reliability.Checks;

public sealed record StoredEvent(long Sequence, string Type, Guid StreamId, JsonElement Data, DateTimeOffset Timestamp)
{
    /// <summary>A member of the event's data, whatever the case of its name.</summary>
    public JsonElement Member(string name) =>
        Data.EnumerateObject().FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)).Value;

    public Guid GuidOf(string name) => Member(name).ValueKind == JsonValueKind.String ? Member(name).GetGuid() : Guid.Empty;

    public string? TextOf(string name) => Member(name).ValueKind == JsonValueKind.String ? Member(name).GetString() : null;
}

/// <summary>Every row of a table, each as JSON text without the columns that say when or how often a row was written.</summary>
public sealed record TableRows(string Table, IReadOnlyList<string> Rows);

/// <summary>Read-only questions to the service's database, asked straight in SQL so that the answers do not depend on the service.</summary>
public sealed class Store(string connectionString)
{
    /// <summary>The schemas of the modules' documents and projections.</summary>
    public static readonly string[] ModuleSchemas = ["access", "conversations", "journey", "outcomes", "referrals", "volunteer_training", "public"];

    /// <summary>Columns a rewrite of the same row changes without changing what it says.</summary>
    private static readonly string[] VolatileColumns = ["mt_last_modified", "mt_version", "mt_dotnet_type", "mt_created_at"];

    public string ConnectionString => connectionString;

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return connection;
    }

    public async Task<IReadOnlyList<StoredEvent>> EventsAsync(params string[] types)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand("select seq_id, type, stream_id, data::text, timestamp from events.mt_events where type = any(@types) order by seq_id", connection);
        command.Parameters.AddWithValue("types", types);
        var events = new List<StoredEvent>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            events.Add(new StoredEvent(reader.GetInt64(0), reader.GetString(1), reader.GetGuid(2), JsonDocument.Parse(reader.GetString(3)).RootElement.Clone(),
                reader.GetFieldValue<DateTimeOffset>(4)));
        }

        return events;
    }

    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync() ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
    }

    public Task<long> NewestEventAsync() => ScalarAsync("select coalesce(max(seq_id), 0) from events.mt_events");

    /// <summary>The position of each asynchronous projection (the daemon's own progress rows).</summary>
    public async Task<IReadOnlyDictionary<string, long>> ProjectionPositionsAsync()
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand("select name, last_seq_id from events.mt_event_progression where name like '%:%'", connection);
        var positions = new Dictionary<string, long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) positions[reader.GetString(0)] = reader.GetInt64(1);
        return positions;
    }

    /// <summary>
    /// Messages still to be handled or sent: the durable inbox, the retries it has scheduled for the next few minutes
    /// (a handler that lost a race runs again a little later), and the outbox. Follow-ups due months ahead do not count.
    /// </summary>
    public Task<long> MessagesInFlightAsync() => ScalarAsync("""
        select (select count(*) from wolverine.wolverine_incoming_envelopes
                where status = 'Incoming' or status = 'Scheduled' and execution_time < now() + interval '5 minutes')
             + (select count(*) from wolverine.wolverine_outgoing_envelopes)
        """);

    public Task<long> DeadLettersAsync() => ScalarAsync("select count(*) from wolverine.wolverine_dead_letters");

    /// <summary>Every row of every table in <paramref name="schemas"/> but those named in <paramref name="except"/>.</summary>
    public async Task<IReadOnlyList<TableRows>> SnapshotAsync(IEnumerable<string> schemas, ICollection<string>? except = null)
    {
        await using var connection = await OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand("""
            select table_schema || '.' || table_name from information_schema.tables
            where table_schema = any(@schemas) and table_type = 'BASE TABLE' order by 1
            """, connection))
        {
            list.Parameters.AddWithValue("schemas", schemas.ToArray());
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        }

        var snapshot = new List<TableRows>();
        var strip = string.Concat(VolatileColumns.Select(c => $" - '{c}'"));
        foreach (var table in tables.Where(t => except?.Contains(t) != true))
        {
            await using var command = new NpgsqlCommand($"select (to_jsonb(t){strip})::text as row from {table} t order by 1", connection);
            var rows = new List<string>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
            snapshot.Add(new TableRows(table, rows));
        }

        return snapshot;
    }

    /// <summary>The tables whose rows differ between two snapshots, each with a few of the rows that differ.</summary>
    public static IReadOnlyList<string> Differences(IReadOnlyList<TableRows> before, IReadOnlyList<TableRows> after)
    {
        var differences = new List<string>();
        var afterByTable = after.ToDictionary(t => t.Table);
        foreach (var table in before)
        {
            if (!afterByTable.TryGetValue(table.Table, out var other))
            {
                differences.Add($"{table.Table}: gone");
                continue;
            }

            var missing = table.Rows.Except(other.Rows).ToArray();
            var added = other.Rows.Except(table.Rows).ToArray();
            if (missing.Length == 0 && added.Length == 0 && table.Rows.Count == other.Rows.Count) continue;
            differences.Add($"{table.Table}: {table.Rows.Count} rows before, {other.Rows.Count} after; {missing.Length} only before, {added.Length} only after" +
                            (missing.Length > 0 ? $"; e.g. before: {Cut(missing[0])}" : "") + (added.Length > 0 ? $"; e.g. after: {Cut(added[0])}" : ""));
        }

        differences.AddRange(after.Where(t => before.All(b => b.Table != t.Table) && t.Rows.Count > 0).Select(t => $"{t.Table}: new, {t.Rows.Count} rows"));
        return differences;
    }

    private static string Cut(string row) => row.Length <= 400 ? row : row[..400] + "...";
}
