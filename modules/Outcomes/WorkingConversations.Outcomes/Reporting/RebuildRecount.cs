using Marten;
using Npgsql;
using WorkingConversations.BuildingBlocks.Operations.Projections;

namespace WorkingConversations.Outcomes.Reporting;

/// <summary>
/// While the episode rows are rebuilt, the triggers leave the monthly cells and the report cells alone, and the cells are
/// recounted from the rows once at the end: a rebuild writes every row again, often many times over, and folding each
/// write into the cells cost more than the rest of the rebuild (docs/performance.md, "Rebuilds, round 3").
/// <para>
/// The rebuild holds a session-level advisory lock on a connection of its own; each trigger first asks for the same lock
/// in shared mode, for its transaction only, and folds only when it gets it. So a rebuild that dies with its process
/// lets go of the lock with its connection and the triggers fold again at once (the next start's recount puts right what
/// was skipped); and the end of a rebuild recounts under a share lock on the rows, letting go of the advisory lock before
/// that commits, so no write falls between the recount and the triggers.
/// </para>
/// </summary>
internal sealed class RebuildRecount(IDocumentStore store) : IProjectionRebuildStep
{
    /// <summary>True, in a trigger, while a rebuild of the rows holds the lock (or waits for it): the trigger then folds nothing.</summary>
    public const string Rebuilding = "not pg_try_advisory_xact_lock_shared(hashtext('outcomes.episode_outcome_rebuild'))";

    public string Projection => "EpisodeOutcome";

    public async Task<IAsyncDisposable> BeginAsync(CancellationToken ct)
    {
        var connection = store.Storage.Database.CreateConnection();
        try
        {
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand("select pg_advisory_lock(hashtext('outcomes.episode_outcome_rebuild'))", connection);
            await command.ExecuteNonQueryAsync(ct);
            return new Held(connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private sealed class Held(NpgsqlConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await using (connection)
            {
                await using var transaction = await connection.BeginTransactionAsync();
                // Each recount takes a share lock on the rows first: writes wait until the commit, and by then the
                // advisory lock is gone, so their triggers fold.
                foreach (var recount in new[] { MonthlyRollup.Recount, ReportCellRollup.Recount })
                {
                    await using var command = new NpgsqlCommand(recount, connection, transaction) { CommandTimeout = 600 };
                    await command.ExecuteNonQueryAsync();
                }

                await using (var unlock = new NpgsqlCommand("select pg_advisory_unlock(hashtext('outcomes.episode_outcome_rebuild'))", connection, transaction))
                    await unlock.ExecuteNonQueryAsync();
                await transaction.CommitAsync();
            }
        }
    }
}
