using System.Globalization;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Auth;
using WorkingConversations.BuildingBlocks.Web;
using WorkingConversations.BuildingBlocks.Writing;
using WorkingConversations.Conversations.Contracts;
using WorkingConversations.VolunteerTraining.Assessing;
using WorkingConversations.VolunteerTraining.Capacity;
using WorkingConversations.VolunteerTraining.Certifying;
using WorkingConversations.VolunteerTraining.Curriculum;
using WorkingConversations.VolunteerTraining.Dbs;
using WorkingConversations.VolunteerTraining.Enrolling;
using WorkingConversations.VolunteerTraining.Practice;
using WorkingConversations.VolunteerTraining.Promoting;
using WorkingConversations.VolunteerTraining.Standing;
using WorkingConversations.VolunteerTraining.Supervision;
using WorkingConversations.VolunteerTraining.Views;

namespace WorkingConversations.VolunteerTraining.Pages;

/// <summary>A volunteer in the trainers' list.</summary>
public sealed record VolunteerRow(Guid Id, string Name, string Programme, string Status, string Level, DateTimeOffset EnrolledAt);

/// <summary>The trainers' pages: volunteers and apprentices, the pipeline, one volunteer's progress and every step of their training.</summary>
internal static class VolunteerPages
{
    public static void Describe(WebCatalog web)
    {
        web.Navigate("Volunteers", "/volunteers", 10, Roles.Trainer)
            .Navigate("Pipeline", "/training/pipeline", 20, Roles.Trainer)
            .Home(10, [Roles.Trainer], async page => Fragment.Of<PipelinePanel>(new Dictionary<string, object?>
            {
                ["Pipeline"] = GetPipeline.Summarise(await page.Session.Query<VolunteerSummary>().ToListAsync(page.Cancellation)),
            }))
            .PractitionerNames(async (session, ids, ct) =>
                (await session.LoadManyAsync<VolunteerProfile>(ct, ids)).ToDictionary(p => p.Id, p => $"{p.GivenName} {p.FamilyName}"));
    }

    public static void Map(RouteGroupBuilder pages)
    {
        var trainer = pages.MapGroup("").RequireRoles(Roles.Trainer);
        trainer.MapGet("/training/pipeline", Pipeline).WithName("PipelinePage");
        trainer.MapGet("/volunteers", List).WithName("VolunteersPage");
        trainer.MapGet("/volunteers/new", () => FormPages.Show(EnrolSpec)).WithName("EnrolVolunteerPage");
        trainer.MapPost("/volunteers/new", Enrol).WithName("EnrolVolunteerForm");
        trainer.MapGet("/volunteers/{id:guid}", Show).WithName("VolunteerPage");
        foreach (var step in Steps)
        {
            trainer.MapGet($"/volunteers/{{id:guid}}/{step.Path}", (Guid id, HttpContext http, IQuerySession session, CurriculumSource curriculum,
                IOptions<CertificationRules> rules, ServiceTime time) => StepPage(step, id, http, session, curriculum, rules.Value, time)).WithName($"Volunteer{step.Name}Page");
            trainer.MapPost($"/volunteers/{{id:guid}}/{step.Path}", (Guid id, HttpContext http, IQuerySession session, WriteStep write, CurriculumSource curriculum,
                IOptions<CertificationRules> rules, ServiceTime time) => StepForm(step, id, http, session, write, curriculum, rules.Value, time)).WithName($"Volunteer{step.Name}Form");
        }
    }

    private static readonly string[] Standings = ["in-training", "certified", "suspended", "lapsed", "withdrawn"];

    private static async Task<IResult> Pipeline(IQuerySession session, CancellationToken ct) =>
        PageResult.Show<PipelinePage>(new Dictionary<string, object?>
        {
            ["Pipeline"] = GetPipeline.Summarise(await session.Query<VolunteerSummary>().ToListAsync(ct)),
        });

    private static async Task<IResult> List(IQuerySession session, string? programme, string? status, string? saved, CancellationToken ct)
    {
        var v = new Validation();
        v.OneOf("programme", string.IsNullOrEmpty(programme) ? null : programme, Programmes.All, required: false);
        v.OneOf("status", string.IsNullOrEmpty(status) ? null : status, Standings, required: false);
        IQueryable<VolunteerSummary> query = session.Query<VolunteerSummary>();
        if (v.IsValid && !string.IsNullOrEmpty(programme)) query = query.Where(s => s.Programme == programme);
        if (v.IsValid && !string.IsNullOrEmpty(status)) query = query.Where(s => s.Status == status);
        var rows = await Rows(session, query, ct);
        return PageResult.Show<VolunteersPage>(new Dictionary<string, object?>
        {
            ["Volunteers"] = rows, ["Programme"] = programme, ["Status"] = status, ["Saved"] = saved,
            ["Errors"] = v.IsValid ? null : v.ToRefusal().ToErrors(new Dictionary<string, FieldLabel> { ["programme"] = new("Programme"), ["status"] = new("Standing") }),
        }, v.IsValid ? 200 : 400);
    }

