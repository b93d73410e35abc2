using System.Net.Sockets;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace WorkingConversations.BuildingBlocks;

/// <summary>
/// The database is down, restarting or refusing connections: the request is answered 503 with <c>Retry-After</c>, not
/// 500, because sending it again later is the right thing for the caller to do.
/// </summary>
public static class DatabaseUnavailable
{
    public const int RetryAfterSeconds = 5;

    /// <summary>Pure: whether the exception, or one inside it, says the database could not be reached or went away.</summary>
    public static bool Is(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                // Connection failures (08), the server shutting down or starting (57P01 to 57P03), too many connections (53300).
                case PostgresException pg when pg.SqlState.StartsWith("08", StringComparison.Ordinal) || pg.SqlState.StartsWith("57P", StringComparison.Ordinal) ||
                                                pg.SqlState == PostgresErrorCodes.TooManyConnections:
                    return true;
                case PostgresException:
                    // Any other server error is about the request or the data, not the connection.
                    return false;
                case NpgsqlException { InnerException: SocketException or IOException or TimeoutException }:
                case NpgsqlException { IsTransient: true }:
                    return true;
            }
        }

        return false;
    }

    public static string Reason(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is PostgresException pg) return $"{pg.SqlState} {pg.MessageText}";
            if (e is SocketException or IOException or TimeoutException) return e.Message;
        }

        return exception.Message;
    }

    public static ProblemDetails Problem() => new()
    {
        Status = 503,
        Type = ProblemTypes.ServiceUnavailable,
        Title = "The service is briefly unavailable",
        Detail = $"The service could not reach its database, so the request may not have been carried out. Send it again in {RetryAfterSeconds} " +
                 "seconds; a repeat with the same Idempotency-Key never makes a second record.",
    };
}
