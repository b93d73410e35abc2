using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using WorkingConversations.BuildingBlocks.Auth;
using WorkingConversations.BuildingBlocks.Hosting;

namespace WorkingConversations.BuildingBlocks.Http.Idempotency;

/// <summary>
/// The <c>Idempotency-Key</c> convention of api.md for any POST that creates something: a repeat with the same key and
/// the same body gets the original status and body and changes nothing; the same key with another body gets 422.
/// Keys are per caller (the partner, or else the API key) and remembered for at least <see cref="KeptFor"/>.
/// </summary>
/// <remarks>
/// Requests with the same caller and key are serialised by a PostgreSQL transaction-level advisory lock held while
/// the route runs, so concurrent repeats wait for the first and then replay its answer instead of racing it. Only
/// successful (2xx) answers are remembered: a refused request can be corrected and sent again with the same key.
/// </remarks>
public static class IdempotencyKeys
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = JsonAnswer.ReplayedHeader;
    public const int MaxKeyLength = 255;
    public static readonly TimeSpan KeptFor = TimeSpan.FromHours(24);

    /// <summary>Registers the record document (call from the Marten configuration of whoever uses the filter).</summary>
    public static void Register(StoreOptions options) => options.Schema.For<IdempotencyRecord>();

    /// <summary>Applies the convention to a route; put it after <c>WithJsonBody</c> so the raw body's hash is known.</summary>
    public static RouteHandlerBuilder WithIdempotencyKey(this RouteHandlerBuilder builder) =>
        builder
            .AddEndpointFilter(InvokeAsync)
            .WithMetadata(new IdempotencyKeyMetadata())
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

    /// <summary>Words for the OpenAPI description of a route that uses <see cref="WithIdempotencyKey"/>.</summary>
    public static readonly string Description =
        $"Send an `{Header}` header (1 to {MaxKeyLength} characters, unique per request you mean) to make retries safe: " +
        "a repeat with the same key and the same body returns the original status and body and creates nothing; " +
        $"the same key with a different body gets 422. Keys are remembered for at least {KeptFor.TotalHours:0} hours, per partner or API key.";

    /// <summary>The caller's record id: partner keys share the partner's keys, other keys have their own.</summary>
    public static string RecordId(Actor actor, string key) =>
        (actor.PartnerId is { } partner ? $"partner:{partner}" : $"key:{actor.KeyId}") + "|" + key;

    /// <summary>Pure: the same route and the same raw body give the same hash.</summary>
    public static string RequestHash(string method, string path, string bodySha256) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{method.ToUpperInvariant()} {path}\n{bodySha256}")));

    /// <summary>Pure: a key is one header value of 1 to 255 visible ASCII characters.</summary>
    public static bool IsValidKey(string key) => key.Length is >= 1 and <= MaxKeyLength && key.All(c => c is >= '!' and <= '~' or ' ');

    private static async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!http.Request.Headers.TryGetValue(Header, out var values)) return await next(context);
        var key = values.ToString();
        if (values.Count != 1 || !IsValidKey(key))
        {
            return Problem.Validation(Header, $"must be one header value of 1 to {MaxKeyLength} printable ASCII characters.");
        }

        var bodyHash = context.Arguments.OfType<IJsonBody>().FirstOrDefault()?.Sha256 ?? "";
        var hash = RequestHash(http.Request.Method, http.Request.Path.Value ?? "", bodyHash);
        var id = RecordId(Actor.From(http.User), key);
        var services = http.RequestServices;
        var store = services.GetRequiredService<IDocumentStore>();
        var clock = services.GetRequiredService<TimeProvider>();
        var ct = http.RequestAborted;

        await using var connection = new NpgsqlConnection(services.GetRequiredService<DatabaseConnection>().ConnectionString);
        await connection.OpenAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var lockCommand = new NpgsqlCommand("select pg_advisory_xact_lock(@k)", connection, transaction))
        {
            lockCommand.Parameters.AddWithValue("k", BinaryPrimitives.ReadInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes("idempotency|" + id))));
            await lockCommand.ExecuteNonQueryAsync(ct);
        }

        IdempotencyRecord? existing;
        await using (var query = store.QuerySession())
        {
            existing = await query.LoadAsync<IdempotencyRecord>(id, ct);
        }

        var now = clock.GetUtcNow();
        if (existing is not null && existing.ExpiresAt > now)
        {
            return existing.RequestHash == hash
                ? new ReplayedResult(existing)
                : TypedResults.Problem($"The {Header} '{key}' was already used with a different request. Use a new key for a new request.",
                    statusCode: StatusCodes.Status422UnprocessableEntity, title: "Idempotency key reused", type: ProblemTypes.IdempotencyMismatch);
        }

        var result = await next(context);
        // The handler's write has committed: the record of it must be kept even if the caller gives up now, which is
        // exactly when it will retry with the same key. So these two are not cancelled with the request.
        if (Capture(result, services) is { Status: >= 200 and < 300 } captured)
        {
            await using var session = store.LightweightSession();
            session.Store(new IdempotencyRecord(id, hash, http.Request.Method, http.Request.Path.Value ?? "", captured.Status, captured.Body,
                captured.Location, now, now + KeptFor));
            await session.SaveChangesAsync(CancellationToken.None);
        }

        await transaction.CommitAsync(CancellationToken.None);
        return result;
    }

    private sealed record Captured(int Status, string? Body, string? Location);

    private static Captured? Capture(object? result, IServiceProvider services)
    {
        while (result is INestedHttpResult nested) result = nested.Result;
        if (result is not IStatusCodeHttpResult { StatusCode: { } status }) return null;
        var value = result is IValueHttpResult valued ? valued.Value : null;
        var options = services.GetService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>()?.Value.SerializerOptions ?? JsonSerializerOptions.Web;
        var body = value is null ? null : JsonSerializer.Serialize(value, value.GetType(), options);
        // Created and Accepted results carry their Location as a property; no interface exposes it.
        var location = result.GetType().GetProperty("Location")?.GetValue(result) as string;
        return new Captured(status, body, location);
    }

    private sealed class ReplayedResult(IdempotencyRecord record) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => record.Status;

        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = record.Status;
            response.Headers[ReplayedHeader] = "true";
            if (record.Location is not null) response.Headers.Location = record.Location;
            if (record.Body is not null)
            {
                response.ContentType = "application/json; charset=utf-8";
                await response.WriteAsync(record.Body, Encoding.UTF8, httpContext.RequestAborted);
            }
        }
    }
}
