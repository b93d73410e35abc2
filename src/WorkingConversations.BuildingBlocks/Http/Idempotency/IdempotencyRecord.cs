namespace WorkingConversations.BuildingBlocks.Http.Idempotency;

/// <summary>
/// What a successful request made with an <c>Idempotency-Key</c> answered, so that a repeat gets the same answer. The
/// id is the caller and the key, so two callers may use the same key without meeting.
/// </summary>
public sealed record IdempotencyRecord(
    string Id,
    string RequestHash,
    string Method,
    string Path,
    int Status,
    string? Body,
    string? Location,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt);
