using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Auth;
using WorkingConversations.BuildingBlocks.Journey;
using WorkingConversations.BuildingBlocks.Web;
using WorkingConversations.BuildingBlocks.Writing;
using WorkingConversations.Referrals.Contracts;
using WorkingConversations.Referrals.Identity;
using WorkingConversations.Referrals.Partners;
using WorkingConversations.Referrals.PostingReferral;
using WorkingConversations.Referrals.Triage;
using WorkingConversations.Referrals.Views;

namespace WorkingConversations.Referrals.Pages;

/// <summary>The caseworkers' triage pages, the search for a participant, and the administrators' partner pages.</summary>
internal static class ReferralPages
{
    public static void Describe(WebCatalog web)
    {
        web.Navigate("Triage queue", "/referrals", 10, Roles.Caseworker)
            .Navigate("Find a participant", "/participants/find", 20, Roles.Caseworker)
            .Navigate("Partners", "/partners", 10, Roles.Admin)
            .Home(10, [Roles.Caseworker], TriageHomePanel)
            .Participant(10, [Roles.Caseworker, Roles.Practitioner], IdentitySection)
            .ParticipantNames(Names)
            .Partners(async (session, ct) => [.. (await RegisterPartner.All(session, ct)).Select(p => new Choice(p.Id.ToString(), p.Name))]);
    }

    public static void Map(RouteGroupBuilder pages)
    {
        var caseworker = pages.MapGroup("").RequireRoles(Roles.Caseworker);
        caseworker.MapGet("/referrals", Queue).WithName("TriageQueuePage");
        caseworker.MapGet("/referrals/{id:guid}", Show).WithName("ReferralPage");
        caseworker.MapPost("/referrals/{id:guid}/accept", Accept).WithName("AcceptReferralForm");
        caseworker.MapGet("/referrals/{id:guid}/decline", (Guid id, HttpContext http, IQuerySession s, WebCatalog w, ServiceTime t) => Triage(Decline, id, http, s, w, t))
            .WithName("DeclineReferralPage");
        caseworker.MapPost("/referrals/{id:guid}/decline", (Guid id, HttpContext http, IQuerySession s, WriteStep write, WebCatalog w, ServiceTime t) =>
            Triaged(Decline, id, http, s, write, w, t)).WithName("DeclineReferralForm");
        caseworker.MapGet("/referrals/{id:guid}/waitlist", (Guid id, HttpContext http, IQuerySession s, WebCatalog w, ServiceTime t) => Triage(Waitlist, id, http, s, w, t))
            .WithName("WaitlistReferralPage");
        caseworker.MapPost("/referrals/{id:guid}/waitlist", (Guid id, HttpContext http, IQuerySession s, WriteStep write, WebCatalog w, ServiceTime t) =>
            Triaged(Waitlist, id, http, s, write, w, t)).WithName("WaitlistReferralForm");
        caseworker.MapGet("/referrals/{id:guid}/withdraw", (Guid id, HttpContext http, IQuerySession s, WebCatalog w, ServiceTime t) => Triage(Withdraw, id, http, s, w, t))
            .WithName("WithdrawReferralPage");
        caseworker.MapPost("/referrals/{id:guid}/withdraw", (Guid id, HttpContext http, IQuerySession s, WriteStep write, WebCatalog w, ServiceTime t) =>
            Triaged(Withdraw, id, http, s, write, w, t)).WithName("WithdrawReferralForm");
        caseworker.MapGet("/participants/find", () => PageResult.Show<FindParticipantPage>(new Dictionary<string, object?>())).WithName("FindParticipantPage");
        // Posted, not a query string: what was searched for (an NHS number, a name) stays out of addresses, browser history
        // and the request log.
        caseworker.MapPost("/participants/find", Find).WithName("FindParticipantForm");

        var admin = pages.MapGroup("/partners").RequireRoles(Roles.Admin);
        admin.MapGet("", Partners).WithName("PartnersPage");
        admin.MapGet("/new", () => FormPages.Show(PartnerForm)).WithName("RegisterPartnerPage");
        admin.MapPost("/new", Register).WithName("RegisterPartnerForm");
    }

