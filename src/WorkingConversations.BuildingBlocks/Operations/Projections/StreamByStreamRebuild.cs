using System.Data;
using System.Threading.Channels;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events;
using Marten.Services;
using Npgsql;

namespace WorkingConversations.BuildingBlocks.Operations.Projections;

/// <summary>
/// Says of a projection that each of its documents is folded from the events of one stream only (every journey event is
/// on its participant's stream, every volunteer event on the volunteer's), so it may be rebuilt stream by stream
/// (<see cref="StreamByStreamRebuild"/>).
/// </summary>
public interface IFoldsWithinOneStream;

/// <summary>
/// Says of a projection that raises side effects that it raises none while <see cref="StreamByStreamRebuild.IsRebuilding"/>:
/// without it, such a projection is rebuilt by Marten's daemon, whose rebuilds raise none.
/// </summary>
public interface IQuietWhileRebuilt;

/// <summary>
/// Rebuilds a projection from the events stream by stream instead of page by page in the order they were appended.
/// <para>
/// Marten's daemon rebuild reads a page of events in append order, folds it and writes every document the page touched,
/// then reads the next: a journey's events spread over months, so each document was written again for almost every page
/// holding one of its events, and the process and PostgreSQL took turns (docs/performance.md, "Rebuilds"). Here a
/// batch of whole streams is read while the batch before it is folded and written, so each document is written once,
/// and loading overlaps writing. The folding is the projection's own, through Marten's inline projection path (the one
/// an inline projection runs at every append): the same slicing, the same Create and Apply, the same storage.
/// </para>
/// <para>
/// The old documents are deleted and the new ones written in one transaction, which also moves the projection's
/// progress to the last event folded: readers see the old documents until it commits and the whole new set after it,
/// and a rebuild that fails or dies leaves the projection as it was. The asynchronous daemon carries on from that
/// event when the projection runs again.
/// </para>
/// </summary>
public static class StreamByStreamRebuild
{
    /// <summary>Events folded and written per batch (whole streams, so a little more): the batch being folded, the one waiting and the one being read stay small.</summary>
    public const int EventsPerBatch = 2_000;

    /// <summary>The correlation id of the sessions a rebuild writes through (<see cref="IsRebuilding"/>).</summary>
    public const string CorrelationId = "projection-rebuild";

    /// <summary>
    /// True for the sessions a rebuild folds through: a projection's side effects (a partner's status callback, say) were
    /// raised when the events were first appended, and must not be raised again for every event as it is folded anew.
    /// </summary>
    public static bool IsRebuilding(IQuerySession operations) => operations.CorrelationId == CorrelationId;

    /// <summary>
    /// The projection of that name if it folds within one stream, and raises no side effects or none while rebuilt;
    /// else null, and it is rebuilt by Marten's daemon.
    /// </summary>
    public static IProjectionSource<IDocumentOperations, IQuerySession>? SourceFor(IDocumentStore store, string projection) =>
        ((StoreOptions)store.Options).Projections.All.FirstOrDefault(p =>
            p is IFoldsWithinOneStream && string.Equals(p.Name, projection, StringComparison.OrdinalIgnoreCase) &&
            (p is IQuietWhileRebuilt || !store.Options.Events.EnableSideEffectsOnInlineProjections || !RaisesSideEffects(p.GetType())));

    private static bool RaisesSideEffects(Type projection) =>
        projection.GetMethods().Any(m => m.Name == "RaiseSideEffects" && m.DeclaringType is { IsGenericType: false } declaring &&
                                         declaring.Assembly != typeof(ProjectionBase).Assembly && declaring.Assembly != typeof(StoreOptions).Assembly);

