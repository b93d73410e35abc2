using Marten;

namespace WorkingConversations.BuildingBlocks.Volunteers;

/// <summary>A key (or a signed-in identity) that acts for a volunteer: its id, and the name stamped on what it did.</summary>
public sealed record VolunteerActor(Guid KeyId, string Name);

/// <summary>
/// Whom a volunteer's subject-access export or erasure is about: the volunteer (whose id is also their practitioner id),
/// every key that acted for them, and the names those actions were stamped with (the keys' names, the volunteer's own
/// name and email), which other modules may have copied.
/// </summary>
public sealed record VolunteerSubject(Guid VolunteerId, IReadOnlyList<Guid> KeyIds, IReadOnlyList<string> Names);

/// <summary>
/// What each module holds about a volunteer outside the volunteer's own stream, keyed by their practitioner id: who acts
/// for them, the module's section of the volunteer's subject-access export, and what the module deletes or masks when
/// the volunteer is erased. VolunteerTraining reads only this catalog, so it never references another module.
/// </summary>
public sealed class VolunteerCatalog
{
    private readonly List<Func<IQuerySession, Guid, CancellationToken, Task<IReadOnlyList<VolunteerActor>>>> _actors = [];
    private readonly List<VolunteerExportSection> _exportSections = [];
    private readonly List<VolunteerErasureStep> _erasureSteps = [];

    public IReadOnlyList<VolunteerExportSection> ExportSections => _exportSections;

    public IReadOnlyList<VolunteerErasureStep> ErasureSteps => _erasureSteps;

    /// <summary>Declares the keys a module issued to act for a volunteer (Access: the practitioner keys).</summary>
    public VolunteerCatalog ActsFor(Func<IQuerySession, Guid, CancellationToken, Task<IReadOnlyList<VolunteerActor>>> actors)
    {
        _actors.Add(actors);
        return this;
    }

    /// <summary>Adds a named section to the volunteer's subject-access export.</summary>
    public VolunteerCatalog AddExportSection(string name, Func<IQuerySession, VolunteerSubject, CancellationToken, Task<object?>> read)
    {
        if (_exportSections.Any(s => s.Name == name)) throw new InvalidOperationException($"The volunteer export section '{name}' is registered twice.");
        _exportSections.Add(new VolunteerExportSection(name, read));
        return this;
    }

    /// <summary>
    /// Adds what a module does when a volunteer is erased, after the volunteer's stream is masked: delete or mask what it
    /// holds about them, keeping ids and facts. Steps must be idempotent: a repeated erasure runs them again.
    /// </summary>
    public VolunteerCatalog OnErasure(string name, Func<VolunteerErasureContext, Task> erase)
    {
        _erasureSteps.Add(new VolunteerErasureStep(name, erase));
        return this;
    }

    /// <summary>Every key that acts for the volunteer, as the modules know them.</summary>
    public async Task<IReadOnlyList<VolunteerActor>> ActorsOf(IQuerySession session, Guid volunteerId, CancellationToken ct)
    {
        var all = new List<VolunteerActor>();
        foreach (var actors in _actors) all.AddRange(await actors(session, volunteerId, ct));
        return all;
    }
}

public sealed record VolunteerExportSection(string Name, Func<IQuerySession, VolunteerSubject, CancellationToken, Task<object?>> Read);

public sealed record VolunteerErasureStep(string Name, Func<VolunteerErasureContext, Task> Erase);

/// <summary>One erasure step's work: the session it writes in (saved once every step has run), the host's services, the subject, when.</summary>
public sealed record VolunteerErasureContext(IDocumentSession Session, IServiceProvider Services, VolunteerSubject Subject, DateTimeOffset At, CancellationToken Cancellation);
