using System.Text.Json;
using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Wolverine;
using Wolverine.Marten;
using WorkingConversations.BuildingBlocks.Http;
using WorkingConversations.BuildingBlocks.Http.Idempotency;
using WorkingConversations.BuildingBlocks.Journey;

namespace WorkingConversations.BuildingBlocks.Writing;

/// <summary>What a route adds to the write step's defaults.</summary>
public sealed record WriteOptions
{
    /// <summary>Failures besides Marten's concurrency errors that mean the write lost a race (for intake, the match-key indexes).</summary>
    public Func<Exception, bool>? LostRace { get; init; }

    /// <summary>Work that follows the commit in the attempt's scope, before the answer (erasure masks what it recorded).</summary>
    public Func<WriteAttempt, Task>? AfterCommit { get; init; }
}

/// <summary>What a page's write came to: the decision's result and the stream's new version, or the refusal to show.</summary>
public sealed record WriteOutcome<TResult>(TResult? Result, long? Version, Refusal? Refusal)
{
    public bool IsCommitted => Refusal is null;

    public static WriteOutcome<TResult> Committed(TResult result, long? version) => new(result, version, null);

    public static WriteOutcome<TResult> Refused(Refusal refusal) => new(default, null, refusal);
}

/// <summary>Told of every write the step commits, before its caller is answered.</summary>
public interface IWriteObserver
{
    Task CommittedAsync(HttpContext http, CancellationToken ct);
}

