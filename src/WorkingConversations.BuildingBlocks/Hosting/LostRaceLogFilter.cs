using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using WorkingConversations.BuildingBlocks.Writing;

namespace WorkingConversations.BuildingBlocks.Hosting;

/// <summary>
/// Wolverine logs every failed handling of a message as an error with its exception (event 105), and so also a handler
/// that lost a race to another write of the same journey, which its retry policy then runs again: normal work, not an
/// error. This filter turns exactly those entries into debug entries. A message that is given up on is still logged,
/// by Wolverine's own entry for the move to dead letters, and so is every other failure.
/// </summary>
public static class LostRaceLogFilter
{
    /// <summary>Wolverine's event id for a failed handling of a message (Wolverine.Runtime.Handlers.Executor.MessageFailedEventId).</summary>
    public const int MessageFailedEventId = 105;

    /// <summary>Every logger of the host goes through the filter, whichever providers are added before or after.</summary>
    public static IServiceCollection AddLostRaceLogFilter(this IServiceCollection services)
    {
        services.AddLogging();
        services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(sp => new Factory(ActivatorUtilities.CreateInstance<LoggerFactory>(sp))));
        return services;
    }

    /// <summary>Pure: the entry is a handler's lost race, which is run again.</summary>
    public static bool IsHandlerLostRace(LogLevel level, EventId eventId, Exception? exception) =>
        level >= LogLevel.Warning && eventId.Id == MessageFailedEventId && exception is not null && LostRaces.IsLostRace(exception);

    private sealed class Factory(LoggerFactory inner) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => new Filtered(inner.CreateLogger(categoryName));

        public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

        public void Dispose() => inner.Dispose();
    }

    private sealed class Filtered(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsHandlerLostRace(logLevel, eventId, exception))
            {
                if (inner.IsEnabled(LogLevel.Debug)) inner.Log(LogLevel.Debug, eventId, state, null, formatter);
                return;
            }

            inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
