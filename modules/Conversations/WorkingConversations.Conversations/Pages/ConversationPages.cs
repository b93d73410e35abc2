using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Auth;
using WorkingConversations.BuildingBlocks.Journey;
using WorkingConversations.BuildingBlocks.Web;
using WorkingConversations.BuildingBlocks.Writing;
using WorkingConversations.Conversations.Assigning;
using WorkingConversations.Conversations.CaseloadHealth;
using WorkingConversations.Conversations.Contracts;
using WorkingConversations.Conversations.Fidelity;
using WorkingConversations.Conversations.Trajectory;
using WorkingConversations.Conversations.Ending;
using WorkingConversations.Conversations.Practitioners;
using WorkingConversations.Conversations.Recording;
using WorkingConversations.Conversations.Safeguarding;
using WorkingConversations.Conversations.Scheduling;
using WorkingConversations.Conversations.Views;

namespace WorkingConversations.Conversations.Pages;

/// <summary>
/// The practitioners' caseload and conversations, and the caseworkers' assignment and safeguarding pages: the same
/// validation, decisions and access rule as the API's Conversations routes.
/// </summary>
internal static class ConversationPages
{
    private static readonly string[] Both = [Roles.Caseworker, Roles.Practitioner];

    public static void Describe(WebCatalog web)
    {
        web.Navigate("Safeguarding", "/safeguarding", 30, Roles.Caseworker)
            .Navigate("My caseload", "/", 10, Roles.Practitioner)
            .Home(20, [Roles.Caseworker], ConcernsPanel)
            .Home(30, [Roles.Caseworker], ReassignmentPanel)
            .Home(10, [Roles.Practitioner], CaseloadPanel)
            .Home(15, [Roles.Practitioner], PromptsPanel)
            .Participant(20, Both, Section)
            .Participant(25, Both, TrajectorySection);
    }

    public static void Map(RouteGroupBuilder pages)
    {
        pages.MapGet("/participants/{id:guid}/practitioner", AssignPage).RequireRoles(Roles.Caseworker).WithName("AssignPractitionerPage");
        pages.MapPost("/participants/{id:guid}/practitioner", Assign).RequireRoles(Roles.Caseworker).WithName("AssignPractitionerForm");
        pages.MapGet("/participants/{id:guid}/conversations/new", SchedulePage).RequireRoles(Both).WithName("ScheduleConversationPage");
        pages.MapPost("/participants/{id:guid}/conversations/new", Schedule).RequireRoles(Both).WithName("ScheduleConversationForm");
        pages.MapGet("/participants/{id:guid}/end", EndPage).RequireRoles(Both).WithName("EndEpisodePage");
        pages.MapPost("/participants/{id:guid}/end", End).RequireRoles(Both).WithName("EndEpisodeForm");
        pages.MapGet("/conversations/{id:guid}", Show).RequireRoles(Both).WithName("ConversationPage");
        pages.MapGet("/conversations/{id:guid}/record", RecordPage).RequireRoles(Both).WithName("RecordConversationPage");
        pages.MapPost("/conversations/{id:guid}/record", Record).RequireRoles(Both).WithName("RecordConversationForm");
        pages.MapGet("/conversations/{id:guid}/missed", MissedPage).RequireRoles(Both).WithName("MissedConversationPage");
        pages.MapPost("/conversations/{id:guid}/missed", Missed).RequireRoles(Both).WithName("MissedConversationForm");
        pages.MapGet("/practitioners/{id:guid}/practice", PracticePage).RequireRoles(Roles.Trainer, Roles.Practitioner).WithName("PracticePage");
        pages.MapGet("/safeguarding", Concerns).RequireRoles(Roles.Caseworker).WithName("SafeguardingConcernsPage");
        pages.MapGet("/safeguarding/{id:guid}", AcknowledgePage).RequireRoles(Roles.Caseworker).WithName("AcknowledgeConcernPage");
        pages.MapPost("/safeguarding/{id:guid}", Acknowledge).RequireRoles(Roles.Caseworker).WithName("AcknowledgeConcernForm");
    }

    private static PageData Data(HttpContext http, IQuerySession session, ServiceTime time) => new(http, session, StaffUser.From(http.User)!, time);

