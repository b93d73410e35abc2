using System.Text;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using WorkingConversations.BuildingBlocks.Auth;
using WorkingConversations.BuildingBlocks.Web;
using WorkingConversations.Outcomes.Reporting;
using WorkingConversations.Outcomes.Scoring;

namespace WorkingConversations.Outcomes.Pages.Dashboard;

/// <summary>The filters of the dashboard as the page shows them, and the problems with them.</summary>
public sealed record DashboardFilters(string? From, string? To, string? PartnerId, string? Programme)
{
    /// <summary>The query string that reproduces these filters, for the CSV links and the report.</summary>
    public string QueryString()
    {
        var parts = new List<string>();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value)) parts.Add($"{name}={Uri.EscapeDataString(value)}");
        }

        Add("from", From);
        Add("to", To);
        Add("partnerId", PartnerId);
        Add("programme", Programme);
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }
}

/// <summary>
/// The analyst dashboard (<c>/dashboard</c>), each section's CSV, and the printable evidence report
/// (<c>/dashboard/report</c>): the analyst API's queries and decisions, drawn. Analysts only; nothing here names a person.
/// </summary>
internal static class DashboardPages
{
    public static readonly string[] Programmes = ["volunteer", "apprentice", "none"];

    public static void Describe(WebCatalog web) =>
        web.Navigate("Dashboard", "/dashboard", 10, Roles.Analyst)
            .Home(10, [Roles.Analyst], _ => Task.FromResult<Microsoft.AspNetCore.Components.RenderFragment?>(Fragment.Of<DashboardHomePanel>(new Dictionary<string, object?>())));

    public static void Map(RouteGroupBuilder pages)
    {
        var analyst = pages.MapGroup("/dashboard").RequireRoles(Roles.Analyst);
        analyst.MapGet("", Dashboard).WithName("DashboardPage");
        analyst.MapGet("/report", Report).WithName("EvidenceReportPage");
        analyst.MapGet("/csv/{section}", Csv).WithName("DashboardSectionCsv");
    }

    private sealed record Loaded(DashboardFilters Filters, ReportQuery? Query, FormErrors Errors, IReadOnlyList<DashboardSection> Sections);

    private static readonly IReadOnlyDictionary<string, FieldLabel> Labels = new Dictionary<string, FieldLabel>(StringComparer.Ordinal)
    {
        ["from"] = new("From date"), ["to"] = new("To date"), ["partnerId"] = new("Partner"), ["programme"] = new("Programme"),
    };

    private static async Task<Loaded> LoadAsync(HttpContext http, IQuerySession session, DisclosureSettings disclosure, OutcomeThresholds thresholds,
        FollowUpSettings followUps, NationalReferenceSettings references, TimeProvider clock)
    {
        var q = http.Request.Query;
        string? Value(string name) => q[name].ToString() is { Length: > 0 } v ? v.Trim() : null;
        var filters = new DashboardFilters(Value("from"), Value("to"), Value("partnerId"), Value("programme"));
        var (query, problem) = ReportQuery.Parse(filters.From, filters.To, filters.PartnerId, null, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime),
            grouping: false, filters.Programme);
        var errors = new FormErrors();
        if (problem is not null)
        {
            foreach (var (field, messages) in problem.ProblemDetails.Errors)
            {
                var label = Labels.GetValueOrDefault(field)?.Label ?? field;
                foreach (var message in messages) errors.Add(field, "#" + field, $"{label} {message}");
            }

            return new Loaded(filters, null, errors, []);
        }

        var data = await DashboardData.LoadAsync(session, query!, disclosure, thresholds, followUps, http.RequestAborted);
        return new Loaded(filters, query, errors, DashboardSections.Build(data, disclosure, references));
    }

    private static async Task<IResult> Dashboard(HttpContext http, IQuerySession session, DisclosureSettings disclosure, OutcomeThresholds thresholds,
        FollowUpSettings followUps, NationalReferenceSettings references, TimeProvider clock, WebCatalog web)
    {
        var loaded = await LoadAsync(http, session, disclosure, thresholds, followUps, references, clock);
        var partners = await web.AllPartners(session, http.RequestAborted);
        return PageResult.Show<DashboardPage>(new Dictionary<string, object?>
        {
            ["Filters"] = loaded.Filters, ["From"] = loaded.Query?.From, ["To"] = loaded.Query?.To, ["Errors"] = loaded.Errors, ["Sections"] = loaded.Sections,
            ["Partners"] = partners, ["PartnerName"] = PartnerName(partners, loaded.Query?.PartnerId),
        }, loaded.Errors.Any ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK);
    }

    private static string? PartnerName(IReadOnlyList<Choice> partners, Guid? id) =>
        id is { } p ? partners.FirstOrDefault(c => c.Value == p.ToString())?.Text ?? "an unknown partner" : null;

    private static async Task<IResult> Report(HttpContext http, IQuerySession session, DisclosureSettings disclosure, OutcomeThresholds thresholds,
        FollowUpSettings followUps, NationalReferenceSettings references, TimeProvider clock, WebCatalog web, ServiceTime time)
    {
        var loaded = await LoadAsync(http, session, disclosure, thresholds, followUps, references, clock);
        if (loaded.Errors.Any) return PageResult.Message("The report's period is not valid", StatusCodes.Status400BadRequest,
            [.. loaded.Errors.Items.Select(e => e.Text), "Go back to the dashboard and choose the period again."]);
        var partners = await web.AllPartners(session, http.RequestAborted);
        return PageResult.Show<EvidenceReportPage>(new Dictionary<string, object?>
        {
            ["From"] = loaded.Query!.From, ["To"] = loaded.Query.To, ["Sections"] = loaded.Sections, ["Generated"] = time.DateAndTime(time.Now),
            ["PartnerName"] = PartnerName(partners, loaded.Query.PartnerId), ["Programme"] = loaded.Query.Programme,
        });
    }

    private static async Task<IResult> Csv(string section, HttpContext http, IQuerySession session, DisclosureSettings disclosure, OutcomeThresholds thresholds,
        FollowUpSettings followUps, NationalReferenceSettings references, TimeProvider clock)
    {
        var loaded = await LoadAsync(http, session, disclosure, thresholds, followUps, references, clock);
        if (loaded.Errors.Any) return PageResult.Message("The period is not valid", StatusCodes.Status400BadRequest, [.. loaded.Errors.Items.Select(e => e.Text)]);
        if (loaded.Sections.FirstOrDefault(s => s.Id == section) is not { } found) return PageResult.NotFound();
        var name = $"{found.Id}-{loaded.Query!.From:yyyy-MM-dd}-to-{loaded.Query.To:yyyy-MM-dd}.csv";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{name}\"";
        return Results.Text(found.Csv(), "text/csv; charset=utf-8", Encoding.UTF8);
    }
}
