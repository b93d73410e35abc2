using System.Globalization;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Auth;
using WorkingConversations.BuildingBlocks.Journey;
using WorkingConversations.BuildingBlocks.Web;
using WorkingConversations.BuildingBlocks.Writing;
using WorkingConversations.Outcomes.Contracts;
using WorkingConversations.Outcomes.Recording;
using WorkingConversations.Outcomes.Scoring;

namespace WorkingConversations.Outcomes.Pages;

/// <summary>A questionnaire's scores as its result page shows them, the same as the API's answer to recording it.</summary>
public sealed record QuestionnaireResultView(
    Guid Id, string Instrument, string Timepoint, DateTimeOffset AdministeredAt, decimal? Total, decimal? Metric, string? Band,
    IReadOnlyDictionary<string, string>? Bands, bool? Caseness, bool? RiskIndicated, bool? Lonely);

/// <summary>A questionnaire as the participant's page lists it.</summary>
public sealed record QuestionnaireRow(Guid Id, string Instrument, string Timepoint, DateTimeOffset AdministeredAt, string Score);

/// <summary>Questionnaires in their published wording with their scores after saving, and circumstances: the API's validation and decisions.</summary>
internal static class OutcomePages
{
    private static readonly string[] Both = [Roles.Caseworker, Roles.Practitioner];

    public static void Describe(WebCatalog web) => web.Participant(30, Both, Section);

    public static void Map(RouteGroupBuilder pages)
    {
        var both = pages.MapGroup("/participants/{id:guid}").RequireRoles(Both);
        both.MapGet("/questionnaires/new", Choose).WithName("ChooseQuestionnairePage");
        both.MapGet("/questionnaires/new/{instrument}", QuestionnairePage).WithName("QuestionnairePage");
        both.MapPost("/questionnaires/new/{instrument}", Record).WithName("QuestionnaireForm");
        both.MapGet("/questionnaires/{questionnaireId:guid}", Result).WithName("QuestionnaireResultPage");
        both.MapGet("/circumstances/new", CircumstancesPage).WithName("CircumstancesPage");
        both.MapPost("/circumstances/new", RecordCircumstancesForm).WithName("CircumstancesForm");
    }

    private static PageData Data(HttpContext http, IQuerySession session, ServiceTime time) => new(http, session, StaffUser.From(http.User)!, time);

    private const string QuestionnaireRecordedName = "questionnaire-recorded";

