using Marten;
using Npgsql;
using WorkingConversations.Outcomes.Projections;

namespace WorkingConversations.Outcomes.Reporting;

/// <summary>
/// How a table folded from the episode rows by triggers starts: under an advisory lock (two nodes starting at once take
/// turns), its triggers and table are made, it is recounted from the rows, and the rows written before what it folds
/// existed are counted, for the caller to warn of. One transaction, so a node that stops half-way leaves it as it was.
/// </summary>
internal static class RollupStart
{
    public static async Task<long> RunAsync(IDocumentStore store, string lockKey, string ddl, string recount, string staleRows, CancellationToken ct)
    {
        // This runs before Marten's own start-up migration, so make sure the episode table exists first.
        await store.Storage.Database.EnsureStorageExistsAsync(typeof(EpisodeOutcome), ct);
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var advisory = new NpgsqlCommand("select pg_advisory_xact_lock(hashtext(@key))", connection, transaction))
        {
            advisory.Parameters.AddWithValue("key", lockKey);
            await advisory.ExecuteNonQueryAsync(ct);
        }

        await using (var command = new NpgsqlCommand(ddl, connection, transaction)) await command.ExecuteNonQueryAsync(ct);
        await using (var command = new NpgsqlCommand(recount, connection, transaction) { CommandTimeout = 600 }) await command.ExecuteNonQueryAsync(ct);
        long stale;
        await using (var command = new NpgsqlCommand(staleRows, connection, transaction)) stale = (long)(await command.ExecuteScalarAsync(ct))!;
        await transaction.CommitAsync(ct);
        return stale;
    }
}
