using Npgsql;
using WorkingConversations.BuildingBlocks.Hosting;

namespace WorkingConversations.ProcessRig;

/// <summary>
/// A PostgreSQL cluster of its own in a temporary folder, durable (fsync on, as in production), that can be stopped and
/// started again on the same port to play a database outage, and is deleted when disposed.
/// </summary>
public sealed class ThrowAwayCluster : IAsyncDisposable
{
    private readonly string _folder;
    private EmbeddedPostgres? _server;
    private int _disposed;

    private ThrowAwayCluster(string folder, EmbeddedPostgres server)
    {
        _folder = folder;
        _server = server;
        Port = server.Port;
        // A harness stopped with Ctrl-C must not leave a server running behind it.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Delete();
    }

    public int Port { get; }

    public bool IsRunning => _server is not null;

    public string DataDirectory => _folder;

    public static async Task<ThrowAwayCluster> StartAsync(string purpose)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"wc-{purpose}-{Guid.NewGuid():N}");
        return new ThrowAwayCluster(folder, await EmbeddedPostgres.StartAsync(folder, ephemeral: false));
    }

    /// <summary>A connection string to the server's maintenance database, for creating databases and running tools.</summary>
    public string ServerConnectionString =>
        new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = "postgres", Database = "postgres" }.ConnectionString;

    /// <summary>A fresh, empty database (dropped first if it exists); returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using (var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ServerConnectionString) { Pooling = false }.ConnectionString))
        {
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"drop database if exists \"{name}\" with (force)", connection);
            await drop.ExecuteNonQueryAsync();
            await using var create = new NpgsqlCommand($"create database \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        return ConnectionStringFor(name);
    }

    public string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = database }.ConnectionString;

    /// <summary>Stops the server (pg_ctl stop -m fast: clients are disconnected, as in an outage).</summary>
    public void StopServer()
    {
        var server = Interlocked.Exchange(ref _server, null) ?? throw new InvalidOperationException("The server is not running.");
        server.Stop();
    }

    /// <summary>Starts the server again on the port it had, so its clients' connection strings still work.</summary>
    public async Task StartServerAsync()
    {
        if (_server is not null) throw new InvalidOperationException("The server is already running.");
        _server = await EmbeddedPostgres.StartAsync(_folder, ephemeral: false, port: Port);
    }

    public ValueTask DisposeAsync()
    {
        Delete();
        return ValueTask.CompletedTask;
    }

    private void Delete()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        Interlocked.Exchange(ref _server, null)?.Stop();
        try { Directory.Delete(_folder, recursive: true); }
        catch (IOException) { /* best effort: a temp folder left behind is harmless */ }
        catch (UnauthorizedAccessException) { }
    }
}