    // ------------------------------------------------------------------ home panels

    private static async Task<RenderFragment?> ConcernsPanel(PageData page)
    {
        var open = await page.Session.Query<SafeguardingConcern>().Where(c => c.Status == ConcernStatuses.Open).OrderBy(c => c.RaisedAt).Take(20)
            .ToListAsync(page.Cancellation);
        var names = await page.Http.RequestServices.GetNames(page, open.Select(c => c.ParticipantId));
        return Fragment.Of<ConcernsPanel>(new Dictionary<string, object?> { ["Concerns"] = open, ["Names"] = names });
    }

    private static async Task<RenderFragment?> ReassignmentPanel(PageData page)
    {
        var unavailable = await page.Session.Query<Practitioner>().Where(p => p.Status != PractitionerStatuses.Cleared).ToListAsync(page.Cancellation);
        var ids = unavailable.Select(p => p.Id).ToArray();
        var assignments = ids.Length == 0
            ? []
            : await page.Session.Query<CaseAssignment>().Where(a => a.Active && a.PractitionerId.IsOneOf(ids)).ToListAsync(page.Cancellation);
        var waiting = NeedsReassignment.Select(unavailable, assignments);
        var names = await page.Http.RequestServices.GetNames(page, waiting.Select(w => w.ParticipantId));
        return Fragment.Of<ReassignmentPanel>(new Dictionary<string, object?> { ["Waiting"] = waiting, ["Names"] = names });
    }

    private static async Task<RenderFragment?> CaseloadPanel(PageData page)
    {
        if (page.User.Actor.PractitionerId is not { } id) return null;
        var practitioner = await page.Session.LoadAsync<Practitioner>(id, page.Cancellation);
        if (practitioner is null)
            return Fragment.Of<CaseloadPanel>(new Dictionary<string, object?> { ["Caseload"] = null });
        var caseload = await GetCaseload.Load(page.Session, practitioner, page.Time.Now, page.Cancellation);
        var names = await page.Http.RequestServices.GetNames(page, caseload.Participants.Select(p => p.ParticipantId));
        return Fragment.Of<CaseloadPanel>(new Dictionary<string, object?> { ["Caseload"] = caseload, ["Names"] = names });
    }

    private static async Task<RenderFragment?> PromptsPanel(PageData page)
    {
        if (page.User.Actor.PractitionerId is not { } id || await page.Session.LoadAsync<Practitioner>(id, page.Cancellation) is null) return null;
        var settings = page.Http.RequestServices.GetRequiredService<CaseloadHealthSettings>();
        var report = await GetCaseloadHealth.Load(page.Session, id, page.Time.Now, settings, page.Cancellation);
        var names = await page.Http.RequestServices.GetNames(page, report.Prompts.Select(p => p.ParticipantId));
        return Fragment.Of<PromptsPanel>(new Dictionary<string, object?> { ["Report"] = report, ["Names"] = names });
    }

    // ------------------------------------------------------------------ a practitioner's practice, for their trainer

    /// <summary>
    /// The prompts and the fidelity self-ratings of one practitioner: for the trainer who supervises them (participants
    /// by reference only), and for the practitioner themself (their participants by name). Anyone else's is not found.
    /// </summary>
    private static async Task<IResult> PracticePage(Guid id, HttpContext http, IQuerySession session, WebCatalog web, ServiceTime time,
        CaseloadHealthSettings settings)
    {
        var user = StaffUser.From(http.User)!;
        var own = user.IsIn(Roles.Practitioner);
        if (own && user.Actor.PractitionerId != id) return PageResult.NotFound();
        if (await session.LoadAsync<Practitioner>(id, http.RequestAborted) is null) return PageResult.NotFound();
        var prompts = await GetCaseloadHealth.Load(session, id, time.Now, settings, http.RequestAborted);
        var fidelity = await GetFidelity.Load(session, id, http.RequestAborted);
        var page = Data(http, session, time);
        return PageResult.Show<PracticePage>(new Dictionary<string, object?>
        {
            ["Name"] = await web.NameOfPractitioner(session, id, http.RequestAborted) ?? "Practitioner",
            ["Prompts"] = prompts, ["Fidelity"] = fidelity,
            ["Names"] = own ? await http.RequestServices.GetNames(page, prompts.Prompts.Select(p => p.ParticipantId)) : null,
            ["BackHref"] = own ? "/" : $"/volunteers/{id}", ["BackText"] = own ? "Back to my caseload" : "Back to the volunteer",
        });
    }

