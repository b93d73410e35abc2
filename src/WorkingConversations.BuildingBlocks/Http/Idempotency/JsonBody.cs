using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace WorkingConversations.BuildingBlocks.Http.Idempotency;

/// <summary>A JSON request body read by the route itself: its size, media type, raw-bytes hash and parse problem.</summary>
public interface IJsonBody
{
    /// <summary>Why the body could not be read (413, 415 or 400), or null when <c>Value</c> holds it.</summary>
    IResult? Problem { get; }

    /// <summary>Lower-case hex SHA-256 of the raw bytes, so an idempotent repeat is compared byte for byte.</summary>
    string Sha256 { get; }
}

/// <summary>
/// Binds a JSON body while keeping what the framework's binder throws away: the raw bytes (their hash decides whether
/// an <c>Idempotency-Key</c> repeat is the same request) and control over the size limit. The in-memory test server
/// enforces no Kestrel limit, so the limit is checked here, on <c>Content-Length</c> first and then on the bytes read.
/// Every field it does not know (a typo, a field of another route) and every field the service sets itself (ids,
/// statuses, versions, times) is refused with a 400 that names each of them, at any depth (<see cref="BodyFields"/>).
/// </summary>
public sealed class JsonBody<T> : IJsonBody where T : class
{
    public const long DefaultMaxBytes = 64 * 1024;

    private JsonBody(T? value, IResult? problem, string sha256)
    {
        Value = value;
        Problem = problem;
        Sha256 = sha256;
    }

    public T? Value { get; }

    /// <summary>The body, for the route: <c>WithJsonBody</c> has answered one that could not be read before the route runs.</summary>
    public T Read => Value ?? throw new InvalidOperationException($"The body was not read: map the route with WithJsonBody<{typeof(T).Name}>().");

    public IResult? Problem { get; }

    public string Sha256 { get; }

    public static async ValueTask<JsonBody<T>?> BindAsync(HttpContext http, ParameterInfo parameter)
    {
        var endpoint = http.GetEndpoint();
        var max = endpoint?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? DefaultMaxBytes;
        var optional = endpoint?.Metadata.GetMetadata<OptionalJsonBody>() is not null;
        var request = http.Request;
        if (request.ContentLength > max) return Failed(TooLarge(max));
        if (optional && request.ContentLength is 0) return new JsonBody<T>(null, null, "");
        if (optional && request.ContentLength is null && string.IsNullOrEmpty(request.ContentType) && !request.Headers.ContainsKey("Transfer-Encoding"))
            return new JsonBody<T>(null, null, "");
        if (!IsJson(request.ContentType)) return Failed(UnsupportedMediaType());

        byte[] bytes;
        try
        {
            bytes = await ReadAtMost(request.Body, max, http.RequestAborted);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Failed(TooLarge(max));
        }

        if (bytes.Length > max) return Failed(TooLarge(max));
        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (bytes.Length == 0)
        {
            return optional ? new JsonBody<T>(null, null, hash) : Failed(Malformed("body", "is required: send a JSON object.", "The request has no body."), hash);
        }

        var options = http.RequestServices.GetService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>()?.Value.SerializerOptions
                      ?? JsonSerializerOptions.Web;
        try
        {
            if (BodyFields.NotAccepted<T>(bytes, options) is { Count: > 0 } refused) return Failed(NotAccepted(refused), hash);
            var value = JsonSerializer.Deserialize<T>(bytes, options);
            return value is null && !optional
                ? Failed(Malformed("body", "is required: send a JSON object, not null.", "The body is the JSON literal null."), hash)
                : new JsonBody<T>(value, null, hash);
        }
        catch (JsonException e)
        {
            var field = ProblemExceptionHandler.FieldPath(e.Path);
            return field == "body"
                ? Failed(Malformed(field, "must be a well-formed JSON object.", "The body is not well-formed JSON."), hash)
                : Failed(Malformed(field, "has a value of the wrong type or format for this field.",
                    $"The field '{field}' could not be read: it has a value of the wrong type or format for this field."), hash);
        }
    }

    private static JsonBody<T> Failed(IResult problem, string sha256 = "") => new(null, problem, sha256);

    /// <summary>Reads one byte past the limit at most, so a huge body is refused without being held in memory.</summary>
    private static async Task<byte[]> ReadAtMost(Stream body, long max, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > max) break;
        }

        return buffer.ToArray();
    }

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media) &&
        (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) ||
         media.MediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    internal static ProblemHttpResult TooLarge(long max) =>
        TypedResults.Problem($"The request body is larger than this route accepts ({max / 1024} KB).",
            statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large", type: ProblemTypes.TooLarge,
            extensions: new Dictionary<string, object?> { ["maxBytes"] = max });

    private static ProblemHttpResult UnsupportedMediaType() =>
        TypedResults.Problem("Send the body as JSON with 'Content-Type: application/json'.",
            statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type", type: ProblemTypes.UnsupportedMediaType);

    private static ValidationProblem NotAccepted(IReadOnlyDictionary<string, string> refused) =>
        TypedResults.ValidationProblem(refused.ToDictionary(r => r.Key, r => new[] { r.Value }),
            $"The body has fields this route does not take: {string.Join(", ", refused.Keys)}. Remove them and send it again.",
            title: "The request body has fields this route does not take", type: ProblemTypes.Validation);

    private static ValidationProblem Malformed(string field, string rule, string detail) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [rule] }, detail,
            title: "The request body is not valid JSON for this route", type: ProblemTypes.MalformedRequest);
}

/// <summary>Marks a route whose JSON body may be left out (or be empty, or <c>null</c>): the route gets a null value.</summary>
public sealed record OptionalJsonBody;

/// <summary>The body of a route that takes no fields: <c>{}</c>, or nothing at all; any field in it is refused.</summary>
public sealed record NoFields;

/// <summary>Size limit metadata for routes that read a <see cref="JsonBody{T}"/>; routing also hands it to servers with per-request limits (Kestrel).</summary>
public sealed record BodySizeLimit(long? MaxRequestBodySize) : IRequestSizeLimitMetadata;

public static class JsonBodyEndpointExtensions
{
    /// <summary>
    /// Declares the route's JSON body (for OpenAPI), its size limit, and returns the body's 400, 413 or 415 problem before
    /// the handler runs. Use with a <see cref="JsonBody{T}"/> parameter.
    /// </summary>
    public static RouteHandlerBuilder WithJsonBody<T>(this RouteHandlerBuilder builder, long maxBytes = JsonBody<T>.DefaultMaxBytes, bool optional = false)
        where T : class =>
        (optional ? builder.Accepts<T>(isOptional: true, "application/json").WithMetadata(new OptionalJsonBody()) : builder.Accepts<T>("application/json"))
            .WithMetadata(new BodySizeLimit(maxBytes))
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .AddEndpointFilter(async (context, next) =>
                context.Arguments.OfType<IJsonBody>().FirstOrDefault(b => b.Problem is not null) is { } failed
                    ? failed.Problem
                    : await next(context));
}
