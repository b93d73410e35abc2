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
    public async Task<IResult> RunAsync<TResult>(HttpContext http, Func<WriteAttempt, Task<Decision<TResult>>> decide, Func<TResult, Answer> answer,
        WriteOptions? options = null)
    {
        options ??= Default;
        bool IsLostRace(Exception e) => LostRaces.IsLostRace(e) || options.LostRace?.Invoke(e) == true;

        for (var number = 1; ; number++)
        {
            await using var scope = scopes.CreateAsyncScope();
            var attempt = new WriteAttempt(scope.ServiceProvider, http, number, clock.GetUtcNow());
            Attempted attempted;
            try
            {
                attempted = await AttemptAsync(http, attempt, decide, answer);
            }
            catch (Exception e) when (IsLostRace(e) && !http.RequestAborted.IsCancellationRequested)
            {
                if (number == MaxAttempts)
                {
                    logger.LogWarning("{Method} {Path} lost {Attempts} races in a row to other writes of the same record and gave up",
                        http.Request.Method, http.Request.Path, number);
                    return Refusal.LostRace("Other changes to the same record kept being saved at the same moment, so this one was not. Send it again.")
                        .ToProblem();
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

    private sealed record Attempted(IResult Result, bool Committed);

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

    private async Task<Attempted> AttemptAsync<TResult>(HttpContext http, WriteAttempt attempt, Func<WriteAttempt, Task<Decision<TResult>>> decide,
        Func<TResult, Answer> answer)
    {
        var session = attempt.Session;
        var idempotency = http.Features.Get<IdempotentRequest>();
        if (idempotency is not null && await idempotency.AnswerEarlierAsync(session, attempt.Number, attempt.Now, attempt.Cancellation) is { } earlier)
        {
            return new Attempted(earlier, Committed: false);
        }

        var decision = await decide(attempt);
        var target = attempt.Target;
        // A client that holds an ETag gets 412 rather than a change made on a picture of the record it has not seen. A
        // stale If-Match is never tried again: the client must read the record first.
        if (target is { Exists: true, ReadVersion: { } read } && !JourneyConcurrency.Allows(http.Request.Headers.IfMatch.ToString(), read))
        {
            return new Attempted(Refusal.PreconditionFailed(read).ToProblem(), Committed: false);
        }

        if (decision.Refusal is { } refusal) return new Attempted(refusal.ToProblem(), Committed: false);

        var response = answer(decision.Result!);
        var body = Serialize(response.Body);
        await Carry(decision, attempt);
        idempotency?.Record(session, response.Status, response.Repeated is { } repeated ? Serialize(repeated) : body, response.Location, attempt.Now);
        await session.SaveChangesAsync(attempt.Cancellation);

        var etag = target is null || decision.Events.Count == 0 ? null : JourneyConcurrency.ETagFor((target.ReadVersion ?? 0) + decision.Events.Count);
        return new Attempted(new JsonAnswer(response.Status, body, response.Location, etag, replayed: false), Committed: true);
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