    private static Task<IReadOnlyDictionary<Guid, ParticipantName>> GetNames(this IServiceProvider services, PageData page, IEnumerable<Guid> ids) =>
        ((WebCatalog)services.GetService(typeof(WebCatalog))!).NamesOfParticipants(page.Session, ids.Distinct().ToList(), page.Cancellation);

    // ------------------------------------------------------------------ the participant's section

    private static async Task<RenderFragment?> Section(ParticipantPageData data)
    {
        var session = data.Page.Session;
        var events = await session.Events.QueryAllRawEvents().Where(e => e.StreamId == data.ParticipantId && e.EventTypeName.StartsWith("conversation-"))
            .OrderBy(e => e.Version).ToListAsync(data.Page.Cancellation);
        var conversations = ListConversations.Fold(events.Select(e => e.Data));
        var concerns = await session.Query<SafeguardingConcern>().Where(c => c.ParticipantId == data.ParticipantId).OrderBy(c => c.RaisedAt)
            .ToListAsync(data.Page.Cancellation);
        var assignment = await session.LoadAsync<CaseAssignment>(data.ParticipantId, data.Page.Cancellation);
        var web = (WebCatalog)data.Page.Http.RequestServices.GetService(typeof(WebCatalog))!;
        var practitioner = assignment is null ? null : await web.NameOfPractitioner(session, assignment.PractitionerId, data.Page.Cancellation);
        return Fragment.Of<ConversationsSection>(new Dictionary<string, object?>
        {
            ["ParticipantId"] = data.ParticipantId, ["Conversations"] = conversations, ["Concerns"] = concerns, ["Assignment"] = assignment,
            ["PractitionerName"] = practitioner, ["Caseworker"] = data.Page.User.IsIn(Roles.Caseworker),
        });
    }

    private static async Task<RenderFragment?> TrajectorySection(ParticipantPageData data) =>
        await GetTrajectory.Load(data.Page.Session, data.ParticipantId, data.Page.Cancellation) is { } trajectory
            ? Fragment.Of<TrajectorySection>(new Dictionary<string, object?> { ["Trajectory"] = trajectory })
            : null;

    // ------------------------------------------------------------------ assignment

    private static FormSpec AssignSpec(Guid id, ParticipantContext context, IReadOnlyList<Choice> options) =>
        new("Assign a practitioner", $"/participants/{id}/practitioner",
            [new Field("practitionerId", "Practitioner", FieldKind.Radios, "Only practitioners who are cleared to practise and have a free place are offered.", options)],
            "Assign practitioner")
        {
            Caption = context.Name,
            BackHref = $"/participants/{id}",
            BackText = "Back to the participant",
        };

    private static async Task<IReadOnlyList<Choice>> Offered(IQuerySession session, WebCatalog web, CancellationToken ct)
    {
        var eligible = await AssignPractitioner.Eligible(session, ct);
        var names = await web.NamesOfPractitioners(session, eligible.Select(p => p.Id).ToList(), ct);
        return eligible.Select(p => new Choice(p.Id.ToString(), names.GetValueOrDefault(p.Id) ?? p.Id.ToString(),
            $"{Choice.Words(p.Programme)}, {p.Caseload} of {p.Capacity} places taken")).ToList();
    }

    private static Task<IResult> AssignPage(Guid id, HttpContext http, IQuerySession session, WebCatalog web, ServiceTime time) =>
        ParticipantForms.Show(web, Data(http, session, time), id, async context => AssignSpec(id, context, await Offered(session, web, http.RequestAborted)));

    private static async Task<IResult> Assign(Guid id, HttpContext http, IQuerySession session, WriteStep write, WebCatalog web, ServiceTime time)
    {
        var form = await PostedForm.ReadAsync(http.Request);
        Guid? practitioner = Guid.TryParse(form.Text("practitionerId"), out var p) ? p : null;
        var request = new AssignPractitionerRequest(practitioner);
        var outcome = await write.DecideAsync(http, form.IfMatch, form.With(AssignPractitioner.Validate(request)), AssignPractitioner.Deciding(id, request));
        return await ParticipantForms.Answer(web, Data(http, session, time), id, form, outcome, _ => "The practitioner is assigned.",
            async context => AssignSpec(id, context, await Offered(session, web, http.RequestAborted)));
    }

