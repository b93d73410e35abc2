using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace WorkingConversations.BuildingBlocks.Hosting;

/// <summary>
/// The service's one database. <c>ConnectionStrings:Postgres</c> wins; without it, in Development only, an embedded,
/// project-local cluster is started on first use and stopped when the host is disposed. In any other environment a host
/// without the setting stops at start-up, naming it: a staging or production host must never quietly keep its data in
/// a cluster of its own on local disk. Resolved lazily so that every configuration source (including a test's) is in
/// place before the choice is made; the store's schema check at start-up is the first use.
/// </summary>
public sealed class DatabaseConnection(IConfiguration configuration, IHostEnvironment environment, ILogger<DatabaseConnection> logger) : IAsyncDisposable
{
    public const string ConnectionStringName = "Postgres";
    public const string Setting = "ConnectionStrings:" + ConnectionStringName;
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
                if (!environment.IsDevelopment())
                {
                    throw new InvalidOperationException(
                        $"{Setting} is not set. Set it (environment variable ConnectionStrings__{ConnectionStringName}) to the service's PostgreSQL " +
                        $"database. The embedded PostgreSQL is only started in Development, and this host runs in '{environment.EnvironmentName}'.");
                }


                var dataDirectory = configuration["Database:EmbeddedDataDirectory"] is { Length: > 0 } dir ? dir : EmbeddedPostgres.DefaultDataDirectory();
                _embedded = EmbeddedPostgres.StartAsync(dataDirectory, ephemeral: false, log: m => logger.LogInformation("{Message}", m))
                    .GetAwaiter().GetResult();
                // A crash or a kill of the host must not leave the server behind either.
                AppDomain.CurrentDomain.ProcessExit += (_, _) => _embedded?.Stop();
                logger.LogInformation("No {Setting} configured: using the embedded PostgreSQL in {DataDirectory} (Development only)", Setting, dataDirectory);
                return _connectionString = _embedded.ConnectionStringFor();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_embedded is not null) await _embedded.DisposeAsync();
    }
}