    // ------------------------------------------------------------------ home, names, the participant's section

    private static async Task<Microsoft.AspNetCore.Components.RenderFragment?> TriageHomePanel(PageData page)
    {
        var waiting = await page.Session.Query<ReferralView>()
            .CountAsync(r => r.Status == ReferralStatuses.Received || r.Status == ReferralStatuses.Waitlisted, page.Cancellation);
        return Fragment.Of<TriagePanel>(new Dictionary<string, object?> { ["Waiting"] = waiting });
    }

    private static async Task<IReadOnlyDictionary<Guid, ParticipantName>> Names(IQuerySession session, IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        var identities = await session.LoadManyAsync<ParticipantIdentity>(ct, ids);
        return identities.ToDictionary(i => i.Id, i => new ParticipantName($"{i.GivenName} {i.FamilyName}",
            DateOnly.TryParse(i.DateOfBirth.Value, System.Globalization.CultureInfo.InvariantCulture, out var dob) ? dob : null));
    }

    private static async Task<Microsoft.AspNetCore.Components.RenderFragment?> IdentitySection(ParticipantPageData data)
    {
        var session = data.Page.Session;
        var identity = await session.LoadAsync<ParticipantIdentity>(data.ParticipantId, data.Page.Cancellation);
        var referrals = await session.Query<ReferralView>().Where(r => r.ParticipantId == data.ParticipantId).OrderBy(r => r.ReceivedAt)
            .ToListAsync(data.Page.Cancellation);
        return Fragment.Of<IdentitySection>(new Dictionary<string, object?>
        {
            ["Identity"] = identity is null ? null : new IdentityView(identity.Postcode?.Value, identity.NhsNumber?.Value, identity.Email?.Value, identity.Phone?.Value),
            ["Referrals"] = referrals,
            ["Caseworker"] = data.Page.User.IsIn(Roles.Caseworker),
        });
    }

    // ------------------------------------------------------------------ triage

    private static async Task<IResult> Queue(HttpContext http, IQuerySession session, WebCatalog web, TimeProvider clock, string? cursor)
    {
        var (query, v) = ListReferrals.Parse(null, null, "50", cursor);
        if (query is null) return PageResult.NotFound();
        var page = await TriageQueue.Page(session, clock.GetUtcNow(), query, http.RequestAborted);
        var names = await web.NamesOfParticipants(session, page.Items.Select(r => r.ParticipantId).Distinct().ToList(), http.RequestAborted);
        return PageResult.Show<TriageQueuePage>(new Dictionary<string, object?>
        {
            ["Referrals"] = page.Items, ["Names"] = names, ["Next"] = page.NextCursor is { } next ? $"/referrals?cursor={next}" : null,
        });
    }

    private static async Task<IResult> Show(Guid id, HttpContext http, IQuerySession session, WebCatalog web, ServiceTime time, string? saved) =>
        await Load(id, http, session, web, time) is { } loaded
            ? PageResult.Show<ReferralPage>(new Dictionary<string, object?>
            {
                ["Referral"] = loaded.View, ["Context"] = loaded.Context, ["Saved"] = saved,
            })
            : PageResult.NotFound();

    private sealed record Loaded(ReferralView View, ParticipantContext Context);

    private static async Task<Loaded?> Load(Guid id, HttpContext http, IQuerySession session, WebCatalog web, ServiceTime time)
    {
        var view = await session.LoadAsync<ReferralView>(id, http.RequestAborted);
        if (view is null) return null;
        var context = await web.ContextOf(new PageData(http, session, StaffUser.From(http.User)!, time), view.ParticipantId);
        return context is null ? null : new Loaded(view, context);
    }