    // ------------------------------------------------------------------ scheduling

    private static FormSpec ScheduleSpec(Guid id, ParticipantContext context) =>
        new("Schedule a conversation", $"/participants/{id}/conversations/new",
            [
                new Field("scheduledFor", "Date", FieldKind.Date, "For example, 27 3 2026"),
                new Field("scheduledTime", "Time", FieldKind.Time, "For example, 14:30 or 2:30pm"),
                new Field("mode", "How", FieldKind.Radios, Options: [new("in-person", "In person"), new("phone", "By phone"), new("video", "By video call")]),
                new Field("location", "Where (optional)", Hint: "For a conversation in person"),
            ], "Schedule conversation")
        {
            Caption = context.Name,
            BackHref = $"/participants/{id}",
            BackText = "Back to the participant",
        };

    private static Task<IResult> SchedulePage(Guid id, HttpContext http, IQuerySession session, WebCatalog web, ServiceTime time) =>
        ParticipantForms.Show(web, Data(http, session, time), id, context => ScheduleSpec(id, context));

    private static async Task<IResult> Schedule(Guid id, HttpContext http, IQuerySession session, WriteStep write, WebCatalog web, ServiceTime time)
    {
        var form = await PostedForm.ReadAsync(http.Request);
        var date = form.Date("scheduledFor", "scheduledFor");
        var at = form.Time("scheduledTime", "scheduledFor");
        if (date is not null && at is null && !form.Problems.Errors.ContainsKey("scheduledFor")) form.Problems.Add("scheduledFor", "needs a time as well as a date.");
        var request = new ScheduleConversationRequest(date is { } d && at is { } t ? time.At(d, t) : null, form.Text("mode"), form.Text("location"));
        var outcome = await write.DecideAsync(http, form.IfMatch, form.With(ScheduleConversation.Validate(request)), ScheduleConversation.Deciding(id, request));
        return await ParticipantForms.Answer(web, Data(http, session, time), id, form, outcome,
            scheduled => $"The conversation is scheduled for {time.DateAndTime(scheduled.ScheduledFor)}.", context => ScheduleSpec(id, context));
    }

    // ------------------------------------------------------------------ ending

    private static FormSpec EndSpec(Guid id, ParticipantContext context) =>
        new("End the episode", $"/participants/{id}/end",
            [
                new Field("reason", "Why the episode ends", FieldKind.Radios, Options:
                [
                    new("goals-reached", "Their best hopes are reached"), new("disengaged", "They stopped coming"),
                    new("referred-on", "Referred on to another service"), new("moved-away", "They moved away"), new("other", "Another reason"),
                ]),
                new Field("note", "Note (optional)", FieldKind.TextArea),
            ], "End episode")
        {
            Caption = context.Name,
            BackHref = $"/participants/{id}",
            BackText = "Back to the participant",
        };

    private static Task<IResult> EndPage(Guid id, HttpContext http, IQuerySession session, WebCatalog web, ServiceTime time) =>
        ParticipantForms.Show(web, Data(http, session, time), id, context => EndSpec(id, context));

    private static async Task<IResult> End(Guid id, HttpContext http, IQuerySession session, WriteStep write, WebCatalog web, ServiceTime time)
    {
        var form = await PostedForm.ReadAsync(http.Request);
        var request = new EndEpisodeRequest(form.Text("reason"), form.Text("note"));
        var outcome = await write.DecideAsync(http, form.IfMatch, form.With(EndEpisode.Validate(request)), EndEpisode.Deciding(id, request));
        return await ParticipantForms.Answer(web, Data(http, session, time), id, form, outcome,
            _ => "The episode has ended. Follow-up check-ins are scheduled.", context => EndSpec(id, context));
    }

    // ------------------------------------------------------------------ one conversation

    private sealed record Found(ConversationSummary Summary, ParticipantContext Context);

