using Marten;
using Marten.Services;
using Microsoft.Extensions.Logging;
using Npgsql;
using WorkingConversations.BuildingBlocks.Writing;

namespace WorkingConversations.BuildingBlocks.Hosting;

/// <summary>
/// Marten's log of database commands, in place of its default: never the values a command carried (events hold
/// protected free text, identity documents sealed personal data), and a write that lost a race, which the write step
/// or Wolverine's retry policy answers by deciding again, is not an error. Any other failure is logged as an error with
/// its exception and SQL state, and no values. It logs under the category <c>Marten</c>, so the operators' settings for
/// Marten's own log apply to it.
/// </summary>
public sealed class MartenCommandLog(ILogger logger) : IMartenLogger, IMartenSessionLogger
{
    public const string Category = "Marten";

    public IMartenSessionLogger StartSession(IQuerySession session) => this;

    public void SchemaChange(string sql) => logger.LogInformation("Applied a schema change to the database:\n{Sql}", sql);

    public void LogSuccess(NpgsqlCommand command)
    {
    }

    public void LogSuccess(NpgsqlBatch batch)
    {
    }

    public void LogFailure(NpgsqlCommand command, Exception ex) => Failed(ex);

    public void LogFailure(NpgsqlBatch batch, Exception ex) => Failed(ex);

    public void LogFailure(Exception ex, string message) => Failed(ex);

    public void RecordSavedChanges(IDocumentSession session, IChangeSet commit)
    {
    }

    public void OnBeforeExecute(NpgsqlCommand command)
    {
    }

    public void OnBeforeExecute(NpgsqlBatch batch)
    {
    }

    /// <summary>Pure: a version check or a unique index refused the write because another one came first.</summary>
    public static bool IsLostRace(Exception ex) =>
        LostRaces.IsLostRaceAtTheDatabase(ex) || Find<PostgresException>(ex) is { SqlState: PostgresErrorCodes.UniqueViolation };

    private void Failed(Exception ex)
    {
        if (IsLostRace(ex))
        {
            logger.LogDebug("A write lost a race to another write ({SqlState}); it is decided again", Find<PostgresException>(ex)?.SqlState ?? ex.GetType().Name);
            return;
        }

        logger.LogError(ex, "A database command failed ({SqlState})", Find<PostgresException>(ex)?.SqlState ?? "no SQL state");
    }

    private static T? Find<T>(Exception ex) where T : Exception
    {
        for (var e = ex; e is not null; e = e.InnerException)
        {
            if (e is T found) return found;
        }

        return null;
    }
}
