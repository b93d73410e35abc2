using System.Text.Json;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Auth;
using WorkingConversations.BuildingBlocks.Journey;
using WorkingConversations.BuildingBlocks.Volunteers;
using WorkingConversations.BuildingBlocks.Web;
using WorkingConversations.BuildingBlocks.Writing;
using WorkingConversations.VolunteerTraining.Erasing;
using WorkingConversations.VolunteerTraining.Exporting;
using WorkingConversations.VolunteerTraining.Views;

namespace WorkingConversations.VolunteerTraining.Pages;

/// <summary>How many volunteers a page of the administrators' records holds.</summary>
internal sealed record RecordsPaging(int PageSize);

/// <summary>
/// The administrators' answer to a volunteer's subject-access request and to their erasure, on the API's own export and
/// erasure decision: the list of volunteers, each one's data as a download (in the read audit, as the API's is), and
/// erasure behind a confirmation page, refused with the error summary until they have withdrawn.
/// </summary>
internal static class VolunteerDataPages
{
    public const string ListPath = "/volunteer-records";

    public static void Describe(WebCatalog web) => web.Navigate("Volunteers' records", ListPath, 25, Roles.Admin);

    public static void Map(RouteGroupBuilder pages)
    {
        var admin = pages.MapGroup("").RequireRoles(Roles.Admin);
        admin.MapGet(ListPath, List).WithName("VolunteerRecordsPage");
        admin.MapGet(ListPath + "/{id:guid}/export", Export).WithName("VolunteerExportDownload");
        admin.MapGet(ListPath + "/{id:guid}/erasure", ConfirmErasure).WithName("VolunteerErasurePage");
        admin.MapPost(ListPath + "/{id:guid}/erasure", Erase).WithName("VolunteerErasureForm");
    }

    /// <summary>How many volunteers a page of the records holds (<c>VolunteerTraining:RecordsPageSize</c>).</summary>
    public const string PageSizeKey = "VolunteerTraining:RecordsPageSize";

    public const int DefaultPageSize = 50;

    /// <summary>Pure: the page size, or a refusal naming the setting, at start-up.</summary>
    public static RecordsPaging PagingFrom(IConfiguration configuration)
    {
        var size = configuration.GetValue(PageSizeKey, DefaultPageSize);
        return size is >= 1 and <= VolunteerPages.MostRecent
            ? new RecordsPaging(size)
            : throw new InvalidOperationException($"{PageSizeKey} must be from 1 to {VolunteerPages.MostRecent} (it is {size}).");
    }

    private static readonly Dictionary<string, FieldLabel> ListLabels = new()
    {
        ["name"] = new("Name"),
        ["page"] = new("Page", "#volunteer-records"),
    };

    /// <summary>
    /// Every volunteer, a page at a time, the most recently enrolled first, so that an administrator reaches anyone who
    /// asks for their data; narrowed by a name (each word in their given or family name) when one is given.
    /// </summary>
    private static async Task<IResult> List(IQuerySession session, RecordsPaging paging, string? name, string? page, string? saved, CancellationToken ct)
    {
        var v = new Validation();
        name = string.IsNullOrWhiteSpace(name) ? null : name.Trim();
        v.OptionalText("name", name, 100);
        var number = NumberedPages.Read(page);
        if (number is null) v.Add("page", "must be a whole number from 1.");

        IQueryable<VolunteerSummary> query = session.Query<VolunteerSummary>();
        if (v.IsValid && name is not null)
        {
            IQueryable<VolunteerProfile> profiles = session.Query<VolunteerProfile>();
            foreach (var word in name.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Take(5))
                profiles = profiles.Where(p => p.GivenName.Contains(word, StringComparison.OrdinalIgnoreCase) || p.FamilyName.Contains(word, StringComparison.OrdinalIgnoreCase));
            var ids = (await profiles.Select(p => p.Id).ToListAsync(ct)).ToArray();
            query = query.Where(s => s.Id.IsOneOf(ids));
        }

        var pages = new NumberedPages(v.IsValid ? number!.Value : 1, paging.PageSize, await query.CountAsync(ct));
        var rows = await VolunteerPages.Rows(session, query, ct, pages.Skip, pages.Size);
        return PageResult.Show<VolunteerRecordsPage>(new Dictionary<string, object?>
        {
            ["Volunteers"] = rows, ["Pages"] = pages, ["Name"] = name, ["Saved"] = saved,
            ["Errors"] = v.IsValid ? null : v.ToRefusal().ToErrors(ListLabels),
        }, v.IsValid ? 200 : 400);
    }

