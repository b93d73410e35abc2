using Marten;

namespace WorkingConversations.BuildingBlocks.Journey;

/// <summary>
/// What each module tells the journey about its public events: the stable wire name, the owning module, a one-line
/// summary for the timeline, how to mask its protected free text on erasure, its piece of the journey state, which
/// events decide who holds the participant, its section of a subject-access export and what it deletes on erasure.
/// The journey code reads only this catalog, so it never references a module.
/// </summary>
public sealed class JourneyCatalog
{
    private readonly Dictionary<Type, JourneyEventRegistration> _byType = new();
    private readonly Dictionary<string, JourneyEventRegistration> _byName = new(StringComparer.Ordinal);
    private readonly List<Action<StoreOptions>> _masking = [];
    private readonly List<IJourneyStatePart> _stateParts = [];
    private readonly Dictionary<Type, Func<object, Guid?>> _assignment = new();
    private readonly List<JourneyExportSection> _exportSections = [];
    private readonly List<JourneyErasureStep> _erasureSteps = [];

    public IReadOnlyCollection<JourneyEventRegistration> Events => _byType.Values;

    public IEnumerable<string> Modules => _byType.Values.Select(e => e.Module).Distinct(StringComparer.Ordinal);

    public IReadOnlyList<IJourneyStatePart> StateParts => _stateParts;

    public IReadOnlyList<JourneyExportSection> ExportSections => _exportSections;

    public IReadOnlyList<JourneyErasureStep> ErasureSteps => _erasureSteps;

    /// <summary>Wire names of the events that decide who holds the participant (see <see cref="DecidesAssignment{TEvent}"/>).</summary>
    public IReadOnlyList<string> AssignmentEventNames =>
        _assignment.Keys.Select(t => _byType.TryGetValue(t, out var r) ? r.WireName : null).OfType<string>().ToList();

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

    /// <summary>Adds a module's piece of each episode's state (api.md, journey state), folded from the stream's events.</summary>
    public JourneyCatalog AddStatePart<TPart>(JourneyStatePart<TPart> part) where TPart : class
    {
        _stateParts.Add(part);
        return this;
    }

    /// <summary>
    /// Declares that the latest of these events in a journey decides which practitioner holds the participant: the
    /// function gives the practitioner, or null when nobody does. A practitioner reads only the journeys they hold.
    /// </summary>
    public JourneyCatalog DecidesAssignment<TEvent>(Func<TEvent, Guid?> practitionerOf) where TEvent : class
    {
        _assignment[typeof(TEvent)] = e => practitionerOf((TEvent)e);
        return this;
    }

    /// <summary>Adds a named section to the subject-access export: whatever the module holds about the person outside the stream.</summary>
    public JourneyCatalog AddExportSection(string name, Func<IQuerySession, Guid, CancellationToken, Task<object?>> read)
    {
        if (_exportSections.Any(s => s.Name == name)) throw new InvalidOperationException($"The export section '{name}' is registered twice.");
        _exportSections.Add(new JourneyExportSection(name, read));
        return this;
    }

    /// <summary>
    /// Adds what a module does on erasure, after the stream's protected text is masked and in the same transaction as
    /// the erasure event: delete what it holds about the person and bring its inline projections up to date.
    /// </summary>
    public JourneyCatalog OnErasure(string name, Func<IDocumentSession, Guid, CancellationToken, Task> erase)
    {
        _erasureSteps.Add(new JourneyErasureStep(name, erase));
        return this;
    }

    public JourneyEventRegistration? For(Type eventType) => _byType.GetValueOrDefault(eventType);

    public JourneyEventRegistration? For(string wireName) => _byName.GetValueOrDefault(wireName);

    /// <summary>The practitioner an assignment-deciding event names, or null when it releases the participant or decides nothing.</summary>
    public Guid? PractitionerDecidedBy(object data) =>
        _assignment.TryGetValue(data.GetType(), out var decide) ? decide(data) : null;

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

public sealed record JourneyExportSection(string Name, Func<IQuerySession, Guid, CancellationToken, Task<object?>> Read);

public sealed record JourneyErasureStep(string Name, Func<IDocumentSession, Guid, CancellationToken, Task> Erase);
