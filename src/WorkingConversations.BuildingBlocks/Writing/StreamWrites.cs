using Marten;
using Wolverine;

namespace WorkingConversations.BuildingBlocks.Writing;

/// <summary>
/// A decision carried out inside a Wolverine message handler, in the handler's own transaction: the events appended to
/// the stream it fetched for writing, the documents changed, and the messages returned for Wolverine to send with the
/// commit. A handler that loses a race to another write fails with Marten's concurrency error; Wolverine's retry policy
/// runs it again with a fresh session, and the messages of the failed attempt are discarded.
/// </summary>
public static class StreamWrites
{
    /// <summary>Fetches <typeparamref name="T"/> for writing, decides on it, and carries the decision out in <paramref name="session"/>.</summary>
    public static async Task<OutgoingMessages> DecideAsync<T>(this IDocumentSession session, Guid streamId, Func<T?, Decision> decide, CancellationToken ct = default)
        where T : class
    {
        var stream = await session.Events.FetchForWriting<T>(streamId, ct);
        var decision = decide(stream.Aggregate);
        if (decision.Refusal is { } refusal)
        {
            throw new InvalidOperationException($"A message handler's decision does nothing rather than refuse; this one refused: {refusal.Detail}");
        }

        if (decision.Events.Count > 0) stream.AppendMany(decision.Events);
        Change(session, decision.Documents);
        var outgoing = new OutgoingMessages();
        foreach (var message in decision.Messages)
        {
            outgoing.Add(message switch
            {
                { At: { } at } => message.Message.ScheduledAt(at),
                { Delay: { } delay } => message.Message.DelayedFor(delay),
                _ => message.Message,
            });
        }

        return outgoing;
    }

    internal static void Change(IDocumentSession session, IReadOnlyList<DocumentChange> changes)
    {
        foreach (var change in changes)
        {
            switch (change.Write)
            {
                case DocumentWrite.Store: session.StoreObjects([change.Document]); break;
                case DocumentWrite.Insert: session.InsertObjects([change.Document]); break;
                case DocumentWrite.Delete: session.DeleteObjects([change.Document]); break;
            }
        }
    }
}
