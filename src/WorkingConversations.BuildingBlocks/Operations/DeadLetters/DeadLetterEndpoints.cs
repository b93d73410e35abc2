using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Persistence.Durability;
using Wolverine.Persistence.Durability.DeadLetterManagement;
using Wolverine.Runtime;
using WorkingConversations.BuildingBlocks.Http;

namespace WorkingConversations.BuildingBlocks.Operations.DeadLetters;

/// <summary>
/// A message that failed every retry, as an administrator sees it: its type, the queue whose handler failed it, the
/// exception as the store holds it, when and after how many attempts, and whether it is marked for replay (the durability
/// agent has not moved it back yet). Never its body: it may hold health data.
/// </summary>
public sealed record DeadLetterItem(Guid Id, string MessageType, string? Queue, string ExceptionType, string ExceptionMessage, DateTimeOffset? FailedAt,
    int Attempts, bool ReplayPending)
{
    public static DeadLetterItem From(DeadLetterEnvelope e) =>
        new(e.Id, e.MessageType, e.ReceivedAt, e.ExceptionType, e.ExceptionMessage, e.FailedAt ?? e.SentAt, e.Envelope.Attempts, e.Replayable);
}

public sealed record ReplayedDeadLetters(int Replayed);

/// <summary>
/// The dead letters of the message store, through Wolverine's own dead-letter API (<see cref="IDeadLetters"/>): list and
/// filter them, mark them for replay (the durability agent then puts them back in the inbox), or delete them. The
/// administrators' pages call the same methods.
/// </summary>
public static class DeadLetterEndpoints
{
    /// <summary>The filters of the list, and where its page starts (the shared offset cursor).</summary>
    public sealed record Filter(DeadLetterEnvelopeQuery Query, int Offset, int Limit);

    /// <summary>Pure: reads and checks the filters and paging of the list, naming each bad one.</summary>
    public static (Filter? Filter, Validation Validation) Validate(string? messageType, string? exceptionType, string? since, string? limit,
        string? cursor)
    {
        var v = new Validation();
        var query = new DeadLetterEnvelopeQuery { PageNumber = 1, RangeOn = DeadLetterTimeField.FailedAt };
        if (messageType is not null && v.RequiredText("messageType", messageType, 500)) query.MessageType = messageType;
        if (exceptionType is not null && v.RequiredText("exceptionType", exceptionType, 500)) query.ExceptionType = exceptionType;
        if (since is not null)
        {
            if (DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var from))
                query.Range = new JasperFx.Core.TimeRange(from.ToUniversalTime(), null);
            else v.Add("since", "must be an ISO 8601 date and time, such as 2026-11-01T00:00:00Z.");
        }

        var size = ListLimit.Read(v, limit);
        var offset = ListCursor.ReadOffset(v, cursor);
        return (v.IsValid ? new Filter(query, offset, size) : null, v);
    }

    public static async Task<Results<Ok<ListPage<DeadLetterItem>>, ValidationProblem>> List(
        string? messageType, string? exceptionType, string? since, string? limit, string? cursor, IWolverineRuntime runtime, CancellationToken ct)
    {
        var (filter, v) = Validate(messageType, exceptionType, since, limit, cursor);
        if (filter is null) return v.ToProblem();
        return TypedResults.Ok(await PageAsync(filter, runtime, ct));
    }

    /// <summary>
    /// The list's order is the time of failure, oldest first, and Wolverine pages it by number, so the cursor is the
    /// position of the next item: replaying or deleting dead letters moves the later pages.
    /// </summary>
    public static async Task<ListPage<DeadLetterItem>> PageAsync(Filter filter, IWolverineRuntime runtime, CancellationToken ct)
    {
        var (query, offset, size) = filter;
        // Wolverine's pages are whole multiples of their size: a position that is not one is read from the first page.
        var aligned = offset % size == 0;
        query.PageSize = aligned ? size : offset + size;
        query.PageNumber = aligned ? offset / size + 1 : 1;
        var results = await runtime.Storage.DeadLetters.QueryAsync(query, ct);
        var items = results.Envelopes.Skip(aligned ? 0 : offset).Take(size).Select(DeadLetterItem.From).ToArray();
        var next = offset + items.Length;
        return new ListPage<DeadLetterItem>(items, next < results.TotalCount && items.Length > 0 ? ListCursor.ForOffset(next) : null);
    }

    /// <summary>How many dead letters match the query (all of them for an empty one), counted by the store.</summary>
    public static async Task<int> CountAsync(DeadLetterEnvelopeQuery query, IWolverineRuntime runtime, CancellationToken ct)
    {
        query.PageNumber = 1;
        query.PageSize = 1;
        return (await runtime.Storage.DeadLetters.QueryAsync(query, ct)).TotalCount;
    }

    public static async Task<DeadLetterItem?> FindAsync(Guid id, IWolverineRuntime runtime) =>
        await runtime.Storage.DeadLetters.DeadLetterEnvelopeByIdAsync(id) is { } envelope ? DeadLetterItem.From(envelope) : null;

    /// <summary>Marks one dead letter for replay; false when there is none with the id (already replayed, deleted or expired).</summary>
    public static async Task<bool> ReplayAsync(Guid id, IWolverineRuntime runtime, CancellationToken ct)
    {
        if (await runtime.Storage.DeadLetters.DeadLetterEnvelopeByIdAsync(id) is null) return false;
        await runtime.Storage.DeadLetters.ReplayAsync(new DeadLetterEnvelopeQuery([id]), ct);
        return true;
    }

    /// <summary>Deletes one dead letter without sending it; false when there is none with the id.</summary>
    public static async Task<bool> DiscardAsync(Guid id, IWolverineRuntime runtime, CancellationToken ct)
    {
        if (await runtime.Storage.DeadLetters.DeadLetterEnvelopeByIdAsync(id) is null) return false;
        await runtime.Storage.DeadLetters.DiscardAsync(new DeadLetterEnvelopeQuery([id]), ct);
        return true;
    }

    public static async Task<Results<Accepted<ReplayedDeadLetters>, ProblemHttpResult>> ReplayOne(Guid id, IWolverineRuntime runtime, CancellationToken ct)
    {
        if (!await ReplayAsync(id, runtime, ct)) return Problem.NotFound($"There is no dead letter with the id {id}.");
        return TypedResults.Accepted("/api/v1/admin/dead-letters", new ReplayedDeadLetters(1));
    }

    /// <summary>Replays every dead letter that matches the filters; at least one filter is needed, so nothing is replayed by accident.</summary>
    public static async Task<Results<Accepted<ReplayedDeadLetters>, ValidationProblem>> ReplayMatching(
        string? messageType, string? exceptionType, string? since, IWolverineRuntime runtime, CancellationToken ct)
    {
        var (filter, v) = Validate(messageType, exceptionType, since, null, null);
        if (filter is null) return v.ToProblem();
        var query = filter.Query;
        if (messageType is null && exceptionType is null && since is null)
            return Problem.Validation("messageType", "give messageType, exceptionType or since (or several) to say which dead letters to replay.");
        var matching = await CountAsync(query, runtime, ct);
        await runtime.Storage.DeadLetters.ReplayAsync(query, ct);
        return TypedResults.Accepted("/api/v1/admin/dead-letters", new ReplayedDeadLetters(matching));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(Guid id, IWolverineRuntime runtime, CancellationToken ct)
    {
        if (!await DiscardAsync(id, runtime, ct)) return Problem.NotFound($"There is no dead letter with the id {id}.");
        return TypedResults.NoContent();
    }
}