    private static async Task<IResult> Accept(Guid id, HttpContext http, IQuerySession session, WriteStep write, WebCatalog web, ServiceTime time)
    {
        var form = await PostedForm.ReadAsync(http.Request);
        var outcome = await write.DecideAsync(http, form.IfMatch, new Validation(), TriageStep.Deciding(id, (journey, now) => AcceptReferral.Decide(journey, id, now)));
        if (outcome.IsCommitted) return PageResult.SeeOther($"/referrals/{id}", "The referral is accepted. Assign a practitioner from the participant's page.");
        if (PageRefusals.IsNotFound(outcome.Refusal!) || await Load(id, http, session, web, time) is not { } loaded) return PageResult.NotFound();
        var errors = outcome.Refusal!.ToErrors(new Dictionary<string, FieldLabel>());
        return PageResult.Show<ReferralPage>(new Dictionary<string, object?> { ["Referral"] = loaded.View, ["Context"] = loaded.Context, ["Errors"] = errors },
            StatusCodes.Status409Conflict);
    }

    /// <summary>A triage form: its fields, how they become the API's request, and the decision they take.</summary>
    private sealed record TriageForm(
        string Action, string Title, string Submit, IReadOnlyList<Field> Fields, Func<PostedForm, Validation> Validate,
        Func<Guid, PostedForm, Func<WriteAttempt, Task<Decision<object>>>> Decide, string Saved);

    private static readonly TriageForm Decline = new("decline", "Decline the referral", "Decline referral",
        [
            new Field("reason", "Why the referral is declined", FieldKind.TextArea, "The partner sees this. At most 1,000 characters."),
            new Field("signpostedTo", "Where the person was signposted (optional)", Hint: "A service or organisation. The partner sees this."),
        ],
        f => DeclineReferral.Validate(DeclineRequest(f)),
        (id, f) => TriageStep.Deciding(id, (journey, now) => DeclineReferral.Decide(journey, id, DeclineRequest(f), now)),
        "The referral is declined.");

    private static DeclineReferralRequest DeclineRequest(PostedForm f) => new() { Reason = f.Text("reason"), SignpostedTo = f.Text("signpostedTo") };

    private static readonly TriageForm Waitlist = new("waitlist", "Put the referral on the waiting list", "Waitlist referral",
        [new Field("reason", "Why it waits (optional)", FieldKind.TextArea, "The partner sees this. At most 1,000 characters.")],
        f => WaitlistReferral.Validate(new WaitlistReferralRequest { Reason = f.Text("reason") }),
        (id, f) => TriageStep.Deciding(id, (journey, now) => WaitlistReferral.Decide(journey, id, new WaitlistReferralRequest { Reason = f.Text("reason") }, now)),
        "The referral is on the waiting list.");

    private static readonly TriageForm Withdraw = new("withdraw", "Withdraw the referral", "Withdraw referral",
        [new Field("reason", "Why the referral is withdrawn", FieldKind.TextArea, "At most 1,000 characters.")],
        f => WithdrawReferral.Validate(new WithdrawReferralRequest { Reason = f.Text("reason") }),
        (id, f) => TriageStep.Deciding(id, (journey, now) => WithdrawReferral.Decide(journey, id, new WithdrawReferralRequest { Reason = f.Text("reason") }, now)),
        "The referral is withdrawn.");

    private static FormSpec Spec(TriageForm form, Guid id, Loaded loaded) =>
        new(form.Title, $"/referrals/{id}/{form.Action}", form.Fields, form.Submit)
        {
            Caption = $"Referral {loaded.View.PartnerReference}, {loaded.Context.Name}",
            BackHref = $"/referrals/{id}",
            BackText = "Back to the referral",
        };

    private static async Task<IResult> Triage(TriageForm form, Guid id, HttpContext http, IQuerySession session, WebCatalog web, ServiceTime time) =>
        await Load(id, http, session, web, time) is { } loaded
            ? FormPages.Show(Spec(form, id, loaded), version: loaded.Context.Version, above: loaded.Context.Summary)
            : PageResult.NotFound();

