using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Persistence.Durability;
using Wolverine.Persistence.Durability.DeadLetterManagement;
using Wolverine.Runtime;

namespace WorkingConversations.BuildingBlocks.Operations.DeadLetters;

/// <summary>A message that failed every retry, as an administrator sees it (never its body: it may hold health data).</summary>
public sealed record DeadLetterItem(Guid Id, string MessageType, string ExceptionType, string ExceptionMessage, DateTimeOffset? FailedAt, int Attempts);

public sealed record ReplayedDeadLetters(int Replayed);

/// <summary>
/// The dead letters of the message store, through Wolverine's own dead-letter API (<see cref="IDeadLetters"/>): list and
/// filter them, mark them for replay (the durability agent then puts them back in the inbox), or delete them.
/// </summary>
public static class DeadLetterEndpoints
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    /// <summary>Pure: reads and checks the filters and paging of the list, naming each bad one.</summary>
    public static (DeadLetterEnvelopeQuery? Query, Validation Validation) Validate(string? messageType, string? exceptionType, string? since, string? limit,
        string? cursor)
    {
        var v = new Validation();
        var query = new DeadLetterEnvelopeQuery { PageSize = DefaultLimit, PageNumber = 1, RangeOn = DeadLetterTimeField.FailedAt };
        if (messageType is not null && v.RequiredText("messageType", messageType, 500)) query.MessageType = messageType;
        if (exceptionType is not null && v.RequiredText("exceptionType", exceptionType, 500)) query.ExceptionType = exceptionType;
        if (since is not null)
        {
            if (DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var from))
                query.Range = new JasperFx.Core.TimeRange(from.ToUniversalTime(), null);
            else v.Add("since", "must be an ISO 8601 date and time, such as 2026-11-01T00:00:00Z.");
        }

        if (limit is not null)
        {
            if (int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size is >= 1 and <= MaxLimit) query.PageSize = size;
            else v.Add("limit", $"must be a whole number from 1 to {MaxLimit}.");
        }

        if (cursor is not null)
        {
            if (PageOf(cursor) is { } page) query.PageNumber = page;
            else v.Add("cursor", "must be a nextCursor this list returned.");
        }

        return (v.IsValid ? query : null, v);
    }

    /// <summary>The cursor names a page of the list (oldest failure first); pages move when dead letters are replayed or deleted.</summary>
    public static string CursorFor(int page) => Convert.ToBase64String(Encoding.UTF8.GetBytes("page:" + page.ToString(CultureInfo.InvariantCulture)));

    public static int? PageOf(string cursor)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(cursor));
            return text.StartsWith("page:", StringComparison.Ordinal) &&
                   int.TryParse(text.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var page) && page is >= 1 and <= 1_000_000
                ? page
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    public static async Task<Results<Ok<ListPage<DeadLetterItem>>, ValidationProblem>> List(
        string? messageType, string? exceptionType, string? since, string? limit, string? cursor, IWolverineRuntime runtime, CancellationToken ct)
    {
        var (query, v) = Validate(messageType, exceptionType, since, limit, cursor);
        if (query is null) return v.ToProblem();
        var results = await runtime.Storage.DeadLetters.QueryAsync(query, ct);
        var items = results.Envelopes
            .Select(e => new DeadLetterItem(e.Id, e.MessageType, e.ExceptionType, e.ExceptionMessage, e.FailedAt ?? e.SentAt, e.Envelope.Attempts))
            .ToArray();
        var more = (long)query.PageNumber * query.PageSize < results.TotalCount;
        return TypedResults.Ok(new ListPage<DeadLetterItem>(items, more ? CursorFor(query.PageNumber + 1) : null));
    }

    public static async Task<Results<Accepted<ReplayedDeadLetters>, ProblemHttpResult>> ReplayOne(Guid id, IWolverineRuntime runtime, CancellationToken ct)
    {
        if (await runtime.Storage.DeadLetters.DeadLetterEnvelopeByIdAsync(id) is null) return Problem.NotFound($"There is no dead letter with the id {id}.");
        await runtime.Storage.DeadLetters.ReplayAsync(new DeadLetterEnvelopeQuery([id]), ct);
        return TypedResults.Accepted("/api/v1/admin/dead-letters", new ReplayedDeadLetters(1));
    }

    /// <summary>Replays every dead letter that matches the filters; at least one filter is needed, so nothing is replayed by accident.</summary>
    public static async Task<Results<Accepted<ReplayedDeadLetters>, ValidationProblem>> ReplayMatching(
        string? messageType, string? exceptionType, string? since, IWolverineRuntime runtime, CancellationToken ct)
    {
        var (query, v) = Validate(messageType, exceptionType, since, null, null);
        if (query is null) return v.ToProblem();
        if (messageType is null && exceptionType is null && since is null)
            return Problem.Validation("messageType", "give messageType, exceptionType or since (or several) to say which dead letters to replay.");
        query.PageSize = 1;
        var matching = (await runtime.Storage.DeadLetters.QueryAsync(query, ct)).TotalCount;
        await runtime.Storage.DeadLetters.ReplayAsync(query, ct);
        return TypedResults.Accepted("/api/v1/admin/dead-letters", new ReplayedDeadLetters(matching));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Delete(Guid id, IWolverineRuntime runtime, CancellationToken ct)
    {
        if (await runtime.Storage.DeadLetters.DeadLetterEnvelopeByIdAsync(id) is null) return Problem.NotFound($"There is no dead letter with the id {id}.");
        await runtime.Storage.DeadLetters.DiscardAsync(new DeadLetterEnvelopeQuery([id]), ct);
        return TypedResults.NoContent();
    }
}