    /// <summary>The address of a page of the records, with the name it was filtered by.</summary>
    public static string PageHref(string? name, int page) =>
        ListPath + (name is null ? $"?page={page}" : $"?name={Uri.EscapeDataString(name)}&page={page}");

    private static async Task<IResult> Export(Guid id, HttpContext http, IDocumentSession session, VolunteerCatalog catalog, IReadAudit audit, TimeProvider clock,
        IOptions<JsonOptions> json)
    {
        if (await ExportVolunteer.Build(id, http, session, catalog, audit, clock.GetUtcNow(), http.RequestAborted) is not { } export) return PageResult.NotFound();
        return TypedResults.File(JsonSerializer.SerializeToUtf8Bytes(export, json.Value.SerializerOptions), "application/json", $"volunteer-{id}.json");
    }

    private static readonly FormSpec ErasureSpec = new("Erase this volunteer", "", [], "Erase this volunteer")
    {
        SubmitIsWarning = true,
        BackHref = ListPath,
        BackText = "Back to volunteers' records",
    };

    private sealed record Subject(string Name, string Standing, long Version);

    private static async Task<Subject?> Load(IQuerySession session, Guid id, CancellationToken ct)
    {
        if (await session.LoadAsync<VolunteerSummary>(id, ct) is not { } summary) return null;
        var profile = await session.LoadAsync<VolunteerProfile>(id, ct);
        var version = (await session.Events.FetchStreamStateAsync(id, ct))?.Version ?? 0;
        return new Subject(profile is null ? VolunteerPages.ErasedName : $"{profile.GivenName} {profile.FamilyName}", summary.Status, version);
    }

    private static FormSpec Spec(Guid id, Subject subject) => ErasureSpec with { Action = $"{ListPath}/{id}/erasure", Caption = subject.Name };

    private static RenderFragment Warning(Subject subject) =>
        Fragment.Of<VolunteerErasureWarning>(new Dictionary<string, object?> { ["Name"] = subject.Name, ["Standing"] = subject.Standing });

    private static async Task<IResult> ConfirmErasure(Guid id, IQuerySession session, CancellationToken ct) =>
        await Load(session, id, ct) is { } subject ? FormPages.Show(Spec(id, subject), version: subject.Version, above: Warning(subject)) : PageResult.NotFound();

    private static async Task<IResult> Erase(Guid id, HttpContext http, IQuerySession session, WriteStep write, VolunteerCatalog catalog)
    {
        var form = await PostedForm.ReadAsync(http.Request);
        var outcome = await write.DecideAsync(http, form.IfMatch, new Validation(),
            attempt => attempt.OnVolunteer(id, volunteer => EraseVolunteer.Decide(volunteer, EraseVolunteer.Steps(catalog), attempt.Now)),
            EraseVolunteer.Options(id, catalog));
        if (outcome.IsCommitted)
            return PageResult.SeeOther(ListPath, "The volunteer was erased: their name, email and free text are gone, their keys revoked; their training facts stay.");
        if (PageRefusals.IsNotFound(outcome.Refusal!) || await Load(session, id, http.RequestAborted) is not { } subject) return PageResult.NotFound();
        return FormPages.Refused(Spec(id, subject), form, outcome.Refusal!, subject.Version, Warning(subject));
    }
}