    private static async Task<Found?> Find(Guid id, HttpContext http, IQuerySession session, WebCatalog web, ServiceTime time) =>
        await session.LoadAsync<ConversationSummary>(id, http.RequestAborted) is { } summary &&
        await web.ContextOf(Data(http, session, time), summary.ParticipantId) is { } context
            ? new Found(summary, context)
            : null;

    private static async Task<IResult> Show(Guid id, HttpContext http, IQuerySession session, IDocumentSession audit, IReadAudit reads, WebCatalog web,
        ServiceTime time, string? saved)
    {
        if (await Find(id, http, session, web, time) is not { } found) return PageResult.NotFound();
        var events = await session.Events.FetchStreamAsync(found.Summary.ParticipantId, token: http.RequestAborted);
        var item = ListConversations.Fold(events.Select(e => e.Data)).FirstOrDefault(c => c.ConversationId == id);
        if (item is null) return PageResult.NotFound();
        reads.Record(audit, http, StaffUser.From(http.User)!.Actor, found.Summary.ParticipantId, ReadKinds.Conversation, time.Now);
        await audit.SaveChangesAsync(http.RequestAborted);
        return PageResult.Show<ConversationPage>(new Dictionary<string, object?>
        {
            ["Conversation"] = item, ["ParticipantId"] = found.Summary.ParticipantId, ["Context"] = found.Context, ["Saved"] = saved,
        });
    }

    private static readonly IReadOnlyList<Choice> Scale = [.. Enumerable.Range(0, 11).Select(i => new Choice(i.ToString(System.Globalization.CultureInfo.InvariantCulture),
        i switch { 0 => "0, the opposite of their best hopes", 10 => "10, their best hopes realised", _ => i.ToString(System.Globalization.CultureInfo.InvariantCulture) }))];

    private static readonly IReadOnlyList<Choice> YesNo = [new("no", "No"), new("yes", "Yes")];

    private static readonly IReadOnlyList<Choice> LastStep =
        [new(LastStepAnswers.Yes, "Yes"), new(LastStepAnswers.Partly, "Partly"), new(LastStepAnswers.No, "No"), new(LastStepAnswers.NotChosen, "No step was chosen")];

    private static readonly IReadOnlyList<Choice> YesPartlyNo = [new(FidelityItems.Yes, "Yes"), new(FidelityItems.Partly, "Partly"), new(FidelityItems.No, "No")];

    /// <summary>
    /// From the second conversation of an episode the form asks what has been better and whether the last next step was
    /// taken; at every third (FidelityItems.DueAt, the rule the decision applies) it asks the practitioner to rate their
    /// own practice.
    /// </summary>
    private static IEnumerable<Field> InsightFields(int held)
    {
        if (held > 0)
        {
            yield return new Field("whatHasBeenBetter", "What has been better since the last conversation (optional)", FieldKind.TextArea, "In their words");
            yield return new Field("lastStepTaken", "Did they take the next small step from the last conversation? (optional)", FieldKind.Radios, Options: LastStep);
        }

        if (!FidelityItems.DueAt(held + 1)) yield break;
        var first = true;
        foreach (var (_, field, question) in FidelityWords.Questions)
        {
            yield return new Field(field, $"Your practice: {question}", FieldKind.InlineRadios,
                first ? $"Conversation {held + 1} is a third one: rate your own practice, for you and your supervisor. Optional." : null, YesPartlyNo);
            first = false;
        }
    }

    private static FormSpec RecordSpec(Guid id, Found found, ServiceTime time, int held) =>
        new("Record the conversation", $"/conversations/{id}/record",
            [
                new Field("bestHopes", "Their best hopes from the conversation", FieldKind.TextArea, "In their words, what they hope to get from talking"),
                new Field("preferredFutureSigns", "Signs of the preferred future", FieldKind.TextArea,
                    "What they would notice when things are better: one sign on each line"),
                new Field("scale", "Where they are on the scale today", FieldKind.InlineRadios,
                    "10 means their best hopes are realised, 0 the opposite", Scale),
                new Field("exceptions", "What is already working", FieldKind.TextArea, "The times the problem is smaller or absent"),
                new Field("onePointUp", "What one point up would look like", FieldKind.TextArea),
                new Field("nextSmallStep", "Their next small step (optional)", FieldKind.TextArea, "Only if they chose one"),
                new Field("notes", "Notes (optional)", FieldKind.TextArea),
                new Field("riskDisclosed", "Did they disclose a risk to themselves or others?", FieldKind.InlineRadios,
                    "Yes raises a safeguarding concern for a caseworker at once", YesNo),
                new Field("durationMinutes", "How long it lasted, in minutes", FieldKind.Number),
                .. InsightFields(held),
            ], "Save the record")
        {
            Caption = $"{found.Context.Name}: the conversation of {time.DateAndTime(found.Summary.ScheduledFor)}",
            BackHref = $"/participants/{found.Summary.ParticipantId}",
            BackText = "Back to the participant",
        };

