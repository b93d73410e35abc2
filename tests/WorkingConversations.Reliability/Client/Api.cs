using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace WorkingConversations.Reliability.Client;

/// <summary>What one attempt got back: <see cref="Status"/> 0 when no answer came (refused, reset, timed out).</summary>
public sealed record Reply(int Status, string Body, string? ContentType, string? RetryAfter, TimeSpan Took, string? Failure)
{
    public bool Answered => Status != 0;
    public bool Succeeded => Status is >= 200 and < 300;
    public bool IsProblem => ContentType == "application/problem+json";

    /// <summary>A FHIR error: an OperationOutcome resource as <c>application/fhir+json</c>.</summary>
    public bool IsOperationOutcome => ContentType == "application/fhir+json" && Body.Length > 0
        && Json.ValueKind == JsonValueKind.Object && Json.TryGetProperty("resourceType", out var type) && type.GetString() == "OperationOutcome";

    /// <summary>
    /// Kestrel's own answer to a request it could not parse into one (a request line over its limit, a NUL in the path):
    /// it never reaches the application, and comes with no body.
    /// </summary>
    public bool IsRefusedByServer => Status is 400 or 414 or 431 && ContentType is null && Body.Length == 0;

    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    /// <summary>A 409 that says the request lost a race and is safe to send again (<c>"retry": true</c>).</summary>
    public bool IsLostRace => Status == 409 && IsProblem && Json.TryGetProperty("retry", out var retry) && retry.ValueKind == JsonValueKind.True;

    public override string ToString() => Answered ? $"{Status} {Body[..Math.Min(Body.Length, 300)]}" : $"no answer ({Failure})";
}

/// <summary>One request as the harness sends it, so that a retry sends exactly the same thing.</summary>
public sealed record Call(HttpMethod Method, string Path, string? Key, string? Body = null, string? IdempotencyKey = null,
    string ContentType = "application/json", IReadOnlyDictionary<string, string>? Headers = null)
{
    public string Route => $"{Method} {Path}";
}

/// <summary>A thin HTTP client over the nodes of the service: each call goes to a node the caller picks.</summary>
public sealed class Api : IDisposable
{
    private readonly HttpClient _client = new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = 256,
        PooledConnectionLifetime = TimeSpan.FromMinutes(1),
        ConnectTimeout = TimeSpan.FromSeconds(2),
        // Bad input includes header values that are not ASCII: send them as UTF-8 rather than refuse to send them.
        RequestHeaderEncodingSelector = (_, _) => Encoding.UTF8,
    })
    {
        // A request the host holds longer than this counts as unanswered and is retried, as a client with a deadline does.
        Timeout = TimeSpan.FromSeconds(15),
    };

    public async Task<Reply> SendAsync(Uri node, Call call, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(call.Method, new Uri(node, call.Path));
        if (call.Body is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(call.Body));
            if (call.ContentType.Length > 0) request.Content.Headers.TryAddWithoutValidation("Content-Type", call.ContentType);
        }

        if (call.Key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", call.Key);
        if (call.IdempotencyKey is not null) request.Headers.TryAddWithoutValidation("Idempotency-Key", call.IdempotencyKey);
        foreach (var (name, value) in call.Headers ?? new Dictionary<string, string>())
        {
            if (!request.Headers.TryAddWithoutValidation(name, value)) request.Content?.Headers.TryAddWithoutValidation(name, value);
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await _client.SendAsync(request, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            return new Reply((int)response.StatusCode, body, response.Content.Headers.ContentType?.MediaType,
                response.Headers.RetryAfter?.ToString(), Stopwatch.GetElapsedTime(started), null);
        }
        catch (HttpRequestException e)
        {
            return new Reply(0, "", null, null, Stopwatch.GetElapsedTime(started), e.HttpRequestError.ToString());
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return new Reply(0, "", null, null, Stopwatch.GetElapsedTime(started), "timeout");
        }
        catch (IOException e)
        {
            return new Reply(0, "", null, null, Stopwatch.GetElapsedTime(started), e.GetType().Name);
        }
    }

    public static string Json(object value) => JsonSerializer.Serialize(value, JsonSerializerOptions.Web);

    public void Dispose() => _client.Dispose();
}