    public const string ErasedName = "Erased volunteer";

    /// <summary>How many volunteers the trainers' list shows: the most recently enrolled, narrowed by its filters.</summary>
    public const int MostRecent = 500;

    /// <summary>
    /// The volunteers of <paramref name="query"/>, the most recently enrolled first, <paramref name="take"/> of them after
    /// the first <paramref name="skip"/> (by default the first 500), each with their name (or that they were erased).
    /// The id breaks a tie in the enrolment time, so that a page of the list always holds the same volunteers.
    /// </summary>
    internal static async Task<List<VolunteerRow>> Rows(IQuerySession session, IQueryable<VolunteerSummary> query, CancellationToken ct,
        int skip = 0, int take = MostRecent)
    {
        var ordered = query.OrderByDescending(s => s.EnrolledAt).ThenByDescending(s => s.Id);
        var summaries = await (skip > 0 ? ordered.Skip(skip) : ordered).Take(take).ToListAsync(ct);
        var names = (await session.LoadManyAsync<VolunteerProfile>(ct, summaries.Select(s => s.Id))).ToDictionary(p => p.Id);
        return summaries.Select(s => new VolunteerRow(s.Id, names.TryGetValue(s.Id, out var p) ? $"{p.GivenName} {p.FamilyName}" : ErasedName,
            s.Programme, s.Status, s.Level, s.EnrolledAt)).ToList();
    }

    private static readonly FormSpec EnrolSpec = new("Enrol a volunteer or apprentice", "/volunteers/new",
        [
            new Field("givenName", "Given name"),
            new Field("familyName", "Family name"),
            new Field("email", "Email address"),
            new Field("programme", "Programme", FieldKind.Radios, Options: [new("volunteer", "Volunteer"), new("apprentice", "Apprentice")]),
        ], "Enrol")
    {
        BackHref = "/volunteers",
        BackText = "Back to volunteers",
    };

    private static async Task<IResult> Enrol(HttpContext http, WriteStep write)
    {
        var form = await PostedForm.ReadAsync(http.Request);
        var request = new EnrolVolunteerRequest(form.Text("givenName"), form.Text("familyName"), form.Text("email"), form.Text("programme"));
        var outcome = await write.DecideAsync(http, null, form.With(EnrolVolunteer.Validate(request)), attempt =>
        {
            var id = Guid.CreateVersion7();
            attempt.NewStream<Volunteer>(id);
            return EnrolVolunteer.Decide(id, request, attempt.Now);
        });
        return outcome.IsCommitted
            ? PageResult.SeeOther($"/volunteers/{outcome.Result!.Id}", $"{request.GivenName} {request.FamilyName} is enrolled.")
            : FormPages.Refused(EnrolSpec, form, outcome.Refusal!, null, null);
    }

    private static async Task<IResult> Show(Guid id, IQuerySession session, CurriculumSource curriculum, IOptions<CertificationRules> rules, ServiceTime time,
        string? saved, CancellationToken ct) =>
        await GetVolunteer.Load(session, id, curriculum.Current, rules.Value, time.Today, ct) is { } progress
            ? PageResult.Show<VolunteerPage>(new Dictionary<string, object?> { ["Progress"] = progress, ["Saved"] = saved })
            : PageResult.NotFound();

    // ------------------------------------------------------------------ the steps of training

    /// <summary>One step of a volunteer's training as a form: its fields, its request, and the decision it takes (the API's).</summary>
    private sealed record Step(
        string Name, string Path, string Title, string Submit, Func<TrainingCurriculum, IReadOnlyList<Field>> Fields,
        Func<PostedForm, Context, (Validation Validation, Func<WriteAttempt, Task<Decision<object>>> Decide)> Read, string Saved)
    {
        public bool Warning { get; init; }

        /// <summary>Shown above the form: the requirements a certification or a promotion needs, each met or not.</summary>
        public bool ShowsRequirements { get; init; }
    }

    private sealed record Context(Guid Id, TrainingCurriculum Curriculum, CertificationRules Rules, ServiceTime Time);

    private static Func<WriteAttempt, Task<Decision<object>>> On<T>(Guid id, Func<Volunteer, DateTimeOffset, Decision<T>> decide) =>
        async attempt => (await attempt.OnVolunteer(id, volunteer => decide(volunteer, attempt.Now))).Select(r => (object)r!);

