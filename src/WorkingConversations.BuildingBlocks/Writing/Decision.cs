using System.Collections.Immutable;

namespace WorkingConversations.BuildingBlocks.Writing;

/// <summary>A message a decision sends: now, at a moment, or after a delay from the moment it is sent.</summary>
public sealed record OutgoingMessage(object Message, DateTimeOffset? At = null, TimeSpan? Delay = null);

/// <summary>How a decision changes a document: stored (inserted or replaced), inserted only if new, or deleted.</summary>
public enum DocumentWrite
{
    Store,
    Insert,
    Delete,
}

public sealed record DocumentChange(object Document, DocumentWrite Write);

/// <summary>
/// What a pure decision made of the state it was given: the events to append to the stream it decided on, the messages to
/// send through the outbox, and the documents to store, all in one transaction; or a <see cref="Refusal"/> and nothing
/// at all. Decisions hold no I/O and no HTTP, so they are tested as plain functions; the write step
/// (<see cref="WriteStep"/>) and message handlers (<see cref="StreamWrites"/>) carry them out.
/// </summary>
public class Decision
{
    private protected Decision(Refusal? refusal, ImmutableList<object> events, ImmutableList<OutgoingMessage> messages, ImmutableList<DocumentChange> documents)
    {
        Refusal = refusal;
        Events = events;
        Messages = messages;
        Documents = documents;
    }

    /// <summary>A decision to change nothing: a redelivered message, a fact already recorded.</summary>
    public static Decision Nothing { get; } = new(null, [], [], []);

    public Refusal? Refusal { get; }

    public IReadOnlyList<object> Events { get; }

    public IReadOnlyList<OutgoingMessage> Messages { get; }

    public IReadOnlyList<DocumentChange> Documents { get; }

    /// <summary>A decision whose result is this event, appended.</summary>
    public static Decision<TEvent> Append<TEvent>(TEvent @event) where TEvent : notnull => Of(@event).Append(@event);

    /// <summary>A decision with this result, which the caller answers with; what it appends, sends and stores follows.</summary>
    public static Decision<TResult> Of<TResult>(TResult result) => new(result, null, [], [], []);
}

/// <summary>A <see cref="Decision"/> with the result its caller answers with (the event appended, or a record of what was done).</summary>
public sealed class Decision<TResult> : Decision
{
    internal Decision(TResult? result, Refusal? refusal, ImmutableList<object> events, ImmutableList<OutgoingMessage> messages, ImmutableList<DocumentChange> documents)
        : base(refusal, events, messages, documents) =>
        Result = result;

    /// <summary>Default when refused.</summary>
    public TResult? Result { get; }

    public static implicit operator Decision<TResult>(Refusal refusal) => new(default, refusal, [], [], []);

    public Decision<TResult> Append(object @event) => new(Result, Refusal, [.. Events, @event], [.. Messages], [.. Documents]);

    /// <summary>Sends the message through the outbox once the transaction commits.</summary>
    public Decision<TResult> Publish(object message) => Send(new OutgoingMessage(message));

    /// <summary>Sends the message at <paramref name="at"/>, durably: it survives restarts in between.</summary>
    public Decision<TResult> Schedule(object message, DateTimeOffset at) => Send(new OutgoingMessage(message, At: at));

    /// <summary>Sends the message after <paramref name="delay"/> from the moment it is sent.</summary>
    public Decision<TResult> Delay(object message, TimeSpan delay) => Send(new OutgoingMessage(message, Delay: delay));

    public Decision<TResult> Store(object document) => Change(new DocumentChange(document, DocumentWrite.Store));

    /// <summary>Inserts a document that must be new: if another write inserted it first, this one lost a race.</summary>
    public Decision<TResult> Insert(object document) => Change(new DocumentChange(document, DocumentWrite.Insert));

    public Decision<TResult> Delete(object document) => Change(new DocumentChange(document, DocumentWrite.Delete));

    /// <summary>The same decision answered with another result (the view of what changed); a refusal stays a refusal.</summary>
    public Decision<TOther> Select<TOther>(Func<TResult, TOther> answer) =>
        new(Refusal is null ? answer(Result!) : default, Refusal, [.. Events], [.. Messages], [.. Documents]);

    public void Deconstruct(out TResult? result, out Refusal? refusal)
    {
        result = Result;
        refusal = Refusal;
    }

    private Decision<TResult> Send(OutgoingMessage message) => new(Result, Refusal, [.. Events], [.. Messages, message], [.. Documents]);

    private Decision<TResult> Change(DocumentChange change) => new(Result, Refusal, [.. Events], [.. Messages], [.. Documents, change]);
}
