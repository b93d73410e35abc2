using Microsoft.Extensions.Logging;
using Wolverine;

namespace WorkingConversations.BuildingBlocks.Hosting;

/// <summary>
/// Wolverine middleware on every handler: the log lines written while a message is handled carry the correlation id of
/// the request (or message) that caused it, as the lines of a request do, so one id finds a change's whole trail.
/// Wolverine disposes of the scope <c>Before</c> returns when the handler is done.
/// </summary>
public static class MessageLogScope
{
    public const string Category = "WorkingConversations.Messages";

    public static IDisposable? Before(Envelope envelope, ILoggerFactory loggers) =>
        loggers.CreateLogger(Category).BeginScope(new LogScope(
            new KeyValuePair<string, object>(CorrelationMiddleware.LogProperty, envelope.CorrelationId ?? ""),
            new KeyValuePair<string, object>("MessageId", envelope.Id)));
}
