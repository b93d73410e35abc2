using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using WorkingConversations.BuildingBlocks.Hosting;

namespace WorkingConversations.BuildingBlocks;

/// <summary>
/// Gives every request a correlation id: the caller's <c>X-Correlation-Id</c> when it sends a sensible one, otherwise the
/// trace id. It is echoed back, stamped on every event and message the request causes, and carried by every log line
/// written while the request runs (a logging scope, <c>CorrelationId</c>).
/// </summary>
public sealed class CorrelationMiddleware(RequestDelegate next, ILogger<CorrelationMiddleware> logger)
{
    public const string Header = "X-Correlation-Id";
    public const string ItemKey = "wc:correlation-id";
    public const string LogProperty = "CorrelationId";

    public async Task InvokeAsync(HttpContext context)
    {
        var supplied = context.Request.Headers[Header].ToString();
        var correlation = supplied.Length is > 0 and <= 128 && supplied.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':')
            ? supplied
            : Activity.Current?.TraceId.ToString() ?? Guid.CreateVersion7().ToString("N");
        context.Items[ItemKey] = correlation;
        Activity.Current?.SetTag("wc.correlation_id", correlation);
        // Set as the response starts, so that an error response the exception handler rewrote still carries it.
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[Header] = correlation;
            return Task.CompletedTask;
        });
        using (logger.BeginScope(LogScope.Of(LogProperty, correlation)))
        {
            await next(context);
        }
    }

    public static string Of(HttpContext context) =>
        context.Items.TryGetValue(ItemKey, out var value) && value is string s ? s : context.TraceIdentifier;
}
