using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Wolverine.Marten;
using WorkingConversations.BuildingBlocks.Auth;
using WorkingConversations.BuildingBlocks.Journey;

namespace WorkingConversations.BuildingBlocks.Writing;

/// <summary>
/// One attempt at a write, in a service scope of its own: a session and an outbox that no earlier attempt touched, stamped
/// with who acts and the request's correlation. The route reads through <see cref="Session"/> and names its stream with
/// <see cref="Stream{T}"/> (or <see cref="NewStream"/>); what it writes is what its decision says, carried out by the step.
/// </summary>
public sealed class WriteAttempt
{
    private readonly JourneyAccess _access;
    private IStreamTarget? _target;

    internal WriteAttempt(IServiceProvider services, HttpContext http, int number, DateTimeOffset now)
    {
        Services = services;
        Session = services.GetRequiredService<IDocumentSession>();
        Outbox = services.GetRequiredService<IMartenOutbox>();
        Actor = Session.StampFrom(http, Outbox);
        _access = services.GetRequiredService<JourneyAccess>();
        Number = number;
        Now = now;
        Cancellation = http.RequestAborted;
    }

    /// <summary>The attempt's services: a scope of its own.</summary>
    public IServiceProvider Services { get; }

    /// <summary>For the reads a decision needs. Its changes come from the decision, not from the route.</summary>
    public IDocumentSession Session { get; }

    internal IMartenOutbox Outbox { get; }

    public Actor Actor { get; }

    /// <summary>The service's time for this attempt.</summary>
    public DateTimeOffset Now { get; }

    /// <summary>1 for the first attempt, more after a race lost to another write.</summary>
    public int Number { get; }

    public CancellationToken Cancellation { get; }

    internal IStreamTarget? Target => _target;

    /// <summary>
    /// The stream's write model as it is now, or null when the stream has none; the decision's events are appended to it,
    /// checked against the version read here (and against the request's <c>If-Match</c>).
    /// </summary>
    public async Task<T?> Stream<T>(Guid id) where T : class
    {
        var stream = await Session.Events.FetchForWriting<T>(id, Cancellation);
        _target = new ExistingStream<T>(stream);
        return stream.Aggregate;
    }

    /// <summary>A stream without a write model of its own: its version, which the append then expects.</summary>
    public async Task<long> StreamVersion(Guid id)
    {
        var state = await Session.Events.FetchStreamStateAsync(id, Cancellation);
        var version = state?.Version ?? 0;
        _target = new VersionedStream(id, version);
        return version;
    }

    /// <summary>The decision's events start a new stream with this id (of aggregate type <typeparamref name="T"/>).</summary>
    public void NewStream<T>(Guid id) where T : class => _target = new NewStream(id, typeof(T));

    /// <summary>The decision's events start a new stream with this id.</summary>
    public void NewStream(Guid id) => _target = new NewStream(id, null);

    /// <summary>
    /// A participant journey's write model (<see cref="Stream{T}"/>) for a caller who may see the participant
    /// (<see cref="JourneyAccess"/>); null when they may not, or when the journey has no <typeparamref name="T"/> yet.
    /// </summary>
    public async Task<T?> Journey<T>(Guid participantId) where T : class =>
        await MaySee(participantId) ? await Stream<T>(participantId) : null;

    /// <summary>Whether the caller may see and write to this participant's journey (<see cref="JourneyAccess"/>).</summary>
    public Task<bool> MaySee(Guid participantId) => _access.MaySee(Session, Actor, participantId, Cancellation);
}
