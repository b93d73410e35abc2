using Marten;
using Microsoft.AspNetCore.Http;
using WorkingConversations.BuildingBlocks.Writing;

namespace WorkingConversations.BuildingBlocks.Http.Idempotency;

/// <summary>Marks a route that honours <see cref="IdempotencyKeys.Header"/>.</summary>
public sealed record IdempotencyKeyMetadata;

/// <summary>
/// The request's key, as the filter found it, for the write step: it answers a repeat the filter could not see (a
/// concurrent one) and stores the record of a new answer in the write's own transaction.
/// </summary>
internal sealed class IdempotentRequest(string recordId, string key, string requestHash, string method, string path)
{
    private IdempotencyRecord? _expired;

    public string RecordId => recordId;

    /// <summary>The filter found a record of this key that has expired: it is replaced, with its version checked.</summary>
    public bool SawExpiredRecord { get; set; }

    /// <summary>The write step answered from the record, or added the record of its answer.</summary>
    public bool Handled { get; private set; }

    /// <summary>The stored answer to repeat, the 422 for another request under the same key, or null for a new request.</summary>
    public IResult? Answer(IdempotencyRecord? record, DateTimeOffset now)
    {
        if (record is null || record.ExpiresAt <= now) return null;
        return record.RequestHash == requestHash
            ? new JsonAnswer(record.Status, record.Body, record.Location, etag: null, replayed: true)
            : new Refusal(ProblemTypes.IdempotencyMismatch,
                $"The {IdempotencyKeys.Header} '{key}' was already used with a different request. Use a new key for a new request.").ToProblem();
    }

    /// <summary>
    /// Within a write's attempt: the answer of a request with the same key that committed meanwhile. The first attempt
    /// trusts the filter's look, unless that found an expired record, which is loaded so that replacing it checks its version.
    /// </summary>
    public async Task<IResult?> AnswerEarlierAsync(IDocumentSession session, int attempt, DateTimeOffset now, CancellationToken ct)
    {
        if (attempt == 1 && !SawExpiredRecord) return null;
        var record = await session.LoadAsync<IdempotencyRecord>(recordId, ct);
        _expired = record;
        var earlier = Answer(record, now);
        Handled |= earlier is not null;
        return earlier;
    }

    /// <summary>Adds the record of the answer to the write's session, so that it commits with the write or not at all.</summary>
    public void Record(IDocumentSession session, int status, string? body, string? location, DateTimeOffset now)
    {
        var record = new IdempotencyRecord(recordId, requestHash, method, path, status, body, location, now, now + IdempotencyKeys.KeptFor);
        if (_expired is null) session.Insert(record);
        else session.Store(record);
        Handled = true;
    }
}
