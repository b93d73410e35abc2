using System.Text.Json.Serialization;
using JasperFx;
using JasperFx.CodeGeneration;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.OpenApi;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Marten;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Hosting;
using WorkingConversations.BuildingBlocks.Http.Idempotency;
using WorkingConversations.BuildingBlocks.Journey;
using WorkingConversations.BuildingBlocks.Modules;
using WorkingConversations.BuildingBlocks.Security;
using WorkingConversations.BuildingBlocks.Volunteers;
using WorkingConversations.Host.Erasure;
using WorkingConversations.BuildingBlocks.Writing;
using WorkingConversations.BuildingBlocks.Web;

namespace WorkingConversations.Host;

/// <summary>The wiring of the one host: each module is registered through <see cref="IModule"/> and nothing else.</summary>
public static class HostSetup
{
    public const string EventsSchema = "events";
    public const string MessagesSchema = "wolverine";

    /// <summary>Release builds ship without Roslyn (the package is referenced in Debug only), so they must run pre-generated code.</summary>
#if DEBUG
    private const bool RuntimeCompilationAvailable = true;
#else
    private const bool RuntimeCompilationAvailable = false;
#endif

    public const int DefaultMaxPoolSize = 20;

    /// <summary>False: this node runs no asynchronous projection (a diagnostic, docs/operations.md).</summary>
    public const string RunDaemonKey = "Operations:Projections:RunDaemon";

    /// <summary>
    /// Pure: the service is simply to run (no command, at most the framework's own flags such as <c>--urls</c>). Then
    /// the command line is left out: it writes lines of its own to the console, which in Production must hold nothing
    /// but JSON log lines.
    /// </summary>
    public static bool IsPlainRun(string[] args) => args.Length == 0 || args[0].StartsWith('-');

    /// <summary>
    /// Where the host finds its appsettings files: beside its assembly, where the build puts them. The framework's default,
    /// the current directory, made a host started from anywhere else (a service manager, the benchmark, a shell in
    /// another folder) run without them, and so log every request at Information. Run from the project folder
    /// (<c>dotnet run</c>), that folder is the content root, as before.
    /// </summary>
    public static string ContentRoot() =>
        File.Exists(Path.Combine(System.IO.Directory.GetCurrentDirectory(), "appsettings.json")) ? System.IO.Directory.GetCurrentDirectory() : AppContext.BaseDirectory;

    /// <summary>Pure: the connection string the store uses, from the configured one and <c>Database:MaxPoolSize</c>.</summary>
    /// <summary>The longest a single statement may run (<c>Database:StatementTimeoutSeconds</c>) before PostgreSQL cancels it.</summary>
    public const int DefaultStatementTimeoutSeconds = 30;

    public static string StoreConnectionString(string configured, int maxPoolSize, int statementTimeoutSeconds = DefaultStatementTimeoutSeconds)
    {
        var connection = new NpgsqlConnectionStringBuilder(configured)
        {
            // Marten opens a pooled connection per operation; skipping the DISCARD ALL on each reuse saves a round trip
            // per query. Nothing here leaves session state behind on a connection.
            NoResetOnClose = true,
            // Marten and Wolverine send the same few statements again and again, so Npgsql prepares the ones a
            // connection has seen twice: the server then parses and plans each of them once per connection.
            MaxAutoPrepare = 64,
            AutoPrepareMinUsages = 2,
        };

        // A database server does its best work with a few busy connections per core. Npgsql's default pool of 100 let a
        // burst of requests open a hundred and more backends on a two-core server, which then spent its time switching
        // between them; beyond the pool, requests wait for a connection instead (docs/performance.md). A connection
        // string that sets its own maximum keeps it.
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = configured };
        if (!given.ContainsKey("Maximum Pool Size") && !given.ContainsKey("MaxPoolSize"))
        {
            connection.MaxPoolSize = maxPoolSize;
        }

