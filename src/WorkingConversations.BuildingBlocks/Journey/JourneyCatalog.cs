using Marten;

namespace WorkingConversations.BuildingBlocks.Journey;

/// <summary>
/// What each module tells the journey about its public events: the stable wire name, the owning module, a one-line
/// summary for the timeline, and how to mask its protected free text on erasure. The journey code reads only this
/// catalog, so it never references a module.
/// </summary>
public sealed class JourneyCatalog
{
    private readonly Dictionary<Type, JourneyEventRegistration> _byType = new();
    private readonly Dictionary<string, JourneyEventRegistration> _byName = new(StringComparer.Ordinal);
    private readonly List<Action<StoreOptions>> _masking = [];

    public IReadOnlyCollection<JourneyEventRegistration> Events => _byType.Values;

    public IEnumerable<string> Modules => _byType.Values.Select(e => e.Module).Distinct(StringComparer.Ordinal);

    /// <summary>Registers a journey event of <paramref name="module"/> under its stable wire name.</summary>
    public JourneyCatalog Add<TEvent>(string module, string wireName, Func<TEvent, string> summary) where TEvent : class
    {
        if (_byName.ContainsKey(wireName)) throw new InvalidOperationException($"The journey event name '{wireName}' is registered twice.");
        var registration = new JourneyEventRegistration(typeof(TEvent), module, wireName, e => summary((TEvent)e));
        _byType[typeof(TEvent)] = registration;
        _byName[wireName] = registration;
        return this;
    }

    /// <summary>Declares how erasure masks the protected free text of <typeparamref name="TEvent"/> (Marten masking rules).</summary>
    public JourneyCatalog Protect<TEvent>(Func<TEvent, TEvent> mask) where TEvent : class
    {
        _masking.Add(o => o.Events.AddMaskingRuleForProtectedInformation(mask));
        return this;
    }

    public JourneyEventRegistration? For(Type eventType) => _byType.GetValueOrDefault(eventType);

    public JourneyEventRegistration? For(string wireName) => _byName.GetValueOrDefault(wireName);

    /// <summary>Registers every journey event type and masking rule with Marten.</summary>
    public void ApplyTo(StoreOptions options)
    {
        foreach (var e in _byType.Values)
        {
            options.Events.AddEventType(e.EventType);
            options.Events.MapEventType(e.EventType, e.WireName);
        }

        foreach (var rule in _masking) rule(options);
    }
}

public sealed record JourneyEventRegistration(Type EventType, string Module, string WireName, Func<object, string> Summarise);
