using System.Collections.Concurrent;
using WorkingConversations.Reliability.Client;

namespace WorkingConversations.Reliability.Load;

public enum OperationKind
{
    Referral,
    Accept,
    Assign,
    Questionnaire,
    Schedule,
    Record,
}

/// <summary>One write a client means to make once, however many times it has to send it.</summary>
public sealed class Operation(OperationKind kind, Call call, string marker)
{
    public OperationKind Kind { get; } = kind;
    public Call Call { get; } = call;

    /// <summary>What makes the resource it creates findable in the store (a partner reference, a time, a text).</summary>
    public string Marker { get; } = marker;

    public int Attempts { get; set; }

    /// <summary>Attempts that got no answer at all (the node died, refused the connection, or timed out).</summary>
    public int Unanswered { get; set; }

    /// <summary>Attempts answered 5xx.</summary>
    public int ServerErrors { get; set; }

    /// <summary>Attempts answered 409 with <c>"retry": true</c>.</summary>
    public int LostRaces { get; set; }

    /// <summary>Attempts that found the service not ready for them yet (the episode not open yet) and were sent again later.</summary>
    public int NotReady { get; set; }

    public Reply? Final { get; set; }

    /// <summary>The service said it was done: a 2xx, or an answer that shows an earlier attempt of it took effect.</summary>
    public bool Acknowledged { get; set; }

    public DateTimeOffset? AcknowledgedAt { get; set; }

    /// <summary>The id of what it made or acted on (referral, questionnaire, conversation).</summary>
    public Guid? ResourceId { get; set; }

    public Guid ParticipantId { get; set; }

    /// <summary>Sent again after an attempt the client could not know the outcome of.</summary>
    public bool WasInDoubt => Unanswered > 0 || ServerErrors > 0;
}

/// <summary>Everything the clients sent and were told, for the checks at the end.</summary>
public sealed class Ledger
{
    private readonly ConcurrentQueue<Operation> _operations = new();
    private readonly ConcurrentDictionary<int, int> _statuses = new();
    private readonly ConcurrentQueue<string> _serverErrors = new();

    public IReadOnlyList<Operation> Operations => [.. _operations];

    public IReadOnlyDictionary<int, int> Statuses => _statuses;

    public IReadOnlyList<string> ServerErrorSamples => [.. _serverErrors];

    public void Add(Operation operation) => _operations.Enqueue(operation);

    public void Count(Call call, Reply reply)
    {
        _statuses.AddOrUpdate(reply.Status, 1, (_, n) => n + 1);
        if (reply.Status >= 500 && _serverErrors.Count < 50) _serverErrors.Enqueue($"{DateTimeOffset.UtcNow:HH:mm:ss.fff} {call.Route}: {reply}");
    }

    public int Count(Func<int, bool> status) => _statuses.Where(s => status(s.Key)).Sum(s => s.Value);
}
