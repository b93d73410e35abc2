using System.Diagnostics;
using System.Text.Json;
using JasperFx;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace WorkingConversations.BuildingBlocks;

/// <summary>
/// Turns every exception that reaches the pipeline into a problem response: a body the API could not read is the
/// caller's 400 (naming the field where the JSON broke), a lost optimistic-concurrency race is a 409, a database that
/// cannot be reached is a 503 with <c>Retry-After</c>, and anything else is a 500 with a trace id to quote, never a
/// stack trace.
/// </summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            BadHttpRequestException bad => FromBadRequest(bad),
            JsonException json => Malformed(json),
            _ when IsLostRace(exception) => new ProblemDetails
            {
                Status = 409,
                Type = ProblemTypes.Conflict,
                Title = "Conflict",
                Detail = "Another change to the same record was saved at the same moment. Read it again and retry.",
                Extensions = { [Writing.Refusal.RetryMember] = true },
            },
            _ when DatabaseUnavailable.Is(exception) => DatabaseUnavailable.Problem(),
            InvalidOperationException when HasUnknownCharset(httpContext.Request) => new ProblemDetails
            {
                Status = 415, Type = ProblemTypes.UnsupportedMediaType, Title = "Unsupported media type",
                Detail = "The charset of the Content-Type is not one this service can read: send the body as UTF-8 JSON.",
            },
            _ => null,
        };

        if (problem?.Status == 503)
        {
            // Expected while the database is away: one line without a stack trace, the health check says the rest.
            logger.LogWarning("The database could not be reached for {Method} {Path}: {Reason}", httpContext.Request.Method, httpContext.Request.Path,
                DatabaseUnavailable.Reason(exception));
            httpContext.Response.Headers.RetryAfter = DatabaseUnavailable.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (problem is null)
        {
            if (httpContext.RequestAborted.IsCancellationRequested) return true;
            logger.LogError(exception, "Unhandled exception for {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
            problem = new ProblemDetails
            {
                Status = 500,
                Type = ProblemTypes.ServerError,
                Title = "Something went wrong on our side",
                Detail = "The request could not be completed. Nothing was changed by it. Quote the traceId when reporting this.",
            };
        }

        httpContext.Response.StatusCode = problem.Status ?? 500;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    /// <summary>
    /// A write that lost an optimistic-concurrency race, however it arrives: as Marten's concurrency exception, or as the
    /// database's own refusal Marten wrapped (the stream version check, SQL state MT003, when a message handler appended
    /// to the same journey a moment before). One rule for the whole service: <see cref="Writing.LostRaces"/>.
    /// </summary>
    public static bool IsLostRace(Exception exception) => Writing.LostRaces.IsLostRaceAtTheDatabase(exception);

    /// <summary>The framework cannot read a JSON body whose Content-Type names a charset it does not know, and throws.</summary>
    internal static bool HasUnknownCharset(HttpRequest request)
    {
        if (!Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(request.ContentType, out var type) || type.Charset.Length == 0) return false;
        try
        {
            System.Text.Encoding.GetEncoding(type.Charset.ToString());
            return false;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    private static ProblemDetails FromBadRequest(BadHttpRequestException bad)
    {
        if (FindInner<JsonException>(bad) is { } json) return Malformed(json);

        return bad.StatusCode switch
        {
            413 => new ProblemDetails
            {
                Status = 413, Type = ProblemTypes.TooLarge, Title = "Request body too large",
                Detail = "The request body is larger than this route accepts.",
            },
            415 => new ProblemDetails
            {
                Status = 415, Type = ProblemTypes.UnsupportedMediaType, Title = "Unsupported media type",
                Detail = "Send the body as JSON with 'Content-Type: application/json'.",
            },
            _ when bad.Message.Contains("body was inferred but the method does not allow", StringComparison.Ordinal) ||
                   bad.Message.Contains("Implicit body inferred", StringComparison.Ordinal) ||
                   bad.Message.Contains("Required parameter", StringComparison.Ordinal) && bad.Message.Contains("body", StringComparison.OrdinalIgnoreCase)
                => Body("A JSON body is required."),
            _ when bad.Message.Contains("Expected a supported JSON media type", StringComparison.Ordinal) => new ProblemDetails
            {
                Status = 415, Type = ProblemTypes.UnsupportedMediaType, Title = "Unsupported media type",
                Detail = "Send the body as JSON with 'Content-Type: application/json'.",
            },
            _ => new ProblemDetails
            {
                Status = bad.StatusCode, Type = ProblemTypes.MalformedRequest, Title = "The request could not be read",
                Detail = bad.Message,
            },
        };
    }

    private static ProblemDetails Body(string message) => new HttpValidationProblemDetails(new Dictionary<string, string[]> { ["body"] = [message] })
    {
        Status = 400, Type = ProblemTypes.MalformedRequest, Title = "The request could not be read", Detail = message,
    };

    private static ProblemDetails Malformed(JsonException json)
    {
        var field = FieldPath(json.Path);
        var rule = field == "body"
            ? "must be a well-formed JSON object."
            : "has a value of the wrong type or format for this field.";
        return new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [rule] })
        {
            Status = 400,
            Type = ProblemTypes.MalformedRequest,
            Title = "The request body is not valid JSON for this route",
            Detail = field == "body" ? "The body is not well-formed JSON." : $"The field '{field}' could not be read: it {rule}",
        };
    }

    /// <summary>"$.person.dateOfBirth" becomes "person.dateOfBirth"; no path means the body as a whole.</summary>
    internal static string FieldPath(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$") return "body";
        var trimmed = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        return trimmed.Length == 0 ? "body" : trimmed;
    }

    private static T? FindInner<T>(Exception exception) where T : Exception
    {
        for (var e = exception.InnerException; e is not null; e = e.InnerException)
        {
            if (e is T found) return found;
        }

        return null;
    }
}

public static class ProblemDetailsDefaults
{
    /// <summary>Adds the trace id (and the correlation id) to every problem, so a caller can quote it.</summary>
    public static void Customize(ProblemDetailsContext context)
    {
        context.ProblemDetails.Extensions["traceId"] = Activity.Current?.TraceId.ToString() ?? context.HttpContext.TraceIdentifier;
        if (context.HttpContext.Items.TryGetValue(CorrelationMiddleware.ItemKey, out var correlation))
        {
            context.ProblemDetails.Extensions["correlationId"] = correlation;
        }

        context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
    }
}
