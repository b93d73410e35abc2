using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace WorkingConversations.BuildingBlocks.Hosting;

/// <summary>
/// Every log line carries the tags of the activity it is written in: a request's carries <c>wc.correlation_id</c>
/// (even the framework's own request lines), and a message's carries <c>messaging.conversation_id</c>, Wolverine's
/// name for the correlation id it was sent with, also on the lines Wolverine writes itself (a retry, a dead letter).
/// Wolverine only makes an activity per message when something listens, so when no traces are exported a listener
/// asks for them without recording them.
/// </summary>
public static class MessageActivities
{
    public static void AddTo(IServiceCollection services, ILoggingBuilder logging, bool tracingExported)
    {
        logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.Tags);
        if (!tracingExported) services.AddHostedService<Listener>();
    }

    private sealed class Listener : IHostedService, IDisposable
    {
        private readonly ActivityListener _listener = new()
        {
            ShouldListenTo = source => source.Name == "Wolverine",
            // Made and tagged, never recorded or sent anywhere.
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.PropagationData,
        };

        public Task StartAsync(CancellationToken cancellationToken)
        {
            ActivitySource.AddActivityListener(_listener);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public void Dispose() => _listener.Dispose();
    }
}
