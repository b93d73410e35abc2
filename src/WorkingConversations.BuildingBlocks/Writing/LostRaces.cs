using JasperFx;
using Npgsql;

namespace WorkingConversations.BuildingBlocks.Writing;

/// <summary>
/// The failures that mean a write lost a race to another write of the same record: nothing of it was stored, and the
/// same write decided again on the state the other left is the right answer.
/// </summary>
public static class LostRaces
{
    /// <summary>Marten's optimistic concurrency (stream version, document version) and inserts of something that now exists.</summary>
    public static bool IsLostRace(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is ConcurrencyException or DocumentAlreadyExistsException or JasperFx.Events.ExistingStreamIdCollisionException
                or Marten.Exceptions.ExistingStreamIdCollisionException)
            {
                return true;
            }

            if (e is AggregateException { InnerExceptions.Count: > 0 } aggregate && aggregate.InnerExceptions.All(IsLostRace)) return true;
        }

        return false;
    }

    /// <summary>
    /// What the database raised before Marten made it one of the exceptions above: the stream version check of an append
    /// (SQLSTATE MT003) or a primary key that refused a second row. The session logger sees these, not the translation.
    /// </summary>
    internal static bool IsLostRaceAtTheDatabase(Exception exception)
    {
        if (IsLostRace(exception)) return true;
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is PostgresException { SqlState: "MT003" }) return true;
            if (e is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: { } name } &&
                (name.StartsWith("pk", StringComparison.Ordinal) || name.EndsWith("_pkey", StringComparison.Ordinal)))
            {
                return true;
            }

            if (e is AggregateException aggregate && aggregate.InnerExceptions.All(IsLostRaceAtTheDatabase)) return true;
        }

        return false;
    }

    /// <summary>A PostgreSQL unique index whose name contains <paramref name="indexName"/> refused a row.</summary>
    public static bool IsUniqueViolation(Exception exception, string indexName)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } unique &&
                unique.ConstraintName?.Contains(indexName, StringComparison.Ordinal) == true)
            {
                return true;
            }
        }

        return false;
    }
}
