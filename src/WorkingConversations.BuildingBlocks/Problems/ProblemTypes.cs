namespace WorkingConversations.BuildingBlocks;

/// <summary>Stable problem type URIs (RFC 9457), documented in docs/api/problems.md.</summary>
public static class ProblemTypes
{
    private const string Base = "https://working-conversations.example/problems/";
    public const string Validation = Base + "validation";
    public const string MalformedRequest = Base + "malformed-request";
    public const string Unauthorized = Base + "unauthorized";
    public const string Forbidden = Base + "forbidden";
    public const string NotFound = Base + "not-found";
    public const string Conflict = Base + "conflict";
    public const string PreconditionFailed = Base + "precondition-failed";
    public const string IdempotencyMismatch = Base + "idempotency-key-reused";
    public const string TooLarge = Base + "payload-too-large";
    public const string UnsupportedMediaType = Base + "unsupported-media-type";
    public const string RateLimited = Base + "rate-limited";
    public const string Unprocessable = Base + "unprocessable";
    public const string ServiceUnavailable = Base + "service-unavailable";
    public const string ServerError = Base + "server-error";
}