    private static async Task<RenderFragment?> Section(ParticipantPageData data)
    {
        var events = await data.Page.Session.Events.QueryAllRawEvents()
            .Where(e => e.StreamId == data.ParticipantId && e.EventTypeName == QuestionnaireRecordedName).OrderBy(e => e.Version)
            .ToListAsync(data.Page.Cancellation);
        var rows = events.Select(e => e.Data).OfType<QuestionnaireRecorded>()
            .Select(q => new QuestionnaireRow(q.QuestionnaireId, q.Instrument, q.Timepoint, q.AdministeredAt,
                (q.Total ?? q.Metric) is { } score ? $"{score.ToString("0.##", CultureInfo.InvariantCulture)}{(q.Band is null ? "" : $" ({q.Band})")}" : "See the answers"))
            .ToList();
        return Fragment.Of<QuestionnairesSection>(new Dictionary<string, object?> { ["ParticipantId"] = data.ParticipantId, ["Questionnaires"] = rows });
    }

    private static async Task<IResult> Choose(Guid id, HttpContext http, IQuerySession session, WebCatalog web, ServiceTime time) =>
        await web.ContextOf(Data(http, session, time), id) is { } context
            ? PageResult.Show<ChooseQuestionnairePage>(new Dictionary<string, object?> { ["ParticipantId"] = id, ["Context"] = context })
            : PageResult.NotFound();

    private static IResult Questionnaire(Guid id, InstrumentWording wording, ParticipantContext context, PostedForm form, FormErrors? errors, int status) =>
        PageResult.Show<QuestionnaireFormPage>(new Dictionary<string, object?>
        {
            ["ParticipantId"] = id, ["Wording"] = wording, ["Context"] = context, ["Form"] = form, ["Errors"] = errors,
        }, status);

    private static async Task<IResult> QuestionnairePage(Guid id, string instrument, HttpContext http, IQuerySession session, WebCatalog web, ServiceTime time)
    {
        if (!InstrumentWordings.All.TryGetValue(instrument, out var wording)) return PageResult.NotFound();
        return await web.ContextOf(Data(http, session, time), id) is { } context
            ? Questionnaire(id, wording, context, PostedForm.Empty, null, StatusCodes.Status200OK)
            : PageResult.NotFound();
    }

    public const string NotApplicable = "not-applicable";

    public static IReadOnlyDictionary<string, FieldLabel> QuestionnaireLabels(InstrumentWording wording)
    {
        var labels = new Dictionary<string, FieldLabel>(StringComparer.Ordinal)
        {
            ["timepoint"] = new("When in the journey"),
            ["administeredAt"] = new("Date it was answered", "#administeredAt-day"),
            ["answers"] = new("Answers", "#answers[0]"),
            ["instrument"] = new("Questionnaire"),
        };
        for (var i = 0; i < wording.Items.Count; i++) labels[$"answers[{i}]"] = new($"Question {i + 1}", $"#answers[{i}]");
        return labels;
    }

    private static async Task<IResult> Record(Guid id, string instrument, HttpContext http, IQuerySession session, WriteStep write, WebCatalog web, ServiceTime time,
        OutcomeThresholds thresholds)
    {
        if (!InstrumentWordings.All.TryGetValue(instrument, out var wording)) return PageResult.NotFound();
        var form = await PostedForm.ReadAsync(http.Request);
        var answers = Enumerable.Range(0, wording.Items.Count)
            .Select(i => form.Text($"answers[{i}]") is { } a && a != NotApplicable && int.TryParse(a, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : (int?)null)
            .ToArray();
        var date = form.Date("administeredAt", "administeredAt");
        // Answered today: now. Another day: midday of it, where the service is.
        var administeredAt = date is { } d ? d == time.Today ? time.Now : time.At(d, new TimeOnly(12, 0)) : (DateTimeOffset?)null;
        var request = new RecordQuestionnaireRequest(instrument, form.Text("timepoint"), answers, administeredAt);
        var (validation, score) = RecordQuestionnaire.Validate(request, time.Now, thresholds);
        // An answer left out, other than the work item marked "not applicable", is a question to answer, not a missing value.
        for (var i = 0; i < wording.Items.Count; i++)
        {
            if (form.Text($"answers[{i}]") is null) form.Problems.Add($"answers[{i}]", "needs an answer: choose one of the options.");
        }

        var outcome = await write.DecideAsync(http, form.IfMatch, form.With(validation), RecordQuestionnaire.Deciding(id, request, score));
        if (outcome.IsCommitted) return PageResult.SeeOther($"/participants/{id}/questionnaires/{outcome.Result!.Id}");
        if (PageRefusals.IsNotFound(outcome.Refusal!) || await web.ContextOf(Data(http, session, time), id) is not { } context) return PageResult.NotFound();
        var errors = outcome.Refusal!.ToErrors(QuestionnaireLabels(wording));
        return Questionnaire(id, wording, context, form, errors, errors.Stale || outcome.Refusal!.Type == ProblemTypes.Conflict ? 409 : 400);
    }

    private static async Task<IResult> Result(Guid id, Guid questionnaireId, HttpContext http, IQuerySession session, IDocumentSession audit, IReadAudit reads,
        WebCatalog web, ServiceTime time, OutcomeThresholds thresholds)
    {
        if (await web.ContextOf(Data(http, session, time), id) is not { } context) return PageResult.NotFound();
        var events = await session.Events.QueryAllRawEvents()
            .Where(e => e.StreamId == id && e.EventTypeName == QuestionnaireRecordedName).ToListAsync(http.RequestAborted);
        if (events.Select(e => e.Data).OfType<QuestionnaireRecorded>().FirstOrDefault(q => q.QuestionnaireId == questionnaireId) is not { } recorded)
            return PageResult.NotFound();
        reads.Record(audit, http, StaffUser.From(http.User)!.Actor, id, ReadKinds.Questionnaire, time.Now);
        await audit.SaveChangesAsync(http.RequestAborted);
        // The stored answers scored by the same rules as when it was recorded: the bands ONS4 gives per question included.
        var score = QuestionnaireScoring.Score(recorded.Instrument, recorded.Answers, thresholds).Score;
        var view = new QuestionnaireResultView(recorded.QuestionnaireId, recorded.Instrument, recorded.Timepoint, recorded.AdministeredAt, recorded.Total,
            recorded.Metric, recorded.Band, score?.Bands, recorded.Caseness, recorded.RiskIndicated, score?.Lonely);
        return PageResult.Show<QuestionnaireResultPage>(new Dictionary<string, object?>
        {
            ["ParticipantId"] = id, ["Result"] = view, ["Context"] = context, ["Wording"] = InstrumentWordings.All.GetValueOrDefault(recorded.Instrument),
        });
    }

    // ------------------------------------------------------------------ circumstances

    private static readonly IReadOnlyList<Choice> YesNo = [new("yes", "Yes"), new("no", "No")];

    private static FormSpec CircumstancesSpec(Guid id, ParticipantContext context) =>
        new("Record circumstances", $"/participants/{id}/circumstances/new",
            [
                new Field("timepoint", "When in the journey", FieldKind.Radios, Options: [new("start", "At the start"), new("end", "At the end"), new("follow-up", "At a follow-up")]),
                new Field("housing", "Housing", FieldKind.Radios, Options:
                    [new("secure", "Secure"), new("insecure", "Insecure (at risk of losing it)"), new("temporary", "Temporary"), new("homeless", "Homeless")]),
                new Field("employment", "Work", FieldKind.Select, Options: [new("", "Choose one"), .. Choice.Of(EmploymentStatus.All)]),
                new Field("money", "Money", FieldKind.Radios, Options:
                [
                    new("meets-basic-needs", "Can meet basic needs every month"), new("sometimes-cannot", "Sometimes cannot meet basic needs"),
                    new("usually-cannot", "Usually cannot meet basic needs"),
                ]),
                new Field("hasSomeoneToTurnTo", "Do they have someone to turn to?", FieldKind.InlineRadios, Options: YesNo),
                new Field("takesPartInCommunity", "Do they take part in a community group or activity?", FieldKind.InlineRadios, Options: YesNo),
            ], "Save circumstances")
        {
            Caption = context.Name,
            BackHref = $"/participants/{id}",
            BackText = "Back to the participant",
        };

    private static Task<IResult> CircumstancesPage(Guid id, HttpContext http, IQuerySession session, WebCatalog web, ServiceTime time) =>
        ParticipantForms.Show(web, Data(http, session, time), id, context => CircumstancesSpec(id, context));

    private static async Task<IResult> RecordCircumstancesForm(Guid id, HttpContext http, IQuerySession session, WriteStep write, WebCatalog web, ServiceTime time)
    {
        var form = await PostedForm.ReadAsync(http.Request);
        var request = new RecordCircumstancesRequest(form.Text("timepoint"), form.Text("housing"), form.Text("employment"), form.Text("money"),
            form.YesNo("hasSomeoneToTurnTo"), form.YesNo("takesPartInCommunity"));
        var outcome = await write.DecideAsync(http, form.IfMatch, form.With(RecordCircumstances.Validate(request)), RecordCircumstances.Deciding(id, request));
        return await ParticipantForms.Answer(web, Data(http, session, time), id, form, outcome, _ => "The circumstances are recorded.",
            context => CircumstancesSpec(id, context));
    }
}
