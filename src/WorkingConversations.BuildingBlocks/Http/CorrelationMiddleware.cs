using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace WorkingConversations.BuildingBlocks;

/// <summary>
/// Gives every request a correlation id: the caller's <c>X-Correlation-Id</c> when it sends a sensible one, otherwise the
/// trace id. It is echoed back and stamped on every event and message the request causes.
/// </summary>
public sealed class CorrelationMiddleware(RequestDelegate next)
{
    public const string Header = "X-Correlation-Id";
    public const string ItemKey = "wc:correlation-id";

    public Task InvokeAsync(HttpContext context)
    {
        var supplied = context.Request.Headers[Header].ToString();
        var correlation = supplied.Length is > 0 and <= 128 && supplied.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':')
            ? supplied
            : Activity.Current?.TraceId.ToString() ?? Guid.CreateVersion7().ToString("N");
        context.Items[ItemKey] = correlation;
        Activity.Current?.SetTag("wc.correlation_id", correlation);
        context.Response.Headers[Header] = correlation;
        return next(context);
    }

    public static string Of(HttpContext context) =>
        context.Items.TryGetValue(ItemKey, out var value) && value is string s ? s : context.TraceIdentifier;
}