    private static readonly IReadOnlyList<Choice> YesNo = [new("yes", "Yes"), new("no", "No")];

    private static readonly IReadOnlyList<Choice> FidelityItemsDiscussed =
    [
        new(FidelityItems.BestHopesAsked, "Asking about best hopes"),
        new(FidelityItems.PreferredFutureDescribed, "Describing the preferred future"),
        new(FidelityItems.ScalingUsed, "Using the 0 to 10 scale"),
        new(FidelityItems.ExceptionsExplored, "Exploring exceptions, times when things were a little better"),
        new(FidelityItems.NextStepParticipantsOwn, "A next step that is the participant's own"),
    ];

    private static readonly Step[] Steps =
    [
        new("Assessment", "assessment", "Record an assessment", "Save assessment",
            curriculum => [
                new Field("code", "Module", FieldKind.Select, Options: [new("", "Choose a module"), .. curriculum.Modules.Select(m => new Choice(m.Code, $"{m.Code} {m.Title}"))]),
                new Field("score", "Score (optional)", FieldKind.Number, "From 0 to 100. A score at or above the module's pass mark passes."),
                new Field("passed", "Passed?", FieldKind.InlineRadios, "Leave it to the score, or say", [.. YesNo]),
                new Field("assessedBy", "Assessed by"),
                new Field("assessedOn", "Assessed on", FieldKind.Date, "For example, 27 3 2026"),
            ],
            (f, c) =>
            {
                var code = f.Text("code") ?? "";
                var module = c.Curriculum.Find(code);
                var request = new AssessmentRequest(f.YesNo("passed"), f.Number("score", "score"), f.Text("assessedBy"), f.Date("assessedOn", "assessedOn"));
                return (f.With(RecordAssessment.Validate(code, module, request, c.Time.Today)),
                    On(c.Id, (v, now) => RecordAssessment.Assess(v, module!, request, now)));
            }, "The assessment is recorded."),
        new("PracticeHours", "practice-hours", "Log supervised practice hours", "Save hours",
            _ => [
                new Field("hours", "Hours", FieldKind.Number, "One day's supervised practice, at most 12 hours, like 2 or 1.5"),
                new Field("supervisedBy", "Supervised by"),
                new Field("on", "On", FieldKind.Date, "For example, 27 3 2026"),
            ],
            (f, c) =>
            {
                var request = new PracticeHoursRequest(f.Decimal("hours", "hours"), f.Text("supervisedBy"), f.Date("on", "on"));
                return (f.With(LogPracticeHours.Validate(request, c.Time.Today)), On(c.Id, (v, now) => LogPracticeHours.Decide(v, request, now)));
            }, "The practice hours are logged."),
        new("Supervision", "supervision", "Record a supervision session", "Save session",
            _ => [
                new Field("supervisor", "Supervisor"),
                new Field("on", "On", FieldKind.Date, "For example, 27 3 2026"),
                new Field("note", "Note (optional)", FieldKind.TextArea),
                new Field("fidelityItemsDiscussed", "Fidelity items discussed (optional)", FieldKind.Checkboxes,
                    "The parts of solution-focused practice the session went over", FidelityItemsDiscussed),
            ],
            (f, c) =>
            {
                var request = new SupervisionRequest(f.Text("supervisor"), f.Date("on", "on"), f.Text("note"), f.Ticked("fidelityItemsDiscussed"));
                return (f.With(RecordSupervision.Validate(request, c.Time.Today)), On(c.Id, (v, now) => RecordSupervision.Decide(v, request, now)));
            }, "The supervision session is recorded."),
        new("Dbs", "dbs-check", "Record a DBS check", "Save DBS check",
            _ => [
                new Field("eligibility", "Decision", FieldKind.Radios, Options: [new("eligible", "Eligible"), new("not-eligible", "Not eligible")]),
                new Field("level", "Level", FieldKind.Radios, Options: [new("basic", "Basic"), new("standard", "Standard"), new("enhanced", "Enhanced")]),
                new Field("issuedOn", "Issued on", FieldKind.Date, "For example, 27 3 2026"),
                new Field("updateService", "On the DBS update service?", FieldKind.InlineRadios, Options: [.. YesNo]),
            ],
            (f, c) =>
            {
                var request = new DbsCheckRequest(f.Text("eligibility"), f.Text("level"), f.Date("issuedOn", "issuedOn"), f.YesNo("updateService"));
                return (f.With(RecordDbsCheck.Validate(request, c.Time.Today)), On(c.Id, (v, now) => RecordDbsCheck.Record(v, request, c.Rules, now)));
            }, "The DBS check is recorded."),
        new("Certify", "certify", "Certify as a practitioner", "Certify",
            _ => [],
            (f, c) => (f.With(new Validation()), On(c.Id, (v, now) => CertifyVolunteer.Decide(v, c.Curriculum, c.Rules, now))),
            "Certified: they may now be assigned participants.") { ShowsRequirements = true },
        new("Promote", "promote", "Promote to senior practitioner", "Promote",
            _ => [],
            (f, c) => (f.With(new Validation()), On(c.Id, (v, now) => PromoteApprentice.Decide(v, c.Curriculum, c.Rules, now))),
            "Promoted to senior practitioner.") { ShowsRequirements = true },
        new("Capacity", "capacity", "Change capacity", "Save capacity",
            _ => [
                new Field("capacity", "How many participants they may hold", FieldKind.Number, "From 1 to 20"),
                new Field("reason", "Why", FieldKind.TextArea),
            ],
            (f, c) =>
            {
                var request = new CapacityRequest(f.Number("capacity", "capacity"), f.Text("reason"));
                return (f.With(ChangeCapacity.Validate(request)), On(c.Id, (v, now) => ChangeCapacity.Decide(v, request, now)));
            }, "The capacity is changed."),
        Standing("Suspend", "suspend", "Suspend", SuspendVolunteer.Decide, "Suspended: they take no new participants, and their participants need a new practitioner.", warning: true),
        Standing("Reinstate", "reinstate", "Reinstate", ReinstateVolunteer.Decide, "Reinstated."),
        Standing("Withdraw", "withdraw", "Withdraw from the programme", WithdrawVolunteer.Decide, "Withdrawn from the programme.", warning: true),
    ];

