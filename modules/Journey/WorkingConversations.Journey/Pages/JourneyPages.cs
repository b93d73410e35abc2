using System.Globalization;
using System.Text.Json;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Auth;
using WorkingConversations.BuildingBlocks.Journey;
using WorkingConversations.BuildingBlocks.Web;
using WorkingConversations.BuildingBlocks.Writing;
using WorkingConversations.Journey.Auditing;
using WorkingConversations.Journey.Erasing;
using WorkingConversations.Journey.Exporting;
using WorkingConversations.Journey.ReadingHistory;
using WorkingConversations.Journey.ReadingState;

namespace WorkingConversations.Journey.Pages;

/// <summary>
/// A participant's page (the journey's state and timeline, now or as it stood at a date or version, with each module's
/// section), the subject-access download, erasure behind a confirmation, and the administrators' read audit. The same
/// access rule, queries and audit as the API's journey routes.
/// </summary>
internal static class JourneyPages
{
    public const int TimelinePageSize = 20;

    public static void Describe(WebCatalog web)
    {
        web.Navigate("Read audit", "/audit", 30, Roles.Admin);
        web.ParticipantContext(ContextAsync);
    }

    public static void Map(RouteGroupBuilder pages)
    {
        pages.MapGet("/participants/{id:guid}", Show).RequireRoles(Roles.Caseworker, Roles.Practitioner).WithName("ParticipantPage");
        pages.MapGet("/participants/{id:guid}/export", Export).RequireRoles(Roles.Caseworker).WithName("ParticipantExportDownload");
        pages.MapGet("/participants/{id:guid}/erasure", ConfirmErasure).RequireRoles(Roles.Caseworker).WithName("ParticipantErasurePage");
        pages.MapPost("/participants/{id:guid}/erasure", Erase).RequireRoles(Roles.Caseworker).WithName("ParticipantErasureForm");
        pages.MapGet("/audit", Audit).RequireRoles(Roles.Admin).WithName("ReadAuditPage");
    }

    private static async Task<IResult> Show(Guid id, HttpContext http, IDocumentSession session, JourneyCatalog catalog, JourneyAccess access, WebCatalog web,
        ServiceTime time, IReadAudit audit, string? version, string? module, string? type, string? order, string? cursor, string? saved)
    {
        var ct = http.RequestAborted;
        var user = StaffUser.From(http.User)!;
        if (!await access.MaySee(session, user.Actor, id, ct)) return PageResult.NotFound();

        var query = new PostedForm(http.Request.Query.Select(q => new KeyValuePair<string, string>(q.Key, q.Value.ToString())));
        var v = new Validation();
        var asOf = AsOf(query, v, time);
        long? atVersion = null;
        if (version is { Length: > 0 })
        {
            if (long.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1) atVersion = n;
            else v.Add("version", "must be a whole number of 1 or more: a version of the journey.");
        }

        if (asOf is not null && atVersion is not null) v.Add("asOf", "give either a date or a version, not both.");
        var (history, historyCheck) = GetHistory.Validate(catalog, order ?? "desc", Blank(module), Blank(type), TimelinePageSize.ToString(CultureInfo.InvariantCulture), Blank(cursor));
        foreach (var (field, messages) in historyCheck.Errors)
            foreach (var m in messages) v.Add(field, m);

        IReadOnlyList<IEvent> events = v.IsValid ? await session.Events.FetchStreamAsync(id, atVersion ?? 0, asOf, token: ct) : [];
        if (v.IsValid && events.Count == 0) v.Add("asOf", "is before the journey began: choose a later date.");
        if (v.IsValid && atVersion is { } wanted && events[^1].Version < wanted)
            v.Add("version", $"must be at most {events[^1].Version.ToString(CultureInfo.InvariantCulture)}, the journey's current version.");

        var filter = Filter(catalog, module, type, order);
        if (!v.IsValid)
        {
            // Drawn as it is now, with the error summary naming what to fix in the time travel or the filter.
            var errors = v.ToRefusal().ToErrors(Labels);
            var now = await LoadAsync(id, http, session, catalog, web, time, user, null, null, history is null ? null : history with { AfterVersion = null }, null, ct);
            audit.Record(session, http, user.Actor, id, ReadKinds.Journey, time.Now);
            await session.SaveChangesAsync(ct);
            return Page(now, filter, query, errors, saved, StatusCodes.Status400BadRequest);
        }

        var past = asOf is not null || atVersion is not null;
        var pastLabel = asOf is not null ? $"as it stood at the end of {ServiceTime.Date(DateOnly.FromDateTime(time.Local(asOf.Value.AddTicks(-1)).DateTime))}"
            : atVersion is not null ? $"as it stood at version {events[^1].Version}" : null;
        var view = await LoadAsync(id, http, session, catalog, web, time, user, events, pastLabel, history, cursor, ct);
        audit.Record(session, http, user.Actor, id, ReadKinds.Journey, time.Now);
        await session.SaveChangesAsync(ct);
        return Page(view, filter, query, null, past ? null : saved, StatusCodes.Status200OK);
    }