        // A query that runs away (a report over a huge range, a plan gone wrong) is cancelled by the server instead of
        // holding a connection of the small pool for as long as it likes; 0 turns the limit off. A connection string that
        // sets statement_timeout itself keeps its own.
        if (statementTimeoutSeconds > 0 && connection.Options?.Contains("statement_timeout", StringComparison.Ordinal) != true)
        {
            var option = $"-c statement_timeout={statementTimeoutSeconds * 1000}";
            connection.Options = string.IsNullOrWhiteSpace(connection.Options) ? option : $"{connection.Options} {option}";
        }

        return connection.ConnectionString;
    }

    public static WebApplicationBuilder AddWorkingConversations(this WebApplicationBuilder builder, IReadOnlyList<IModule> modules)
    {
        var services = builder.Services;
        var environment = builder.Environment;

        // No Server banner: it tells an attacker which server and version to look up.
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<DatabaseConnection>();
        services.AddSingleton(OutboundSettings.From(builder.Configuration, environment));
        services.AddSingleton<OutboundRule>();
        services.AddLostRaceLogFilter();

        var journey = new JourneyCatalog();
        foreach (var module in modules) module.DescribeJourney(journey);
        services.AddSingleton(journey);
        services.AddSingleton<JourneyAccess>();

        var volunteers = new VolunteerCatalog();
        foreach (var module in modules) module.DescribeVolunteers(volunteers);
        HandledMessages.Describe(volunteers);
        services.AddSingleton(volunteers);
        services.AddSingleton<WriteStep>();

        var web = new WebCatalog();
        foreach (var module in modules) module.DescribeWeb(web);
        services.AddSingleton(web);
        services.AddStaffPages();

        foreach (var module in modules) module.AddServices(services, builder.Configuration);

        services.AddMarten(sp =>
            {
                var options = new StoreOptions();
                var configuration = sp.GetRequiredService<IConfiguration>();
                options.Connection(StoreConnectionString(sp.GetRequiredService<DatabaseConnection>().ConnectionString,
                    configuration.GetValue("Database:MaxPoolSize", DefaultMaxPoolSize),
                    configuration.GetValue("Database:StatementTimeoutSeconds", DefaultStatementTimeoutSeconds)));
                // Commands are logged without the values they carry, and a lost race is not an error (MartenCommandLog).
                options.Logger(new MartenCommandLog(sp.GetRequiredService<ILoggerFactory>().CreateLogger(MartenCommandLog.Category)));
                options.DatabaseSchemaName = "public";
                options.Events.DatabaseSchemaName = EventsSchema;
                options.Events.StreamIdentity = StreamIdentity.AsGuid;
                options.Events.AppendMode = EventAppendMode.Quick;
                options.Events.MetadataConfig.UserNameEnabled = true;
                options.Events.MetadataConfig.CorrelationIdEnabled = true;
                options.Events.MetadataConfig.CausationIdEnabled = true;
                options.Events.MetadataConfig.HeadersEnabled = true;
                options.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
                // The daemon looks for new events every second when it thinks the store is quiet, which alone made a
                // referral wait half a second on average for its outcome row. A quarter of a second costs one small
                // query more a second, and keeps the analysts' rows within a second of the write (docs/performance.md).
                options.Projections.SlowPollingTime = TimeSpan.FromMilliseconds(250);
                options.Projections.FastPollingTime = TimeSpan.FromMilliseconds(100);
                // Events appended, by type, on Marten's meter (marten.event.append), beside the daemon's own counters.
                options.OpenTelemetry.TrackEventCounters();
                journey.ApplyTo(options);
                IdempotencyKeys.Register(options);
                foreach (var module in modules) module.ConfigureMarten(options, sp);
                return options;
            })
            .UseLightweightSessions()
            .ApplyAllDatabaseChangesOnStartup()
            // Asynchronous projections run on Wolverine's agents: one node in Solo mode, spread over nodes otherwise. A node
            // with Operations:Projections:RunDaemon=false runs none of them (a diagnostic: the request path without the
            // daemon's work; docs/operations.md).
            .IntegrateWithWolverine(m => m.UseWolverineManagedEventSubscriptionDistribution = builder.Configuration.GetValue(RunDaemonKey, true));

        var messaging = MessagingSettings.From(builder.Configuration, environment.IsProduction());
        builder.Host.UseWolverine(opts =>
        {
            foreach (var module in modules) opts.Discovery.IncludeAssembly(module.GetType().Assembly);

            // The modular-monolith settings (Wolverine docs, "Modular Monoliths").
            opts.Durability.MessageStorageSchemaName = MessagesSchema;
            opts.MultipleHandlerBehavior = MultipleHandlerBehavior.Separated;
            opts.Durability.MessageIdentity = MessageIdentity.IdAndDestination;
            opts.Policies.AutoApplyTransactions();
            opts.EnableRelayOfUserName = true;
            opts.Policies.AddMiddleware(typeof(MessageLogScope));
            // A failed attempt that will be retried is not an error; the failure that sends a message to dead letters
            // is, and Wolverine logs that one (with its exception) at Error.
            opts.Policies.MessageFailureLogLevel(LogLevel.Debug);
            MessageDurability.From(builder.Configuration).ApplyTo(opts.Durability);

            // Durable local queues, or RabbitMQ, and the durability mode: configuration, not code (docs/operations.md).
            messaging.ApplyTo(opts);

            // Transient database trouble is retried with back-off; what still fails goes to dead-letter storage.
            opts.Policies.OnException<NpgsqlException>()
                .RetryWithCooldown(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(1))
                .Then.ScheduleRetry(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2))
                .Then.MoveToErrorQueue();
            // A handler that lost a race to another write of the same journey (a request, another handler) is run again
            // with a fresh session, after waits that grow, so it does not meet the same writers again; then, durably,
            // later. Only a record that keeps changing for minutes sends a message to dead letters.
            opts.Policies.OnException<ConcurrencyException>()
                .RetryWithCooldown(TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100),
                    TimeSpan.FromMilliseconds(250))
                .Then.ScheduleRetry(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30))
                .Then.MoveToErrorQueue();

            if (environment.IsProduction() || !RuntimeCompilationAvailable)
            {
                // Pre-generated handlers (src/WorkingConversations.Host/Internal/Generated): fast cold start, no Roslyn.
                opts.CodeGeneration.TypeLoadMode = TypeLoadMode.Static;
            }
            else
            {
                opts.CodeGeneration.TypeLoadMode = TypeLoadMode.Dynamic;
            }

            foreach (var module in modules) module.ConfigureWolverine(opts);
        });

        services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemDetailsDefaults.Customize);
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
            o.SerializerOptions.AllowTrailingCommas = false;
        });

        // Authentication is the Access module's (API keys; the staff session on pages); every route needs a caller unless it
        // says otherwise (health, metrics, Swagger).
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());

        // Read here, so that a proxy setting the host cannot read stops it at start-up, naming the setting.
        services.AddSingleton(ForwardedHeadersSettings.From(builder.Configuration));
        services.AddRateLimits(builder.Configuration);
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);

        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "Working Conversations API",
                Version = "v1",
                Description = "Referrals from partner charities, solution-focused conversations, volunteer training and honest outcomes. " +
                              "Authenticate with 'Authorization: Bearer <api key>'. Errors are RFC 9457 problem details.",
            });
            o.AddSecurityDefinition("Bearer", new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "An API key issued by an administrator (POST /api/v1/api-keys).",
            });
            o.AddSecurityRequirement(document => new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("Bearer", document)] = [] });
            o.CustomSchemaIds(SchemaId);
            // The API is served where the document is: a relative server, whatever address a deployment has.
            o.AddServer(new OpenApiServer { Url = "/", Description = "This service" });
        });

        AddTelemetry(builder);
        MessageActivities.AddTo(builder.Services, builder.Logging, tracingExported: !string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]));
        return builder;
    }

    /// <summary>
    /// The meters on <c>/metrics</c> (and OTLP): Wolverine's ("Wolverine" and its per-endpoint meters) and Marten's
    /// (appends, the projection daemon). The projection-lag gauge belongs in this list when it is registered.
    /// </summary>
    public static readonly IReadOnlyList<string> Meters = ["Wolverine*", "Marten", "WorkingConversations.*"];

    /// <summary>Records traces without an OTLP endpoint, for an exporter added in code (the tests' in-memory one).</summary>
    public const string RecordTracesKey = "Telemetry:RecordTraces";

    private static void AddTelemetry(WebApplicationBuilder builder)
    {
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("working-conversations"))
            .WithMetrics(m => m
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter([.. Meters])
                .AddPrometheusExporter());

        // Spans cost on every request and every database command (Npgsql, Marten and Wolverine each start one once
        // anything listens), so they are only recorded when there is a collector to send them to.
        var otlp = !string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        if (otlp || builder.Configuration.GetValue<bool>(RecordTracesKey))
        {
            telemetry.WithTracing(t => t
                .AddAspNetCoreInstrumentation(o => o.Filter = c => !c.Request.Path.StartsWithSegments("/health") && !c.Request.Path.StartsWithSegments("/metrics"))
                .AddHttpClientInstrumentation()
                .AddSource("Wolverine")
                .AddSource("Marten")
                .AddNpgsql());
        }

        if (otlp) telemetry.UseOtlpExporter();
    }

    /// <summary>
    /// Pure: a schema's name in the OpenAPI document: the type's full name, a generic one with its arguments
    /// (<c>...ListPage_...AuditItem</c>), so that every name is a valid component key (letters, digits, '.', '-', '_').
    /// </summary>
    public static string SchemaId(Type type)
    {
        var name = (type.IsGenericType ? type.GetGenericTypeDefinition().FullName! : type.FullName ?? type.Name).Replace("+", ".", StringComparison.Ordinal);
        if (!type.IsGenericType) return name;
        return name[..name.IndexOf('`', StringComparison.Ordinal)] + "_" + string.Join("_", type.GetGenericArguments().Select(SchemaId));
    }

    public const string SwaggerUiKey = "OpenApi:SwaggerUi";

    /// <summary>Pure: Swagger UI is served outside Production, and in Production only when configured.</summary>
    public static bool SwaggerUiEnabled(IHostEnvironment environment, IConfiguration configuration) =>
        configuration.GetValue<bool?>(SwaggerUiKey) ?? !environment.IsProduction();

    public static WebApplication UseWorkingConversations(this WebApplication app, IReadOnlyList<IModule> modules)
    {
        // Before anything reads the client's address: behind the configured proxies it is the one they forward.
        app.UseForwardedClients(app.Services.GetRequiredService<ForwardedHeadersSettings>());
        // First after it, so that the exception handler's own log line carries the request's correlation id too.
        app.UseMiddleware<CorrelationMiddleware>();
        // Before everything that answers (the exception handler, the staff assets, the pages), so every response has them.
        app.UseMiddleware<SecurityHeaders>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();

        // The OpenAPI document is the API's inventory and is always served; Swagger UI, a tool for people trying the API,
        // is off in Production unless OpenApi:SwaggerUi says so.
        app.UseSwagger();
        if (SwaggerUiEnabled(app.Environment, app.Configuration))
        {
            app.UseSwaggerUI(o =>
            {
                o.SwaggerEndpoint("/swagger/v1/swagger.json", "Working Conversations v1");
                o.RoutePrefix = "swagger";
            });
        }

        // The staff pages' stylesheet, script and images: public, served before anyone is asked who they are.
        app.UseStaffAssets();

        // The rate limit needs the caller (authentication: the staff session on a page, the API key elsewhere) and comes
        // before the role checks, so that a caller refused again and again is still counted.
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseMiddleware<EmptyIdGuard>();
        app.UseMiddleware<QueryTextGuard>();

        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = HealthReportJson.WriteAsync })
            .AllowAnonymous();
        app.MapPrometheusScrapingEndpoint("/metrics").AllowAnonymous();

        foreach (var module in modules) module.MapEndpoints(app);

        // The staff pages: the shell (home) and each module's pages, all in the one group of a staff session.
        var pages = app.MapStaffPageGroup();
        pages.MapShellPages();
        foreach (var module in modules) module.MapPages(pages);
        return app;
    }
}
