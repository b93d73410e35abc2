using JasperFx.Events;
using Marten;

namespace WorkingConversations.BuildingBlocks.Writing;

/// <summary>The stream a write's events go to, and the version it was read at.</summary>
internal interface IStreamTarget
{
    Guid Id { get; }

    /// <summary>The version the decision was made at, for <c>If-Match</c>; null for a stream that does not exist yet.</summary>
    long? ReadVersion { get; }

    /// <summary>Whether there was something to decide on (an If-Match on nothing is left to the decision's 404).</summary>
    bool Exists { get; }

    void Append(IDocumentSession session, IReadOnlyList<object> events);
}

internal sealed class ExistingStream<T>(IEventStream<T> stream) : IStreamTarget where T : class
{
    public Guid Id => stream.Id;

    public long? ReadVersion => stream.StartingVersion ?? 0;

    public bool Exists => stream.Aggregate is not null;

    // FetchForWriting remembered the version it read: the append fails with a concurrency error if another write came first.
    public void Append(IDocumentSession session, IReadOnlyList<object> events) => stream.AppendMany(events);
}

internal sealed class VersionedStream(Guid id, long version) : IStreamTarget
{
    public Guid Id => id;

    public long? ReadVersion => version;

    public bool Exists => version > 0;

    public void Append(IDocumentSession session, IReadOnlyList<object> events) =>
        session.Events.Append(id, version + events.Count, [.. events]);
}

internal sealed class NewStream(Guid id, Type? aggregateType) : IStreamTarget
{
    public Guid Id => id;

    public long? ReadVersion => null;

    public bool Exists => false;

    // StartStream fails if the stream exists: a collision is a lost race like any other.
    public void Append(IDocumentSession session, IReadOnlyList<object> events)
    {
        if (aggregateType is null) session.Events.StartStream(id, [.. events]);
        else session.Events.StartStream(aggregateType, id, [.. events]);
    }
}