    private static IResult Page(ParticipantView view, TimelineFilter filter, PostedForm query, FormErrors? errors, string? saved, int status) =>
        PageResult.Show<ParticipantPage>(new Dictionary<string, object?>
        {
            ["View"] = view, ["Filter"] = filter, ["Query"] = query, ["Errors"] = errors, ["Saved"] = saved,
        }, status);

    private static readonly IReadOnlyDictionary<string, FieldLabel> Labels = new Dictionary<string, FieldLabel>
    {
        ["asOf"] = new("Date", "#asOf-day"),
        ["version"] = new("Version"),
        ["module"] = new("Module"),
        ["type"] = new("Type"),
        ["order"] = new("Order"),
        ["cursor"] = new("Page"),
    };

    /// <summary>"As it stood on" a date: the end of that day where the service is. Typed in the boxes, or given as ?asOf=2026-12-01.</summary>
    private static DateTimeOffset? AsOf(PostedForm query, Validation v, ServiceTime time)
    {
        if (query.Text("asOf") is { } text)
        {
            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)) return time.EndOf(day);
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)) return at;
            v.Add("asOf", "must be a date like 2026-12-01.");
            return null;
        }

        var date = query.Date("asOf", "asOf");
        foreach (var (field, messages) in query.Problems.Errors)
            foreach (var m in messages) v.Add(field, m);
        if (date is { } d && d > time.Today) v.Add("asOf", "must be today or in the past.");
        return date is { } chosen ? time.EndOf(chosen) : null;
    }

    private static async Task<ParticipantView> LoadAsync(Guid id, HttpContext http, IDocumentSession session, JourneyCatalog catalog, WebCatalog web,
        ServiceTime time, StaffUser user, IReadOnlyList<IEvent>? pastEvents, string? pastLabel, GetHistory.Query? history, string? cursor, CancellationToken ct)
    {
        var events = pastEvents ?? await session.Events.FetchStreamAsync(id, token: ct);
        var reached = events.Count == 0 ? 0 : events[^1].Version;
        var current = pastLabel is null ? reached : (await session.Events.FetchStreamStateAsync(id, ct))?.Version ?? reached;
        var episodes = JourneyState.Fold(catalog, events.Select(e => e.Data));
        var practitioners = await web.NamesOfPractitioners(session,
            episodes.Select(e => StateRows.Id(e["practitionerId"])).OfType<Guid>().Distinct().ToList(), ct);

        history ??= new GetHistory.Query(true, null, TimelinePageSize, null);
        var found = await GetHistory.Page(session, id, history with { UpToVersion = pastLabel is null ? null : reached }, ct);
        var page = found.Take(history.Limit).ToList();
        var timeline = page.Select(e =>
        {
            var item = GetHistory.ToItem(e, catalog);
            return new TimelineRow(item.Version, time.DateAndTime(item.OccurredAt), item.Summary, item.Module,
                $"{StaffUser.RoleName(item.RecordedBy.Role)}{(item.RecordedBy.Name.Length > 0 ? ", " + item.RecordedBy.Name : "")}");
        }).ToList();
        var baseQuery = http.Request.Query.Where(q => q.Key is not ("cursor" or "saved")).ToList();
        string Link(params (string Key, string Value)[] extra) =>
            $"/participants/{id}?" + string.Join("&", baseQuery.Select(q => $"{q.Key}={Uri.EscapeDataString(q.Value.ToString())}")
                .Concat(extra.Select(x => $"{x.Key}={Uri.EscapeDataString(x.Value)}")));
        var older = found.Count > history.Limit ? Link(("cursor", ListCursorOf(page[^1].Version))) : null;
        var newest = cursor is not null ? Link() : null;

        var data = new PageData(http, session, user, time);
        var sections = new List<RenderFragment>();
        if (pastLabel is null)
        {
            foreach (var section in web.ParticipantSectionsFor(user.Role))
            {
                if (await section.Render(new ParticipantPageData(data, id, current)) is { } fragment) sections.Add(fragment);
            }
        }

        var name = await web.NameOfParticipant(session, id, ct);
        return new ParticipantView(id, name?.Name ?? "Participant", name?.DateOfBirth is { } dob ? ServiceTime.Date(dob) : null, reached, current, pastLabel,
            episodes.Select(e => StateRows.Of(e, practitioners)).ToList(), timeline, older, newest, sections, user.IsIn(Roles.Caseworker));
    }

    private static string ListCursorOf(long version) => BuildingBlocks.Http.ListCursor.After(version);

    private static TimelineFilter Filter(JourneyCatalog catalog, string? module, string? type, string? order) =>
        new(Blank(module), Blank(type), order is "asc" ? "asc" : "desc",
            [new Choice("", "All modules"), .. catalog.Modules.Order(StringComparer.Ordinal).Select(m => new Choice(m, m))],
            [new Choice("", "All types"), .. catalog.Events.OrderBy(e => e.WireName, StringComparer.Ordinal).Select(e => new Choice(e.WireName, Choice.Words(e.WireName)))]);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    /// <summary>The summary at the top of every page about one participant, for the modules' forms; the view is audited.</summary>
    private static async Task<ParticipantContext?> ContextAsync(PageData page, Guid id)
    {
        var services = page.Http.RequestServices;
        var session = services.GetRequiredService<IDocumentSession>();
        var catalog = services.GetRequiredService<JourneyCatalog>();
        var web = services.GetRequiredService<WebCatalog>();
        if (!await services.GetRequiredService<JourneyAccess>().MaySee(session, page.User.Actor, id, page.Cancellation)) return null;
        var events = await session.Events.FetchStreamAsync(id, token: page.Cancellation);
        if (events.Count == 0) return null;
        var episodes = JourneyState.Fold(catalog, events.Select(e => e.Data));
        var practitioners = await web.NamesOfPractitioners(session, episodes.Select(e => StateRows.Id(e["practitionerId"])).OfType<Guid>().Distinct().ToList(),
            page.Cancellation);
        var name = (await web.NameOfParticipant(session, id, page.Cancellation))?.Name ?? "Participant";
        services.GetRequiredService<IReadAudit>().Record(session, page.Http, page.User.Actor, id, ReadKinds.Journey, page.Time.Now);
        await session.SaveChangesAsync(page.Cancellation);
        var latest = episodes.Count == 0 ? null : StateRows.Of(episodes[^1], practitioners);
        return new ParticipantContext(Fragment.Of<ParticipantSummary>(new Dictionary<string, object?>
        {
            ["Id"] = id, ["Name"] = name, ["Episode"] = latest, ["Version"] = events[^1].Version,
        }), events[^1].Version, name);
    }

    private static async Task<IResult> Export(Guid id, HttpContext http, IDocumentSession session, JourneyCatalog catalog, JourneyAccess access, ServiceTime time,
        IOptions<JsonOptions> json)
    {
        var actor = Actor.From(http.User);
        if (!await access.MaySee(session, actor, id, http.RequestAborted)) return PageResult.NotFound();
        var export = await ExportJourney.Build(id, http, actor, session, catalog, time.Now, http.RequestAborted);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(export, json.Value.SerializerOptions);
        return TypedResults.File(bytes, "application/json", $"participant-{id}.json");
    }

    private static readonly FormSpec ErasureSpec = new("Erase this participant", "", [], "Erase this participant")
    {
        SubmitIsWarning = true,
    };

    private static async Task<IResult> ConfirmErasure(Guid id, HttpContext http, IQuerySession session, WebCatalog web, ServiceTime time)
    {
        var context = await web.ContextOf(new PageData(http, session, StaffUser.From(http.User)!, time), id);
        return context is null ? PageResult.NotFound() : FormPages.Show(Erasure(id, context), version: context.Version, above: ErasureWarning(context));
    }

    private static FormSpec Erasure(Guid id, ParticipantContext context) =>
        ErasureSpec with { Action = $"/participants/{id}/erasure", Caption = context.Name, BackHref = $"/participants/{id}", BackText = "Back to the participant" };

    private static RenderFragment ErasureWarning(ParticipantContext context) => builder =>
    {
        builder.AddContent(0, context.Summary);
        builder.AddMarkupContent(1, """
            <div class="nhsuk-card nhsuk-card--warning"><div class="nhsuk-card__content">
            <h2 class="nhsuk-card__heading">This cannot be undone</h2>
            <p class="nhsuk-card__description">Their name, date of birth, contact details and NHS number are deleted, and every note, reason and best hope
            in their journey is masked. Dates, scores and outcomes stay, without who they were about, so the service's figures keep counting.</p>
            </div></div>
            """);
    };

    private static async Task<IResult> Erase(Guid id, HttpContext http, IQuerySession session, WriteStep write, JourneyCatalog catalog, WebCatalog web, ServiceTime time)
    {
        var form = await PostedForm.ReadAsync(http.Request);
        var outcome = await write.DecideAsync(http, form.IfMatch, new Validation(), async attempt =>
            {
                if (!await attempt.MaySee(id)) return JourneyAccess.NotYours(id);
                var version = await attempt.StreamVersion(id);
                return EraseParticipant.Decide(id, version, catalog, attempt.Now);
            },
            EraseParticipant.Options(id, catalog));
        if (outcome.IsCommitted) return PageResult.SeeOther($"/participants/{id}", "The participant was erased: their identity is deleted and their protected text masked.");
        if (PageRefusals.IsNotFound(outcome.Refusal!)) return PageResult.NotFound();
        var context = await web.ContextOf(new PageData(http, session, StaffUser.From(http.User)!, time), id);
        return context is null ? PageResult.NotFound() : FormPages.Refused(Erasure(id, context), form, outcome.Refusal!, context.Version, ErasureWarning(context));
    }

    private static async Task<IResult> Audit(HttpContext http, IQuerySession session, ServiceTime time, string? participantId, string? actor, string? cursor)
    {
        var (query, v) = ListReads.Validate(Blank(participantId), Blank(actor), null, null, "50", Blank(cursor));
        if (query is null)
        {
            return PageResult.Show<AuditPage>(new Dictionary<string, object?>
            {
                ["Reads"] = Array.Empty<AuditItem>(), ["Errors"] = v.ToRefusal().ToErrors(AuditLabels), ["ParticipantId"] = participantId, ["Actor"] = actor,
            }, StatusCodes.Status400BadRequest);
        }

        var found = await ListReads.Find(session, query, http.RequestAborted);
        var page = found.Take(query.Limit).ToList();
        var next = found.Count > query.Limit
            ? $"/audit?participantId={Uri.EscapeDataString(participantId ?? "")}&actor={Uri.EscapeDataString(actor ?? "")}&cursor={BuildingBlocks.Http.ListCursor.After(page[^1].At, page[^1].Id)}"
            : null;
        return PageResult.Show<AuditPage>(new Dictionary<string, object?>
        {
            ["Reads"] = page.Select(AuditItem.From).ToList(), ["Next"] = next, ["ParticipantId"] = participantId, ["Actor"] = actor,
        });
    }

    private static readonly IReadOnlyDictionary<string, FieldLabel> AuditLabels = new Dictionary<string, FieldLabel>
    {
        ["participantId"] = new("Participant id"),
        ["actor"] = new("Who read"),
        ["cursor"] = new("Page"),
    };
}