    private static async Task<IResult> Triaged(TriageForm triage, Guid id, HttpContext http, IQuerySession session, WriteStep write, WebCatalog web, ServiceTime time)
    {
        var form = await PostedForm.ReadAsync(http.Request);
        var outcome = await write.DecideAsync(http, form.IfMatch, form.With(triage.Validate(form)), triage.Decide(id, form));
        if (outcome.IsCommitted) return PageResult.SeeOther($"/referrals/{id}", triage.Saved);
        if (PageRefusals.IsNotFound(outcome.Refusal!) || await Load(id, http, session, web, time) is not { } loaded) return PageResult.NotFound();
        return FormPages.Refused(Spec(triage, id, loaded), form, outcome.Refusal!, loaded.Context.Version, loaded.Context.Summary);
    }

    // ------------------------------------------------------------------ finding a participant

    private static readonly IReadOnlyDictionary<string, FieldLabel> SearchLabels = new Dictionary<string, FieldLabel>
    {
        ["nhsNumber"] = new("NHS number"),
        ["givenName"] = new("Given name"),
        ["familyName"] = new("Family name"),
        ["dateOfBirth"] = new("Date of birth", "#dateOfBirth-day"),
        ["referralId"] = new("Referral id"),
        ["search"] = new("Search", "#nhsNumber"),
    };

    private static async Task<IResult> Find(HttpContext http, IQuerySession session, IDocumentSession audit, IReadAudit reads, WebCatalog web, ServiceTime time,
        ReferralsSettings settings)
    {
        var query = await PostedForm.ReadAsync(http.Request);
        var search = ParticipantSearch.Read(query, settings.MatchKey, time.Today);
        if (search is null) return PageResult.Show<FindParticipantPage>(new Dictionary<string, object?> { ["Query"] = query });
        if (!search.Validation.IsValid)
        {
            return PageResult.Show<FindParticipantPage>(new Dictionary<string, object?>
            {
                ["Query"] = query, ["Errors"] = search.Validation.ToRefusal().ToErrors(SearchLabels),
            }, StatusCodes.Status400BadRequest);
        }

        var found = await ParticipantSearch.Run(session, search, http.RequestAborted);
        var user = StaffUser.From(http.User)!;
        reads.RecordSearch(audit, http, user.Actor, search.Canonical!, found.Count, time.Now);
        await audit.SaveChangesAsync(http.RequestAborted);
        var names = await web.NamesOfParticipants(session, found, http.RequestAborted);
        return PageResult.Show<FindParticipantPage>(new Dictionary<string, object?>
        {
            ["Query"] = query, ["Found"] = found.Select(id => (id, names.GetValueOrDefault(id))).ToList(), ["Searched"] = true,
        });
    }

    // ------------------------------------------------------------------ partners

    private static readonly FormSpec PartnerForm = new("Register a partner", "/partners/new",
        [
            new Field("name", "Organisation name"),
            new Field("contactEmail", "Contact email address", Hint: "Where the service writes to the partner about referrals"),
            new Field("callbackUrl", "Callback URL (optional)", Hint: "An https address the service posts status changes to, signed with a secret shown once"),
        ], "Register partner")
    {
        BackHref = "/partners",
        BackText = "Back to partners",
    };

    private static async Task<IResult> Partners(IQuerySession session, string? saved, CancellationToken ct) =>
        PageResult.Show<PartnersPage>(new Dictionary<string, object?> { ["Partners"] = await RegisterPartner.All(session, ct), ["Saved"] = saved });

    private static async Task<IResult> Register(HttpContext http, WriteStep write)
    {
        var form = await PostedForm.ReadAsync(http.Request);
        var request = new RegisterPartnerRequest(form.Text("name"), form.Text("contactEmail"), form.Text("callbackUrl"));
        var outcome = await write.DecideAsync(http, null, form.With(RegisterPartner.Validate(request)),
            attempt => RegisterPartner.Decide(request, Guid.CreateVersion7(), attempt.Now));
        if (outcome.Refusal is { } refusal) return FormPages.Refused(PartnerForm, form, refusal, null, null);
        return PageResult.Show<RegisteredPartnerPage>(new Dictionary<string, object?> { ["Partner"] = outcome.Result }, StatusCodes.Status201Created);
    }
}

public sealed record IdentityView(string? Postcode, string? NhsNumber, string? Email, string? Phone);
