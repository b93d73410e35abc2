using System.Security.Cryptography;
using System.Text;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using WorkingConversations.BuildingBlocks.Auth;
using WorkingConversations.BuildingBlocks.Writing;

namespace WorkingConversations.BuildingBlocks.Http.Idempotency;

/// <summary>
/// The <c>Idempotency-Key</c> convention of api.md for any POST that creates something: a repeat with the same key and
/// the same body gets the original status and body and changes nothing; the same key with another body gets 422.
/// Keys are per caller (the partner, or else the API key) and remembered for at least <see cref="KeptFor"/>.
/// </summary>
/// <remarks>
/// The route's filter checks the header and answers a repeat from the stored record before the route runs. The record
/// of a new request is written by the write step (<see cref="WriteStep"/>) in the transaction of the write it answers,
/// so a write is never without its record: a process that dies after the commit is answered from the record when the
/// caller tries again. Two requests with one key at the same moment both try to insert the record; the second's whole
/// transaction fails, and its next attempt finds the first one's record and answers with it. Only successful (2xx)
/// answers are remembered: a refused request can be corrected and sent again with the same key.
/// </remarks>
public static class IdempotencyKeys
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = JsonAnswer.ReplayedHeader;
    public const int MaxKeyLength = 255;
    public static readonly TimeSpan KeptFor = TimeSpan.FromHours(24);

    /// <summary>
    /// The record document. Versioned, so that two requests renewing an expired record at once conflict instead of both
    /// writing: the loser replays the winner's answer.
    /// </summary>
    public static void Register(StoreOptions options) => options.Schema.For<IdempotencyRecord>().UseOptimisticConcurrency(true);

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

    private static async Task LegacyRecord(HttpContext http, IdempotentRequest request, object? result, DateTimeOffset now)
    {
        while (result is INestedHttpResult nested) result = nested.Result;
        if (result is not IStatusCodeHttpResult { StatusCode: { } status }) return;
        var value = result is IValueHttpResult valued ? valued.Value : null;
        var options = http.RequestServices.GetService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>()?.Value.SerializerOptions
                      ?? System.Text.Json.JsonSerializerOptions.Web;
        var body = value is null ? null : System.Text.Json.JsonSerializer.Serialize(value, value.GetType(), options);
        var location = result.GetType().GetProperty("Location")?.GetValue(result) as string;
        await using var session = http.RequestServices.GetRequiredService<IDocumentStore>().LightweightSession();
        if (request.SawExpiredRecord) await request.AnswerEarlierAsync(session, 2, now, CancellationToken.None);
        request.Record(session, status, body, location, now);
        try
        {
            await session.SaveChangesAsync(CancellationToken.None);
        }
        catch (Exception e) when (LostRaces.IsLostRace(e))
        {
            // Another request with the same key recorded its answer first.
        }
    }

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
        var request = new IdempotentRequest(RecordId(Actor.From(http.User), key), key, RequestHash(http.Request.Method, http.Request.Path.Value ?? "", bodyHash),
            http.Request.Method, http.Request.Path.Value ?? "");

        IdempotencyRecord? existing;
        await using (var query = http.RequestServices.GetRequiredService<IDocumentStore>().QuerySession())
        {
            existing = await query.LoadAsync<IdempotencyRecord>(request.RecordId, http.RequestAborted);
        }

        var now = http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        if (request.Answer(existing, now) is { } earlier) return earlier;

        request.SawExpiredRecord = existing is not null;
        http.Features.Set(request);
        var result = await next(context);
        if (!request.Handled && result is IStatusCodeHttpResult { StatusCode: >= 200 and < 300 })
        {
            // Until every idempotent route writes through the write step: the record is stored after the route's own commit.
            await LegacyRecord(http, request, result, now);
        }

        return result;
    }
}