    /// <summary>How many conversations of the conversation's episode are already held.</summary>
    private static async Task<int> HeldBefore(IQuerySession session, ConversationSummary summary, CancellationToken ct) =>
        await session.Query<ConversationSummary>()
            .CountAsync(c => c.ParticipantId == summary.ParticipantId && c.EpisodeNumber == summary.EpisodeNumber && c.Status == ConversationStatuses.Held, ct);

    private static async Task<IResult> RecordPage(Guid id, HttpContext http, IQuerySession session, WebCatalog web, ServiceTime time) =>
        await Find(id, http, session, web, time) is { } found
            ? FormPages.Show(RecordSpec(id, found, time, await HeldBefore(session, found.Summary, http.RequestAborted)), version: found.Context.Version,
                above: found.Context.Summary)
            : PageResult.NotFound();

    private static async Task<IResult> Record(Guid id, HttpContext http, IQuerySession session, WriteStep write, WebCatalog web, ServiceTime time)
    {
        var form = await PostedForm.ReadAsync(http.Request);
        var request = new RecordConversationRequest(true, form.Text("bestHopes"), form.Lines("preferredFutureSigns"), form.Number("scale", "scale"),
            form.Text("exceptions"), form.Text("onePointUp"), form.Text("nextSmallStep"), form.Text("notes"), form.YesNo("riskDisclosed"),
            form.Number("durationMinutes", "durationMinutes"), WhatHasBeenBetter: form.Text("whatHasBeenBetter"), LastStepTaken: form.Text("lastStepTaken"),
            Fidelity: FidelityWords.Questions.Any(q => form.Text(q.Field) is not null)
                ? new FidelityRequest(form.Text("fidelity.bestHopesAsked"), form.Text("fidelity.preferredFutureDescribed"), form.Text("fidelity.scalingUsed"),
                    form.Text("fidelity.exceptionsExplored"), form.Text("fidelity.nextStepParticipantsOwn"))
                : null);
        var outcome = await write.DecideAsync(http, form.IfMatch, form.With(RecordConversation.Validate(request)), RecordConversation.Deciding(id, request));
        if (outcome.IsCommitted)
        {
            return PageResult.SeeOther($"/conversations/{id}", outcome.Result.Concern is null
                ? "The conversation is recorded."
                : "The conversation is recorded, and a safeguarding concern is raised for a caseworker.");
        }

        if (PageRefusals.IsNotFound(outcome.Refusal!) || await Find(id, http, session, web, time) is not { } found) return PageResult.NotFound();
        return FormPages.Refused(RecordSpec(id, found, time, await HeldBefore(session, found.Summary, http.RequestAborted)), form, outcome.Refusal!,
            found.Context.Version, found.Context.Summary);
    }

    private static FormSpec MissedSpec(Guid id, Found found, ServiceTime time) =>
        new("Record a missed conversation", $"/conversations/{id}/missed",
            [
                new Field("reason", "What happened", FieldKind.Radios, Options:
                [
                    new("did-not-attend", "They did not come"), new("cancelled-by-participant", "They cancelled it"),
                    new("cancelled-by-service", "We cancelled it"),
                ]),
            ], "Save")
        {
            Caption = $"{found.Context.Name}: the conversation of {time.DateAndTime(found.Summary.ScheduledFor)}",
            BackHref = $"/participants/{found.Summary.ParticipantId}",
            BackText = "Back to the participant",
        };