/// <summary>
/// The one way an HTTP write reaches the store. Each attempt runs in a scope of its own (a fresh session and outbox,
/// stamped with the actor and correlation): the route's body reads what it needs and returns its pure decision; a stale
/// <c>If-Match</c> is 412; a refusal is its problem; otherwise the decision's events, messages and documents, and the
/// record of an <c>Idempotency-Key</c>'s answer, are saved in one transaction. A write without <c>If-Match</c> that loses
/// a race to another write of the same record is decided again on the new state, after a short random wait, up to
/// <see cref="MaxAttempts"/> times; nothing of a failed attempt is stored or sent. The caller gets 409 only when the
/// decision itself says no, or, with <c>"retry": true</c>, when every attempt lost.
/// </summary>
public sealed class WriteStep(IServiceScopeFactory scopes, TimeProvider clock, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json,
    IEnumerable<IWriteObserver> observers, ILogger<WriteStep> logger)
{
    public const int MaxAttempts = 6;

    private readonly IWriteObserver[] _observers = [.. observers];

    /// <summary>Runs the write: <paramref name="decide"/> once per attempt, <paramref name="answer"/> for the decision that commits.</summary>
    public Task<IResult> RunAsync<TResult>(HttpContext http, Func<WriteAttempt, Task<Decision<TResult>>> decide, Func<TResult, Answer> answer,
        WriteOptions? options = null) =>
        Retrying(http, options ?? Default, attempt => AttemptAsync(http, attempt, decide, answer), gaveUp => gaveUp.ToProblem());

    /// <summary>
    /// The same write for a page: the same attempts, the same If-Match rule (here <paramref name="ifMatch"/>, the ETag the
    /// form was drawn from), the same decision and commit, but the outcome is given back as the decision's result or its
    /// refusal, for the page to show, instead of an HTTP answer. No <c>Idempotency-Key</c>: a form carries its ETag instead.
    /// </summary>
    public Task<WriteOutcome<TResult>> DecideAsync<TResult>(HttpContext http, string? ifMatch, Validation request,
        Func<WriteAttempt, Task<Decision<TResult>>> decide, WriteOptions? options = null)
    {
        if (!request.IsValid) return Task.FromResult(WriteOutcome<TResult>.Refused(request.ToRefusal()));
        options ??= Default;
        return Retrying(http, options, attempt => OutcomeAsync(attempt, ifMatch, decide), WriteOutcome<TResult>.Refused);
    }

    public Task<WriteOutcome<TResult>> DecideAsync<TResult>(HttpContext http, string? ifMatch, Validation request,
        Func<WriteAttempt, Decision<TResult>> decide, WriteOptions? options = null) =>
        DecideAsync(http, ifMatch, request, attempt => Task.FromResult(decide(attempt)), options);

    private sealed record Attempted<T>(T Result, bool Committed);

    private async Task<T> Retrying<T>(HttpContext http, WriteOptions options, Func<WriteAttempt, Task<Attempted<T>>> attemptOnce, Func<Refusal, T> gaveUp)
    {
        bool IsLostRace(Exception e) => LostRaces.IsLostRace(e) || options.LostRace?.Invoke(e) == true;

        for (var number = 1; ; number++)
        {
            await using var scope = scopes.CreateAsyncScope();
            var attempt = new WriteAttempt(scope.ServiceProvider, http, number, clock.GetUtcNow());
            Attempted<T> attempted;
            try
            {
                attempted = await attemptOnce(attempt);
            }
            catch (Exception e) when (IsLostRace(e) && !http.RequestAborted.IsCancellationRequested)
            {
                if (number == MaxAttempts)
                {
                    logger.LogWarning("{Method} {Path} lost {Attempts} races in a row to other writes of the same record and gave up",
                        http.Request.Method, http.Request.Path, number);
                    return gaveUp(Refusal.LostRace("Other changes to the same record kept being saved at the same moment, so this one was not. Send it again."));
                }

                logger.LogDebug("{Method} {Path} lost a race to another write (attempt {Attempt}); deciding again", http.Request.Method, http.Request.Path, number);
                await Task.Delay(Backoff(number), http.RequestAborted);
                continue;
            }

            // Outside the retry: whatever fails after the commit must never make the write happen twice.
            if (attempted.Committed)
            {
                if (options.AfterCommit is { } after) await after(attempt);
                foreach (var observer in _observers) await observer.CommittedAsync(http, attempt.Cancellation);
            }

            return attempted.Result;
        }
    }

    public Task<IResult> RunAsync<TResult>(HttpContext http, Func<WriteAttempt, Decision<TResult>> decide, Func<TResult, Answer> answer,
        WriteOptions? options = null) =>
        RunAsync(http, attempt => Task.FromResult(decide(attempt)), answer, options);

    /// <summary>The write of a request whose body was checked first: invalid input is its 400, and nothing is attempted.</summary>
    public Task<IResult> RunAsync<TResult>(HttpContext http, Validation request, Func<WriteAttempt, Task<Decision<TResult>>> decide,
        Func<TResult, Answer> answer, WriteOptions? options = null) =>
        request.IsValid ? RunAsync(http, decide, answer, options) : Task.FromResult<IResult>(request.ToProblem());

    public Task<IResult> RunAsync<TResult>(HttpContext http, Validation request, Func<WriteAttempt, Decision<TResult>> decide,
        Func<TResult, Answer> answer, WriteOptions? options = null) =>
        request.IsValid ? RunAsync(http, decide, answer, options) : Task.FromResult<IResult>(request.ToProblem());

    private static readonly WriteOptions Default = new();

    /// <summary>A few milliseconds, doubling and random, so that writers who collided do not collide again.</summary>
    internal static TimeSpan Backoff(int attempt) => TimeSpan.FromMilliseconds(Random.Shared.Next(1, 5 << Math.Min(attempt, 6)));

    private async Task<Attempted<IResult>> AttemptAsync<TResult>(HttpContext http, WriteAttempt attempt, Func<WriteAttempt, Task<Decision<TResult>>> decide,
        Func<TResult, Answer> answer)
    {
        var session = attempt.Session;
        var idempotency = http.Features.Get<IdempotentRequest>();
        if (idempotency is not null && await idempotency.AnswerEarlierAsync(session, attempt.Number, attempt.Now, attempt.Cancellation) is { } earlier)
        {
            return new(earlier, Committed: false);
        }

        var decision = await decide(attempt);
        if (Refused(http.Request.Headers.IfMatch.ToString(), attempt, decision) is { } refusal) return new(refusal.ToProblem(), Committed: false);

        var response = answer(decision.Result!);
        var body = Serialize(response.Body);
        await Carry(decision, attempt);
        idempotency?.Record(session, response.Status, response.Repeated is { } repeated ? Serialize(repeated) : body, response.Location, attempt.Now);
        var version = await CommitAsync(attempt, decision);
        return new(new JsonAnswer(response.Status, body, response.Location, version is { } v ? JourneyConcurrency.ETagFor(v) : null, replayed: false),
            Committed: true);
    }

    private static async Task<Attempted<WriteOutcome<TResult>>> OutcomeAsync<TResult>(WriteAttempt attempt, string? ifMatch,
        Func<WriteAttempt, Task<Decision<TResult>>> decide)
    {
        var decision = await decide(attempt);
        if (Refused(ifMatch, attempt, decision) is { } refusal) return new(WriteOutcome<TResult>.Refused(refusal), Committed: false);
        await Carry(decision, attempt);
        var version = await CommitAsync(attempt, decision);
        return new(WriteOutcome<TResult>.Committed(decision.Result!, version), Committed: true);
    }

    /// <summary>
    /// A client that holds an ETag gets 412 rather than a change made on a picture of the record it has not seen. A stale
    /// If-Match is never tried again: the client must read the record first. Otherwise the decision's own refusal, if any.
    /// </summary>
    private static Refusal? Refused(string? ifMatch, WriteAttempt attempt, Decision decision) =>
        attempt.Target is { Exists: true, ReadVersion: { } read } && !JourneyConcurrency.Allows(ifMatch, read)
            ? Refusal.PreconditionFailed(read)
            : decision.Refusal;

    /// <summary>Saves the attempt and gives the stream's new version when events were appended.</summary>
    private static async Task<long?> CommitAsync(WriteAttempt attempt, Decision decision)
    {
        await attempt.Session.SaveChangesAsync(attempt.Cancellation);
        var target = attempt.Target;
        return target is null || decision.Events.Count == 0 ? null : (target.ReadVersion ?? 0) + decision.Events.Count;
    }

    private string? Serialize(object? body) => body is null ? null : JsonSerializer.Serialize(body, body.GetType(), json.Value.SerializerOptions);

    private static async Task Carry(Decision decision, WriteAttempt attempt)
    {
        if (decision.Events.Count > 0)
        {
            var target = attempt.Target ?? throw new InvalidOperationException("The decision appends events, but the write named no stream.");
            target.Append(attempt.Session, decision.Events);
        }

        StreamWrites.Change(attempt.Session, decision.Documents);
        IMartenOutbox outbox = attempt.Outbox;
        foreach (var message in decision.Messages)
        {
            if (message.At is { } at) await outbox.ScheduleAsync(message.Message, at);
            else if (message.Delay is { } delay) await outbox.ScheduleAsync(message.Message, delay);
            else await outbox.PublishAsync(message.Message);
        }
    }
}
