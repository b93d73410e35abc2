using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace WorkingConversations.BuildingBlocks.Hosting;

/// <summary>
/// The service's one database. <c>ConnectionStrings:Postgres</c> wins; without it an embedded, project-local cluster is
/// started on first use and stopped when the host is disposed. Resolved lazily so that every configuration source
/// (including a test's) is in place before the choice is made.
/// </summary>
public sealed class DatabaseConnection(IConfiguration configuration, ILogger<DatabaseConnection> logger) : IAsyncDisposable
{
    public const string ConnectionStringName = "Postgres";
    private readonly Lock _gate = new();
    private string? _connectionString;
    private EmbeddedPostgres? _embedded;

    public string ConnectionString
    {
        get
        {
            if (_connectionString is not null) return _connectionString;
            lock (_gate)
            {
                if (_connectionString is not null) return _connectionString;
                var configured = configuration.GetConnectionString(ConnectionStringName);
                if (!string.IsNullOrWhiteSpace(configured)) return _connectionString = configured;

                var dataDirectory = configuration["Database:EmbeddedDataDirectory"] is { Length: > 0 } dir ? dir : EmbeddedPostgres.DefaultDataDirectory();
                _embedded = EmbeddedPostgres.StartAsync(dataDirectory, ephemeral: false, log: m => logger.LogInformation("{Message}", m))
                    .GetAwaiter().GetResult();
                // A crash or a kill of the host must not leave the server behind either.
                AppDomain.CurrentDomain.ProcessExit += (_, _) => _embedded?.Stop();
                logger.LogInformation("No ConnectionStrings:Postgres configured: using the embedded PostgreSQL in {DataDirectory}", dataDirectory);
                return _connectionString = _embedded.ConnectionStringFor();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_embedded is not null) await _embedded.DisposeAsync();
    }
}
