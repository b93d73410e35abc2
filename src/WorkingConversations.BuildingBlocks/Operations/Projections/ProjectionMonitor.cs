using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace WorkingConversations.BuildingBlocks.Operations.Projections;

/// <summary>
/// Looks at the asynchronous projections every few seconds: publishes each one's lag and whether it has stopped as
/// metrics, and writes one error line, naming the projection and the way back, when one stops on a failure.
/// </summary>
public sealed partial class ProjectionMonitor(ProjectionStates states, ProjectionLagSettings settings, ILogger<ProjectionMonitor> logger) : BackgroundService
{
    public const string MeterName = "WorkingConversations.Operations";
    private static readonly Meter Meter = new(MeterName);
    private readonly HashSet<string> _stopped = [];
    private IReadOnlyList<ProjectionState> _latest = [];

    /// <summary>Registers the gauges; they read the latest look the monitor took.</summary>
    public ProjectionMonitor Observe()
    {
        Meter.CreateObservableGauge("wc.projection.lag.events", () => _latest.Select(p => new Measurement<long>(p.BehindEvents, Tag(p))),
            description: "Events the projection has not folded yet");
        Meter.CreateObservableGauge("wc.projection.lag.seconds", () => _latest.Select(p => new Measurement<double>(p.BehindSeconds, Tag(p))),
            unit: "s", description: "Age of the oldest event the projection has not folded yet");
        Meter.CreateObservableGauge("wc.projection.stopped", () => _latest.Select(p => new Measurement<int>(p.State == ProjectionState.Stopped ? 1 : 0, Tag(p))),
            description: "1 while the projection has stopped on a failure it will not recover from by itself");
        return this;
    }

    public IReadOnlyList<ProjectionState> Latest => _latest;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The first look waits a period: at start-up the store may still be creating its tables.
        using var timer = new PeriodicTimer(settings.SampleEvery);
        while (await WaitAsync(timer, stoppingToken))
        {
            try
            {
                var now = await states.ReadAsync(stoppingToken);
                _latest = now;
                foreach (var p in now)
                {
                    if (p.State == ProjectionState.Stopped && _stopped.Add(p.Name))
                        Stopped(logger, p.Name, p.Failure?.Category ?? "unknown", p.Failure?.AtSequence, p.Failure?.Message ?? "no reason given");
                    else if (p.State != ProjectionState.Stopped && _stopped.Remove(p.Name))
                        RunningAgain(logger, p.Name, p.State);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (DatabaseUnavailable.Is(e) || e is TimeoutException)
            {
                // The database is away: the database health check says so; nothing to add every few seconds.
                CouldNotLook(logger, e.Message);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A monitor that stops would leave the metrics frozen; it keeps looking.
                LookFailed(logger, e);
            }
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static KeyValuePair<string, object?> Tag(ProjectionState p) => new("projection", p.Name);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "The projection {Projection} has stopped on a {Category} failure at event {Sequence}: {Failure}. It will not restart by itself and its figures stay as they are. " +
                  "Bring it back with POST /api/v1/admin/projections/{Projection}/rebuild (docs/operations.md, Projections).")]
    private static partial void Stopped(ILogger logger, string projection, string category, long? sequence, string failure);

    [LoggerMessage(Level = LogLevel.Information, Message = "The projection {Projection} is {State} again")]
    private static partial void RunningAgain(ILogger logger, string projection, string state);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the projections' state")]
    private static partial void LookFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not read the projections' state: {Reason}")]
    private static partial void CouldNotLook(ILogger logger, string reason);
}
