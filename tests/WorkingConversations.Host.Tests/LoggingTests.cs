using JasperFx;
using Microsoft.Extensions.Logging;
using Npgsql;
using WorkingConversations.BuildingBlocks.Hosting;

namespace WorkingConversations.Host.Tests;

/// <summary>What reaches the operators' log when a write loses a race, and what never does: the values a command carried.</summary>
public sealed class LoggingTests
{
    private sealed class Capture : ILoggerProvider
    {
        public List<(string Category, LogLevel Level, int EventId, string Text, Exception? Exception)> Entries { get; } = [];

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void Dispose()
        {
        }

        private sealed class Logger(Capture capture, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (capture.Entries) capture.Entries.Add((category, logLevel, eventId.Id, formatter(state, exception), exception));
            }
        }
    }

    private static (ILoggerFactory Factory, Capture Capture) Logging()
    {
        var capture = new Capture();
        var services = new ServiceCollection().AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(capture)).AddLostRaceLogFilter();
        return (services.BuildServiceProvider().GetRequiredService<ILoggerFactory>(), capture);
    }

    [Fact]
    public void A_handler_that_lost_a_race_and_is_run_again_is_not_an_error_but_any_other_failure_is()
    {
        var (factory, capture) = Logging();
        var logger = factory.CreateLogger("WorkingConversations.Outcomes.Contracts.RiskIndicated");

        logger.Log(LogLevel.Error, new EventId(LostRaceLogFilter.MessageFailedEventId), "Failed to process message RiskIndicated", new ConcurrencyException(typeof(object), Guid.NewGuid()),
            (s, _) => s);
        logger.Log(LogLevel.Error, new EventId(LostRaceLogFilter.MessageFailedEventId), "Failed to process message RiskIndicated", new InvalidOperationException("broken"),
            (s, _) => s);

        Assert.Equal([LogLevel.Debug, LogLevel.Error], capture.Entries.Select(e => e.Level));
        Assert.Null(capture.Entries[0].Exception);
        Assert.IsType<InvalidOperationException>(capture.Entries[1].Exception);
    }

    [Fact]
    public void A_failed_database_command_is_logged_without_the_values_it_carried_and_a_lost_race_is_not_an_error()
    {
        var (factory, capture) = Logging();
        var log = new MartenCommandLog(factory.CreateLogger(MartenCommandLog.Category));
        var batch = new NpgsqlBatch();
        var command = new NpgsqlBatchCommand("insert into events.mt_events (data) values ($1)");
        command.Parameters.Add(new NpgsqlParameter { Value = "{\"bestHopes\":\"secret-hope-of-a-person\"}" });
        batch.BatchCommands.Add(command);

        log.LogFailure(batch, new InvalidOperationException("the server went away"));
        log.LogFailure(batch, new JasperFx.Events.EventStreamUnexpectedMaxEventIdException("stream", typeof(object), 9, 10));

        Assert.DoesNotContain(capture.Entries, e => e.Text.Contains("secret-hope", StringComparison.Ordinal));
        Assert.Equal([LogLevel.Error, LogLevel.Debug], capture.Entries.Select(e => e.Level));
    }
}
