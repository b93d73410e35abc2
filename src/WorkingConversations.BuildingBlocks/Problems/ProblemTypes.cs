namespace WorkingConversations.BuildingBlocks;

/// <summary>Stable problem type URIs (RFC 9457), documented in docs/api/problems.md, each with its status and title.</summary>
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

    private static readonly Dictionary<string, (int Status, string Title)> Meaning = new(StringComparer.Ordinal)
    {
        [Validation] = (400, "The request is not valid"),
        [MalformedRequest] = (400, "The request could not be read"),
        [Unauthorized] = (401, "Authentication required"),
        [Forbidden] = (403, "Not allowed for this role"),
        [NotFound] = (404, "Not found"),
        [Conflict] = (409, "Conflict"),
        [PreconditionFailed] = (412, "Precondition failed"),
        [TooLarge] = (413, "Request body too large"),
        [UnsupportedMediaType] = (415, "Unsupported media type"),
        [IdempotencyMismatch] = (422, "Idempotency key reused"),
        [Unprocessable] = (422, "The request cannot be carried out"),
        [RateLimited] = (429, "Too many requests"),
        [ServerError] = (500, "Something went wrong on our side"),
    };

    /// <summary>The HTTP status a problem of this type is answered with.</summary>
    public static int StatusOf(string type) =>
        Meaning.TryGetValue(type, out var m) ? m.Status : throw new ArgumentOutOfRangeException(nameof(type), type, "Not a problem type of this API.");

    public static string TitleOf(string type) =>
        Meaning.TryGetValue(type, out var m) ? m.Title : throw new ArgumentOutOfRangeException(nameof(type), type, "Not a problem type of this API.");
}