    private static Step Standing(string name, string path, string title, Func<Volunteer, string, DateTimeOffset, Decision<StandingResult>> decide, string saved,
        bool warning = false) =>
        new(name, path, title, title, _ => [new Field("reason", "Why", FieldKind.TextArea)],
            (f, c) =>
            {
                var request = new ReasonRequest(f.Text("reason"));
                return (f.With(ReasonRules.Validate(request)), On(c.Id, (v, now) => decide(v, request.Reason!.Trim(), now)));
            }, saved) { Warning = warning };

    private static FormSpec SpecOf(Step step, VolunteerProgress progress, TrainingCurriculum curriculum) =>
        new(step.Title, $"/volunteers/{progress.Id}/{step.Path}", step.Fields(curriculum), step.Submit)
        {
            Caption = $"{progress.GivenName} {progress.FamilyName}",
            BackHref = $"/volunteers/{progress.Id}",
            BackText = "Back to their progress",
            SubmitIsWarning = step.Warning,
        };

    private static RenderFragment Above(Step step, VolunteerProgress progress) =>
        Fragment.Of<VolunteerCard>(new Dictionary<string, object?> { ["Progress"] = progress, ["ShowRequirements"] = step.ShowsRequirements });

    private static async Task<(VolunteerProgress Progress, long Version)?> Load(Guid id, IQuerySession session, CurriculumSource curriculum, CertificationRules rules,
        ServiceTime time, CancellationToken ct)
    {
        if (await GetVolunteer.Load(session, id, curriculum.Current, rules, time.Today, ct) is not { } progress) return null;
        var version = (await session.Events.FetchStreamStateAsync(id, ct))?.Version ?? 0;
        return (progress, version);
    }

    private static async Task<IResult> StepPage(Step step, Guid id, HttpContext http, IQuerySession session, CurriculumSource curriculum, CertificationRules rules,
        ServiceTime time)
    {
        if (await Load(id, session, curriculum, rules, time, http.RequestAborted) is not { } loaded) return PageResult.NotFound();
        return FormPages.Show(SpecOf(step, loaded.Progress, curriculum.Current), version: loaded.Version, above: Above(step, loaded.Progress));
    }

    private static async Task<IResult> StepForm(Step step, Guid id, HttpContext http, IQuerySession session, WriteStep write, CurriculumSource curriculum,
        CertificationRules rules, ServiceTime time)
    {
        var form = await PostedForm.ReadAsync(http.Request);
        var (validation, decide) = step.Read(form, new Context(id, curriculum.Current, rules, time));
        var outcome = await write.DecideAsync(http, form.IfMatch, validation, decide);
        if (outcome.IsCommitted) return PageResult.SeeOther($"/volunteers/{id}", step.Saved);
        if (PageRefusals.IsNotFound(outcome.Refusal!) || await Load(id, session, curriculum, rules, time, http.RequestAborted) is not { } loaded)
            return PageResult.NotFound();
        return FormPages.Refused(SpecOf(step, loaded.Progress, curriculum.Current), form, outcome.Refusal!, loaded.Version, Above(step, loaded.Progress));
    }
}
