using Marten;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;

namespace WorkingConversations.BuildingBlocks.Web;

/// <summary>A link of the header's navigation, for the roles that may follow it.</summary>
public sealed record NavigationItem(string Text, string Href, int Order, IReadOnlyList<string> Roles);

/// <summary>What a page's data loader is given: the request, a session to read with, the person and the service's time.</summary>
public sealed record PageData(HttpContext Http, IQuerySession Session, StaffUser User, ServiceTime Time)
{
    public CancellationToken Cancellation => Http.RequestAborted;
}

/// <summary>What a participant page's section is given besides <see cref="PageData"/>: whose page it is and its version.</summary>
public sealed record ParticipantPageData(PageData Page, Guid ParticipantId, long Version);

/// <summary>A participant as lists name them: their name, or why there is none (erased).</summary>
public sealed record ParticipantName(string Name, DateOnly? DateOfBirth);

/// <summary>A participant's summary for the top of a page about them, and the journey version it was drawn at.</summary>
public sealed record ParticipantContext(RenderFragment Summary, long Version, string Name);

public sealed record HomePanel(int Order, IReadOnlyList<string> Roles, Func<PageData, Task<RenderFragment?>> Render);

public sealed record ParticipantSection(int Order, IReadOnlyList<string> Roles, Func<ParticipantPageData, Task<RenderFragment?>> Render);

/// <summary>
/// What each module adds to the staff pages that others compose: its links in the navigation, its panels on a person's
/// home page, its sections of a participant's page, and the names it knows (Referrals the participants', VolunteerTraining
/// the practitioners'). The shell reads only this, so it references no module, as the journey catalog does.
/// </summary>
public sealed class WebCatalog
{
    private readonly List<NavigationItem> _navigation = [];
    private readonly List<HomePanel> _home = [];
    private readonly List<ParticipantSection> _participant = [];
    private Func<PageData, Guid, Task<ParticipantContext?>>? _participantContext;
    private Func<IQuerySession, IReadOnlyCollection<Guid>, CancellationToken, Task<IReadOnlyDictionary<Guid, ParticipantName>>>? _participantNames;
    private Func<IQuerySession, IReadOnlyCollection<Guid>, CancellationToken, Task<IReadOnlyDictionary<Guid, string>>>? _practitionerNames;
    private Func<IQuerySession, CancellationToken, Task<IReadOnlyList<Choice>>>? _partners;

    public IEnumerable<NavigationItem> NavigationFor(string role) =>
        _navigation.Where(n => n.Roles.Contains(role, StringComparer.Ordinal)).OrderBy(n => n.Order);

    public IEnumerable<HomePanel> HomeFor(string role) => _home.Where(p => p.Roles.Contains(role, StringComparer.Ordinal)).OrderBy(p => p.Order);

    public IEnumerable<ParticipantSection> ParticipantSectionsFor(string role) =>
        _participant.Where(p => p.Roles.Contains(role, StringComparer.Ordinal)).OrderBy(p => p.Order);

    public WebCatalog Navigate(string text, string href, int order, params string[] roles)
    {
        _navigation.Add(new NavigationItem(text, href, order, roles));
        return this;
    }

    public WebCatalog Home(int order, string[] roles, Func<PageData, Task<RenderFragment?>> render)
    {
        _home.Add(new HomePanel(order, roles, render));
        return this;
    }

    public WebCatalog Participant(int order, string[] roles, Func<ParticipantPageData, Task<RenderFragment?>> render)
    {
        _participant.Add(new ParticipantSection(order, roles, render));
        return this;
    }

    /// <summary>
    /// What every page about one participant shows above its own content (the Journey module's summary of the state now),
    /// with the journey's version for the page's forms; null when the person may not see the participant (the page's 404).
    /// It records the view in the read audit.
    /// </summary>
    public WebCatalog ParticipantContext(Func<PageData, Guid, Task<ParticipantContext?>> context)
    {
        _participantContext = context;
        return this;
    }

    public Task<ParticipantContext?> ContextOf(PageData page, Guid participantId) =>
        _participantContext?.Invoke(page, participantId) ?? Task.FromResult<ParticipantContext?>(null);

    public WebCatalog ParticipantNames(Func<IQuerySession, IReadOnlyCollection<Guid>, CancellationToken, Task<IReadOnlyDictionary<Guid, ParticipantName>>> names)
    {
        _participantNames = names;
        return this;
    }

    public WebCatalog PractitionerNames(Func<IQuerySession, IReadOnlyCollection<Guid>, CancellationToken, Task<IReadOnlyDictionary<Guid, string>>> names)
    {
        _practitionerNames = names;
        return this;
    }

    public async Task<IReadOnlyDictionary<Guid, ParticipantName>> NamesOfParticipants(IQuerySession session, IReadOnlyCollection<Guid> ids, CancellationToken ct) =>
        _participantNames is null || ids.Count == 0 ? new Dictionary<Guid, ParticipantName>() : await _participantNames(session, ids, ct);

    public async Task<IReadOnlyDictionary<Guid, string>> NamesOfPractitioners(IQuerySession session, IReadOnlyCollection<Guid> ids, CancellationToken ct) =>
        _practitionerNames is null || ids.Count == 0 ? new Dictionary<Guid, string>() : await _practitionerNames(session, ids, ct);

    /// <summary>The partners (organisations, not people) by name, for a filter: Referrals knows them.</summary>
    public WebCatalog Partners(Func<IQuerySession, CancellationToken, Task<IReadOnlyList<Choice>>> partners)
    {
        _partners = partners;
        return this;
    }

    public async Task<IReadOnlyList<Choice>> AllPartners(IQuerySession session, CancellationToken ct) =>
        _partners is null ? [] : await _partners(session, ct);

    public async Task<ParticipantName?> NameOfParticipant(IQuerySession session, Guid id, CancellationToken ct) =>
        (await NamesOfParticipants(session, [id], ct)).GetValueOrDefault(id);

    public async Task<string?> NameOfPractitioner(IQuerySession session, Guid id, CancellationToken ct) =>
        (await NamesOfPractitioners(session, [id], ct)).GetValueOrDefault(id);
}

/// <summary>A component with its parameters, as a fragment another module's page can place without knowing its type.</summary>
public static class Fragment
{
    public static RenderFragment Of<TComponent>(IReadOnlyDictionary<string, object?> parameters) where TComponent : IComponent => builder =>
    {
        builder.OpenComponent<TComponent>(0);
        builder.AddMultipleAttributes(1, parameters.Select(p => new KeyValuePair<string, object>(p.Key, p.Value!)));
        builder.CloseComponent();
    };
}
