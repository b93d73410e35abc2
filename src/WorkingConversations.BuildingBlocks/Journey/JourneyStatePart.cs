namespace WorkingConversations.BuildingBlocks.Journey;

/// <summary>A module's piece of every episode of the journey state, as the journey code sees it: untyped, so it needs no module.</summary>
public interface IJourneyStatePart
{
    string Module { get; }

    bool Handles(Type eventType);

    /// <summary>The episode the event belongs to.</summary>
    int EpisodeOf(object data);

    /// <summary>The part of an episode the module has heard nothing about yet.</summary>
    object Empty(int episodeNumber);

    object Apply(object part, object data);
}

/// <summary>
/// A module's piece of each episode (for example Referrals' referral id, partner and status), folded from the module's
/// own and other modules' published events. <typeparamref name="TPart"/> is an immutable record whose public
/// properties become fields of the episode in the journey state, in camelCase.
/// </summary>
public sealed class JourneyStatePart<TPart>(string module, Func<int, TPart> empty) : IJourneyStatePart where TPart : class
{
    private readonly Dictionary<Type, (Func<object, int> Episode, Func<TPart, object, TPart> Apply)> _handlers = new();

    public string Module => module;

    /// <summary>How <typeparamref name="TEvent"/> changes the part of the episode it names.</summary>
    public JourneyStatePart<TPart> On<TEvent>(Func<TEvent, int> episodeOf, Func<TPart, TEvent, TPart> apply) where TEvent : class
    {
        _handlers[typeof(TEvent)] = (e => episodeOf((TEvent)e), (p, e) => apply(p, (TEvent)e));
        return this;
    }

    public bool Handles(Type eventType) => _handlers.ContainsKey(eventType);

    public int EpisodeOf(object data) => _handlers[data.GetType()].Episode(data);

    public object Empty(int episodeNumber) => empty(episodeNumber);

    public object Apply(object part, object data) => _handlers[data.GetType()].Apply((TPart)part, data);
}