    private static async Task<IResult> MissedPage(Guid id, HttpContext http, IQuerySession session, WebCatalog web, ServiceTime time) =>
        await Find(id, http, session, web, time) is { } found
            ? FormPages.Show(MissedSpec(id, found, time), version: found.Context.Version, above: found.Context.Summary)
            : PageResult.NotFound();

    private static async Task<IResult> Missed(Guid id, HttpContext http, IQuerySession session, WriteStep write, WebCatalog web, ServiceTime time)
    {
        var form = await PostedForm.ReadAsync(http.Request);
        var request = new RecordMissedConversationRequest(form.Text("reason"));
        var outcome = await write.DecideAsync(http, form.IfMatch, form.With(RecordMissedConversation.Validate(request)),
            RecordMissedConversation.Deciding(id, request));
        if (outcome.IsCommitted) return PageResult.SeeOther($"/participants/{outcome.Result!.ParticipantId}", "The missed conversation is recorded.");
        if (PageRefusals.IsNotFound(outcome.Refusal!) || await Find(id, http, session, web, time) is not { } found) return PageResult.NotFound();
        return FormPages.Refused(MissedSpec(id, found, time), form, outcome.Refusal!, found.Context.Version, found.Context.Summary);
    }

    // ------------------------------------------------------------------ safeguarding

    private static async Task<IResult> Concerns(HttpContext http, IQuerySession session, WebCatalog web, ServiceTime time, string? saved)
    {
        var page = Data(http, session, time);
        return PageResult.Show<ConcernsPage>(new Dictionary<string, object?> { ["Panel"] = await ConcernsPanel(page), ["Saved"] = saved });
    }

    private static FormSpec AcknowledgeSpec(Guid id, SafeguardingConcern concern, ParticipantContext context, ServiceTime time) =>
        new("Acknowledge the safeguarding concern", $"/safeguarding/{id}",
            [new Field("actionTaken", "What you have done about it", FieldKind.TextArea, "For example, who you spoke to and what was agreed")],
            "Acknowledge concern")
        {
            Caption = context.Name,
            Intro = $"Raised {time.DateAndTime(concern.RaisedAt)} from a {concern.Source}: {concern.Description}",
            BackHref = "/safeguarding",
            BackText = "Back to safeguarding concerns",
        };

    private static async Task<(SafeguardingConcern, ParticipantContext)?> Concern(Guid id, HttpContext http, IQuerySession session, WebCatalog web, ServiceTime time) =>
        await session.LoadAsync<SafeguardingConcern>(id, http.RequestAborted) is { } concern &&
        await web.ContextOf(Data(http, session, time), concern.ParticipantId) is { } context
            ? (concern, context)
            : null;

    private static async Task<IResult> AcknowledgePage(Guid id, HttpContext http, IQuerySession session, WebCatalog web, ServiceTime time)
    {
        if (await Concern(id, http, session, web, time) is not { } found) return PageResult.NotFound();
        var (concern, context) = found;
        if (concern.Status != ConcernStatuses.Open)
        {
            return PageResult.Message("This concern is acknowledged", StatusCodes.Status200OK,
                $"It was acknowledged {time.DateAndTime(concern.AcknowledgedAt!.Value)}: {concern.ActionTaken}");
        }

        return FormPages.Show(AcknowledgeSpec(id, concern, context, time), version: context.Version, above: context.Summary);
    }

    private static async Task<IResult> Acknowledge(Guid id, HttpContext http, IQuerySession session, WriteStep write, WebCatalog web, ServiceTime time)
    {
        var form = await PostedForm.ReadAsync(http.Request);
        var request = new AcknowledgeConcernRequest(form.Text("actionTaken"));
        var outcome = await write.DecideAsync(http, form.IfMatch, form.With(AcknowledgeConcern.Validate(request)), AcknowledgeConcern.Deciding(id, request));
        if (outcome.IsCommitted) return PageResult.SeeOther($"/participants/{outcome.Result!.ParticipantId}", "The safeguarding concern is acknowledged.");
        if (PageRefusals.IsNotFound(outcome.Refusal!) || await Concern(id, http, session, web, time) is not { } found) return PageResult.NotFound();
        var (concern, context) = found;
        return FormPages.Refused(AcknowledgeSpec(id, concern, context, time), form, outcome.Refusal!, context.Version, context.Summary);
    }
}
