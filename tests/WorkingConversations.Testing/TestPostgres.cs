using Npgsql;
using Testcontainers.PostgreSql;
using WorkingConversations.BuildingBlocks.Hosting;

namespace WorkingConversations.Testing;

/// <summary>
/// The real PostgreSQL every integration test runs against, found once per test process: a connection string in
/// <c>WC_TEST_POSTGRES</c> wins; else a throw-away embedded cluster from the machine's PostgreSQL binaries; else
/// Testcontainers where a Docker engine answers. Each test collection gets a fresh database on it.
/// </summary>
public static class TestPostgres
{
    public const string EnvironmentVariable = "WC_TEST_POSTGRES";
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _serverConnectionString;
    private static EmbeddedPostgres? _embedded;
    private static PostgreSqlContainer? _container;
    private static int _databases;

    public static async Task<string> CreateDatabaseAsync(string purpose)
    {
        var server = await ServerAsync();
        var name = $"wc_{Sanitise(purpose)}_{Environment.ProcessId}_{Interlocked.Increment(ref _databases)}";
        var builder = new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false };
        await using (var connection = new NpgsqlConnection(builder.ConnectionString))
        {
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"drop database if exists \"{name}\" with (force)", connection);
            await drop.ExecuteNonQueryAsync();
            await using var create = new NpgsqlCommand($"create database \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(server) { Database = name, Pooling = true, MaxPoolSize = 40 }.ConnectionString;
    }

    private static async Task<string> ServerAsync()
    {
        if (_serverConnectionString is not null) return _serverConnectionString;
        await Gate.WaitAsync();
        try
        {
            if (_serverConnectionString is not null) return _serverConnectionString;
            var configured = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (!string.IsNullOrWhiteSpace(configured)) return _serverConnectionString = configured;

            if (EmbeddedPostgres.FindBinDirectory() is not null)
            {
                SweepLeftClusters();
                var folder = Path.Combine(Path.GetTempPath(), $"{ClusterPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}");
                _embedded = await EmbeddedPostgres.StartAsync(folder, ephemeral: true);
                AppDomain.CurrentDomain.ProcessExit += (_, _) => _embedded.Stop();
                return _serverConnectionString = _embedded.ConnectionStringFor("postgres");
            }

            if (DockerLooksAvailable())
            {
                _container = new PostgreSqlBuilder("postgres:16-alpine").Build();
                await _container.StartAsync();
                AppDomain.CurrentDomain.ProcessExit += (_, _) => _container.DisposeAsync().AsTask().GetAwaiter().GetResult();
                return _serverConnectionString = _container.GetConnectionString();
            }

            throw new InvalidOperationException(
                $"The integration tests need PostgreSQL: set {EnvironmentVariable} to a connection string, install the PostgreSQL server " +
                "(initdb and pg_ctl, e.g. `apt-get install postgresql`), or run a Docker engine for Testcontainers.");
        }
        finally
        {
            Gate.Release();
        }
    }

    private const string ClusterPrefix = "wc-test-pg-";

    /// <summary>
    /// A test process stops its cluster as it exits, but the test runner may end it before the folder is deleted, and a
    /// killed run leaves its cluster behind: each is a quarter of a gigabyte, and a few dozen runs filled the disk. So a
    /// new cluster first deletes the ones left by test processes that are gone and whose server is not running.
    /// </summary>
    private static void SweepLeftClusters()
    {
        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), ClusterPrefix + "*"))
        {
            var owner = Path.GetFileName(folder)[ClusterPrefix.Length..].Split('-')[0];
            if (!int.TryParse(owner, out var pid) || pid == Environment.ProcessId || IsRunning(pid)) continue;
            var postmaster = Path.Combine(folder, "postmaster.pid");
            if (File.Exists(postmaster) && int.TryParse(File.ReadLines(postmaster).FirstOrDefault(), out var server) && IsRunning(server)) continue;
            try { Directory.Delete(folder, recursive: true); }
            catch (IOException) { /* another test process may be sweeping it too */ }
            catch (UnauthorizedAccessException) { }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static bool DockerLooksAvailable() =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOCKER_HOST")) || File.Exists("/var/run/docker.sock");

    private static string Sanitise(string purpose) =>
        new string(purpose.ToLowerInvariant().Where(char.IsAsciiLetterOrDigit).Take(20).ToArray()) is { Length: > 0 } s ? s : "db";
}
