using Marten;
using Marten.Services;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace WorkingConversations.BuildingBlocks.Hosting;

/// <summary>
/// Marten's log, without what it must not say. Marten's own logger writes every failed command at Error with the values
/// of its parameters: event bodies with questionnaire answers, encrypted identities, free text. This one never writes a
/// parameter, and writes the failures the service handles as part of its normal work (a write that lost a race and is
/// retried or answered 409, a second referral of the same new person, the database briefly away) at Debug, so that an
/// Error line always means something to look at.
/// </summary>
public sealed partial class StoreLogger(ILogger logger) : IMartenLogger, IMartenSessionLogger
{
    public IMartenSessionLogger StartSession(IQuerySession session) => this;

    public void SchemaChange(string sql) => SchemaChanged(logger, sql);

    public void LogSuccess(NpgsqlCommand command) { }

    public void LogSuccess(NpgsqlBatch batch) { }

    public void LogFailure(NpgsqlCommand command, Exception ex) => Failed(ex, command.CommandText);

    public void LogFailure(NpgsqlBatch batch, Exception ex) =>
        Failed(ex, batch.BatchCommands.Count == 0 ? "" : batch.BatchCommands[0].CommandText + (batch.BatchCommands.Count > 1 ? $" (and {batch.BatchCommands.Count - 1} more)" : ""));

    public void LogFailure(Exception ex, string message) => Failed(ex, message);

    public void RecordSavedChanges(IDocumentSession session, IChangeSet commit) { }

    public void OnBeforeExecute(NpgsqlCommand command) { }

    public void OnBeforeExecute(NpgsqlBatch batch) { }

    /// <summary>Pure: whether a failure is one the service expects and handles (a lost race, a duplicate it refuses, an outage).</summary>
    public static bool IsHandled(Exception exception) =>
        Writing.LostRaces.IsLostRaceAtTheDatabase(exception) || DatabaseUnavailable.Is(exception) ||
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } || exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    private void Failed(Exception exception, string what)
    {
        var state = exception as PostgresException ?? exception.InnerException as PostgresException;
        var command = what.Length <= 200 ? what : what[..200] + "...";
        if (IsHandled(exception)) HandledFailure(logger, state?.SqlState ?? exception.GetType().Name, command);
        // The exception's own message and stack, never the command's parameters.
        else UnhandledFailure(logger, exception, state?.SqlState ?? exception.GetType().Name, command);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Executed schema update SQL:\n{Sql}")]
    private static partial void SchemaChanged(ILogger logger, string sql);

    [LoggerMessage(Level = LogLevel.Debug, Message = "A store command failed as expected ({SqlState}): {Command}")]
    private static partial void HandledFailure(ILogger logger, string sqlState, string command);

    [LoggerMessage(Level = LogLevel.Error, Message = "A store command failed ({SqlState}): {Command}")]
    private static partial void UnhandledFailure(ILogger logger, Exception exception, string sqlState, string command);
}
