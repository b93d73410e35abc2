using WorkingConversations.Reliability.Client;
using WorkingConversations.Reliability.Harness;

namespace WorkingConversations.Reliability.Load;

/// <summary>
/// A client that does not give up: whatever was not answered, or was answered 5xx, 429 or "lost a race, retry", is sent
/// again unchanged (the same Idempotency-Key, the same body) until an answer comes or the deadline passes.
/// </summary>
public sealed class PersistentClient(Api api, ServiceNodes nodes, Ledger ledger)
{
    public Ledger Ledger => ledger;

    /// <summary>Told of every answer (and every attempt that got none), with the time it came.</summary>
    public event Action<Call, Reply, DateTimeOffset>? Answered;

    public async Task<Reply> SendOnceAsync(Call call, CancellationToken ct = default)
    {
        var reply = await api.SendAsync(nodes.Pick(), call, ct);
        ledger.Count(call, reply);
        Answered?.Invoke(call, reply, DateTimeOffset.UtcNow);
        return reply;
    }

    /// <summary>Sends until a final answer (2xx or a 4xx other than 429 and a lost race) and returns it; null on the deadline.</summary>
    public async Task<Reply?> UntilAnsweredAsync(Operation operation, DateTimeOffset deadline, CancellationToken ct = default)
    {
        while (DateTimeOffset.UtcNow < deadline && !ct.IsCancellationRequested)
        {
            var reply = await SendOnceAsync(operation.Call, ct);
            operation.Attempts++;
            if (!reply.Answered) operation.Unanswered++;
            else if (reply.Status >= 500) operation.ServerErrors++;
            else if (reply.IsLostRace) operation.LostRaces++;
            else if (reply.Status != 429) return operation.Final = reply;

            await Task.Delay(Random.Shared.Next(100, 400), CancellationToken.None);
        }

        return null;
    }
}
