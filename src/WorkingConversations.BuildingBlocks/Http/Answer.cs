using System.Text;
using Microsoft.AspNetCore.Http;

namespace WorkingConversations.BuildingBlocks.Http;

/// <summary>What a successful write answers: its status, its body and, for something it created, where that lives.</summary>
public sealed record Answer(int Status, object? Body, string? Location = null)
{
    /// <summary>
    /// What a repeat with the same <c>Idempotency-Key</c> gets instead of <see cref="Body"/>, when the first answer showed
    /// a secret once (a new API key, a partner's callback secret): the secret is never stored, not even in the record.
    /// </summary>
    public object? Repeated { get; init; }

    public static Answer Ok(object body) => new(StatusCodes.Status200OK, body);

    public static Answer Created(string location, object body) => new(StatusCodes.Status201Created, body, location);

    public static Answer Accepted(string location, object body) => new(StatusCodes.Status202Accepted, body, location);

    public static Answer NoContent { get; } = new(StatusCodes.Status204NoContent, null);
}

/// <summary>
/// An answer whose JSON was serialised before the transaction committed, so that the response and the idempotency
/// record stored with the write are the same bytes.
/// </summary>
internal sealed class JsonAnswer(int status, string? json, string? location, string? etag, bool replayed) : IResult, IStatusCodeHttpResult
{
    public const string ReplayedHeader = "Idempotent-Replayed";

    public int? StatusCode => status;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = status;
        if (replayed) response.Headers[ReplayedHeader] = "true";
        if (location is not null) response.Headers.Location = location;
        if (etag is not null) response.Headers.ETag = etag;
        if (json is null) return;
        response.ContentType = "application/json; charset=utf-8";
        await response.WriteAsync(json, Encoding.UTF8, httpContext.RequestAborted);
    }
}
