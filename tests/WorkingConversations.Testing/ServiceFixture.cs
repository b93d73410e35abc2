using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Wolverine.Tracking;
using WorkingConversations.BuildingBlocks.Writing;
using Xunit;

namespace WorkingConversations.Testing;

/// <summary>
/// The real host (every module, Marten, Wolverine) on a fresh database of its own. Share one per test collection:
/// tests make their own partners and keys, so they do not see each other's data.
/// </summary>
public class ServiceFixture : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string AdminKey = "wc_test-bootstrap-admin-key-0123456789abcdef";

    /// <summary>The key id the host gives the bootstrap admin key (Access).</summary>
    public const string AdminKeyId = "00000000-0000-7000-8000-000000000001";
    private string? _connectionString;

    static ServiceFixture()
    {
        // Program ends in RunJasperFxCommands: this makes it start the host for the test server instead of parsing args.
        JasperFx.CommandLine.JasperFxEnvironment.AutoStartHost = true;
    }

    public TestClock Clock { get; } = new();

    /// <summary>A fault between a write's commit and its answer, for the tests of what a retry then gets.</summary>
    public CommitFaults Faults { get; } = new();

    public string ConnectionString => _connectionString ?? throw new InvalidOperationException("The fixture has not started.");

    /// <summary>Extra configuration a derived fixture wants (settings under test).</summary>
    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    public async Task InitializeAsync()
    {
        await StartDependenciesAsync();
        _connectionString = await CreateDatabaseAsync();
        // Starting the server here makes a start-up failure fail the fixture with its real cause.
        StartHost();
    }

    /// <summary>Starts the host in memory; a fixture a browser must reach starts it on a real port instead.</summary>
    protected virtual void StartHost() => _ = Server;

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    /// <summary>Anything else real the host of a derived fixture needs before it starts (a broker).</summary>
    protected virtual Task StartDependenciesAsync() => Task.CompletedTask;

    /// <summary>A fresh database by default; <see cref="OnDatabase"/> starts a host on an existing one instead.</summary>
    protected virtual Task<string> CreateDatabaseAsync() => TestPostgres.CreateDatabaseAsync(GetType().Name);

    /// <summary>Another host on the same database as an earlier one: a restart, or a second node.</summary>
    public static ServiceFixture OnDatabase(string connectionString) => new ExistingDatabase(connectionString);

    private sealed class ExistingDatabase(string connectionString) : ServiceFixture
    {
        protected override Task<string> CreateDatabaseAsync() => Task.FromResult(connectionString);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Postgres", ConnectionString);
        builder.UseSetting("Auth:BootstrapAdminKey", AdminKey);
        // Tests read the analysts' episode rows straight after a call; the asynchronous path has a test of its own.
        builder.UseSetting("Outcomes:EpisodeProjection", "Inline");
        // The rig's own setup (partners, keys, volunteers) goes through the bootstrap admin key: it is not rate limited, so
        // a fixture with low limits tests them on the keys it issues without starving its own setup. The suite's callers
        // run far faster than people do, so their limits are high; the tests of the limits set their own.
        builder.UseSetting("RateLimiting:ExemptKeys:0", AdminKeyId);
        builder.UseSetting("RateLimiting:PermitsPerWindow", "1000000");
        builder.UseSetting("RateLimiting:Referrals:PermitsPerWindow", "1000000");
        builder.UseSetting("RateLimiting:Referrals:InFlight", "1000");
        // Many tests present bad keys on purpose, all from the one in-memory client address.
        builder.UseSetting("Auth:FailedKeys:Free", "1000000");
        // The tests' partner callbacks and directory servers listen on loopback over plain HTTP: an allowance the rig
        // turns on explicitly (never a default), and the tests of the outbound rules turn off again.
        builder.UseSetting("Outbound:AllowPrivateNetworks", "true");
        builder.UseSetting("Outbound:AllowHttp", "true");
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton<IWriteObserver>(Faults);
            ConfigureServices(services);
        });
    }

    /// <summary>Services a derived fixture adds to the host (an in-memory telemetry exporter).</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    public IHost AppHost => Services.GetRequiredService<IHost>();

    public HttpClient ClientWithKey(string? key)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = ClientOptions.BaseAddress });
        if (key is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public HttpClient Admin() => ClientWithKey(AdminKey);

    /// <summary>Issues a key through the real API and returns a client that uses it.</summary>
    public async Task<(HttpClient Client, Guid KeyId, string Key)> ClientFor(string role, Guid? partnerId = null, Guid? practitionerId = null, string? name = null)
    {
        if ((partnerId ?? practitionerId) is { } holder) await UntilAccessKnows(holder);
        var response = await Admin().PostAsJsonAsync("/api/v1/api-keys", new { role, name = name ?? $"{role}-{Guid.NewGuid():N}", partnerId, practitionerId });
        response.EnsureSuccessStatusCode();
        var issued = (await response.Content.ReadFromJsonAsync<IssuedKey>())!;
        return (ClientWithKey(issued.Key), issued.Id, issued.Key);
    }

    /// <summary>
    /// Access hears of a new partner or volunteer by a message, a moment after it is created; the first message a host
    /// handles compiles its handler first, which on a busy machine takes longer than the service's grace. The rig's
    /// keys wait until Access knows the id (by its table, so on any node and either transport).
    /// </summary>
    private async Task UntilAccessKnows(Guid id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        await using var connection = new Npgsql.NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        while (true)
        {
            await using var command = new Npgsql.NpgsqlCommand("select count(*) from access.mt_doc_knownholder where id = @id", connection);
            command.Parameters.AddWithValue("id", id);
            try
            {
                if ((long)(await command.ExecuteScalarAsync())! > 0 || DateTime.UtcNow > deadline) return;
            }
            catch (Npgsql.PostgresException e) when (e.SqlState == "42P01")
            {
                // The table is made with the first holder.
                if (DateTime.UtcNow > deadline) return;
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Registers a partner and returns its id and a partner client.</summary>
    public async Task<(Guid PartnerId, HttpClient Client)> NewPartner(string? callbackUrl = null)
    {
        var response = await Admin().PostAsJsonAsync("/api/v1/partners", new { name = $"Partner {Guid.NewGuid():N}", contactEmail = "team@partner.example", callbackUrl });
        response.EnsureSuccessStatusCode();
        var partner = (await response.Content.ReadFromJsonAsync<IdOnly>())!;
        var (client, _, _) = await ClientFor("partner", partnerId: partner.Id);
        return (partner.Id, client);
    }

    /// <summary>
    /// Runs an action and waits until every message it caused, and every message those caused, is handled. A handler that
    /// fails is a failed test, unless <paramref name="racesExpected"/> says the action makes handlers race other writes
    /// (they lose with a concurrency error and Wolverine runs them again).
    /// </summary>
    public async Task<ITrackedSession> WaitForMessages(Func<Task> action, int timeoutSeconds = 30, bool racesExpected = false)
    {
        var tracking = AppHost.TrackActivity()
            .Timeout(TimeSpan.FromSeconds(timeoutSeconds))
            // On a broker a message is only done when it has come back and been handled, not when it has been sent.
            .IncludeExternalTransports();
        if (racesExpected) tracking = tracking.DoNotAssertOnExceptionsDetected();
        return await tracking.ExecuteAndWaitAsync((Func<Wolverine.IMessageContext, Task>)(_ => action()));
    }

    private sealed record IssuedKey(Guid Id, string Key);

    private sealed record IdOnly(Guid Id);
}