    /// <summary>
    /// Rebuilds <paramref name="source"/>, calling <paramref name="progress"/> with the events folded so far and the events
    /// to fold in all. <paramref name="whileServing"/>: readers keep the old documents until the rebuild commits (the old
    /// ones are deleted); otherwise, with the hosts stopped, the table is truncated, which locks readers out until the
    /// commit but writes the new documents into an empty table instead of beside every old one.
    /// </summary>
    public static async Task RunAsync(IDocumentStore store, IProjectionSource<IDocumentOperations, IQuerySession> source,
        Action<long, long> progress, bool whileServing, CancellationToken ct)
    {
        var options = (StoreOptions)store.Options;
        var schema = options.Events.DatabaseSchemaName;
        var types = source is EventFilterable filterable ? filterable.IncludedEventTypes.Distinct().ToArray() : [];
        var asynchronous = source.Lifecycle == ProjectionLifecycle.Async;

        // Marten checks a document table's schema on its first use, on a connection of its own: done here, before the
        // truncate's lock would make that check wait on this transaction.
        foreach (var documentType in source.PublishedTypes().Distinct()) await store.Storage.Database.EnsureStorageExistsAsync(documentType, ct);

        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        var ceiling = await CeilingAsync(store, schema, asynchronous, ct);
        var total = await CountAsync(store, types, ceiling, ct);
        progress(0, total);

        var batches = Channel.CreateBounded<List<StreamAction>>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        using var stopLoading = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var loading = Task.Run(() => LoadAsync(store, types, ceiling, batches.Writer, stopLoading.Token), CancellationToken.None);
        try
        {
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await using (var clearing = store.LightweightSession(SessionOptions.ForTransaction(transaction)))
            {
                foreach (var documentType in source.PublishedTypes().Distinct())
                {
                    var table = store.Options.FindOrResolveDocumentType(documentType).TableName.QualifiedName;
                    clearing.QueueSqlCommand(whileServing ? $"delete from {table}" : $"truncate table {table}");
                }
                await clearing.SaveChangesAsync(ct);
            }

            var inline = source.BuildForInline();
            long done = 0;
            await foreach (var batch in batches.Reader.ReadAllAsync(ct))
            {
                await using var session = store.LightweightSession(SessionOptions.ForTransaction(transaction));
                session.CorrelationId = CorrelationId;
                await inline.ApplyAsync(session, batch, ct);
                await session.SaveChangesAsync(ct);
                done += batch.Sum(s => s.Events.Count);
                progress(done, total);
            }

            await loading;
            if (asynchronous)
            {
                await using var marking = store.LightweightSession(SessionOptions.ForTransaction(transaction));
                foreach (var shard in source.ShardNames())
                    marking.QueueSqlCommand($"select {schema}.mt_mark_event_progression(?, ?)", shard.Identity, ceiling);
                await marking.SaveChangesAsync(ct);
            }

            await transaction.CommitAsync(ct);
        }
        catch
        {
            await stopLoading.CancelAsync();
            try { await loading; }
            catch (Exception) { /* the first failure is the one to report */ }
            throw;
        }
    }

    /// <summary>
    /// The last event to fold. For an asynchronous projection, the daemon's high-water mark: every event up to it is
    /// committed (or known to be a gap), so none is skipped that an append still in flight will commit below it; the
    /// daemon folds what comes after. An inline projection has no daemon to catch up, and is rebuilt with the hosts
    /// stopped, so every event counts.
    /// </summary>
    private static async Task<long> CeilingAsync(IDocumentStore store, string schema, bool asynchronous, CancellationToken ct)
    {
        await using var query = store.QuerySession();
        var highest = (await query.QueryAsync<long>($"select coalesce(max(seq_id), 0) from {schema}.mt_events", ct)).Single();
        if (!asynchronous) return highest;
        var mark = (await query.QueryAsync<long>(
            $"select last_seq_id from {schema}.mt_event_progression where name = ?", ct, ShardName.HighWaterMarkFor().Identity)).ToArray();
        return mark.Length == 1 ? Math.Min(mark[0], highest) : highest;
    }

    private static async Task<long> CountAsync(IDocumentStore store, Type[] types, long ceiling, CancellationToken ct)
    {
        await using var query = store.QuerySession();
        var events = query.Events.QueryAllRawEvents().Where(e => e.Sequence <= ceiling);
        if (types.Length > 0) events = events.Where(e => e.EventTypesAre(types));
        return await events.LongCountAsync(ct);
    }

    /// <summary>
    /// One query over the projection's events in stream order, read as it arrives and cut into batches at stream
    /// boundaries, so only a batch and a stream are held at a time. PostgreSQL walks the stream index when the projection
    /// takes most events, and sorts the few otherwise.
    /// </summary>
    private static async Task LoadAsync(IDocumentStore store, Type[] types, long ceiling, ChannelWriter<List<StreamAction>> batches, CancellationToken ct)
    {
        try
        {
            // One read, so one snapshot, and no statement timeout: the read lasts as long as the folding it feeds.
            await using var connection = store.Storage.Database.CreateConnection();
            await connection.OpenAsync(ct);
            await using var snapshot = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
            await using (var untimed = new NpgsqlCommand("set local statement_timeout = 0", connection, snapshot)) await untimed.ExecuteNonQueryAsync(ct);
            await using var query = store.QuerySession(SessionOptions.ForTransaction(snapshot));
            var events = query.Events.QueryAllRawEvents().Where(e => e.Sequence <= ceiling);
            if (types.Length > 0) events = events.Where(e => e.EventTypesAre(types));

            var batch = new List<StreamAction>();
            var inBatch = 0;
            var stream = new List<IEvent>();
            await foreach (var e in events.OrderBy(e => e.StreamId).ThenBy(e => e.Version).ToAsyncEnumerable(ct))
            {
                if (stream.Count > 0 && stream[0].StreamId != e.StreamId)
                {
                    batch.Add(StreamAction.For(stream[0].StreamId, stream));
                    inBatch += stream.Count;
                    stream = [];
                    if (inBatch >= EventsPerBatch)
                    {
                        await batches.WriteAsync(batch, ct);
                        (batch, inBatch) = ([], 0);
                    }
                }

                stream.Add(e);
            }

            if (stream.Count > 0) batch.Add(StreamAction.For(stream[0].StreamId, stream));
            if (batch.Count > 0) await batches.WriteAsync(batch, ct);
            batches.Complete();
        }
        catch (Exception e)
        {
            batches.Complete(e);
        }
    }
}
