using JasperFx.Events.Projections;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using WorkingConversations.BuildingBlocks.Auth;
using WorkingConversations.BuildingBlocks.Http;
using WorkingConversations.BuildingBlocks.Http.Idempotency;
using WorkingConversations.BuildingBlocks.Modules;
using WorkingConversations.BuildingBlocks.Web;
using WorkingConversations.VolunteerTraining.Assessing;
using WorkingConversations.VolunteerTraining.Capacity;
using WorkingConversations.VolunteerTraining.Certifying;
using WorkingConversations.VolunteerTraining.Curriculum;
using WorkingConversations.VolunteerTraining.Dbs;
using WorkingConversations.VolunteerTraining.Enrolling;
using WorkingConversations.VolunteerTraining.Erasing;
using WorkingConversations.VolunteerTraining.Exporting;
using WorkingConversations.VolunteerTraining.Practice;
using WorkingConversations.VolunteerTraining.Promoting;
using WorkingConversations.VolunteerTraining.Standing;
using WorkingConversations.VolunteerTraining.Supervision;
using WorkingConversations.VolunteerTraining.Views;

namespace WorkingConversations.VolunteerTraining;

public sealed class VolunteerTrainingModule : IModule
{
    public string Name => "VolunteerTraining";
    public string Schema => "volunteer_training";

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CertificationRules>()
            .BindConfiguration(CertificationRules.SectionName)
            .Validate(r => !r.Check().Any(), "VolunteerTraining:Certification is not valid: capacities at least 1, DbsLevel basic|standard|enhanced, nothing negative.")
            .ValidateOnStart();
        services.AddSingleton(Pages.VolunteerDataPages.PagingFrom(configuration));
        services.AddSingleton<CurriculumSource>();
        services.AddHostedService<CurriculumCheck>();
    }

    public void ConfigureMarten(StoreOptions options)
    {
        options.Schema.For<VolunteerProfile>().DatabaseSchemaName(Schema);
        options.Schema.For<VolunteerSummary>().DatabaseSchemaName(Schema);

        // Volunteer events live on volunteers' own streams, not on participant journeys, so they are registered here
        // rather than in the journey catalog; the wire names are as stable as the journey's.
        Register<VolunteerEnrolled>(options, "volunteer-enrolled");
        Register<ModuleAssessed>(options, "volunteer-module-assessed");
        Register<PracticeHoursLogged>(options, "volunteer-practice-hours-logged");
        Register<SupervisionSessionRecorded>(options, "volunteer-supervision-session-recorded");
        Register<DbsCheckRecorded>(options, "volunteer-dbs-check-recorded");
        Register<VolunteerCertified>(options, "volunteer-certified");
        Register<ApprenticePromoted>(options, "apprentice-promoted");
        Register<CapacityChanged>(options, "volunteer-capacity-changed");
        Register<VolunteerSuspended>(options, "volunteer-suspended");
        Register<VolunteerReinstated>(options, "volunteer-reinstated");
        Register<VolunteerWithdrawn>(options, "volunteer-withdrawn");
        Register<ClearanceLapsed>(options, "volunteer-clearance-lapsed");
        Register<VolunteerErased>(options, "volunteer-erased");

        // Erasure of a volunteer masks the names of the people around them and every free-text note or reason.
        options.Events.AddMaskingRuleForProtectedInformation<ModuleAssessed>(e => e with { AssessedBy = ProtectedText.Masked });
        options.Events.AddMaskingRuleForProtectedInformation<PracticeHoursLogged>(e => e with { SupervisedBy = ProtectedText.Masked });
        options.Events.AddMaskingRuleForProtectedInformation<SupervisionSessionRecorded>(e => e with { Supervisor = ProtectedText.Masked, Note = e.Note is null ? null : ProtectedText.Masked });
        options.Events.AddMaskingRuleForProtectedInformation<CapacityChanged>(e => e with { Reason = ProtectedText.Masked });
        options.Events.AddMaskingRuleForProtectedInformation<VolunteerSuspended>(e => e with { Reason = ProtectedText.Masked });
        options.Events.AddMaskingRuleForProtectedInformation<VolunteerReinstated>(e => e with { Reason = ProtectedText.Masked });
        options.Events.AddMaskingRuleForProtectedInformation<VolunteerWithdrawn>(e => e with { Reason = ProtectedText.Masked });

        options.Projections.LiveStreamAggregation<Volunteer>();
        options.Projections.Add<VolunteerSummaryProjection>(ProjectionLifecycle.Inline, ProjectionRebuilds.Tune);
    }

    private static void Register<T>(StoreOptions options, string wireName) where T : class
    {
        options.Events.AddEventType<T>();
        options.Events.MapEventType<T>(wireName);
    }

    public void DescribeWeb(WebCatalog web)
    {
        Pages.VolunteerPages.Describe(web);
        Pages.VolunteerDataPages.Describe(web);
    }

    public void MapPages(RouteGroupBuilder pages)
    {
        Pages.VolunteerPages.Map(pages);
        Pages.VolunteerDataPages.Map(pages);
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        var training = endpoints.MapGroup("/api/v1/training").WithTags("Volunteer training").RequireRoles(Roles.Trainer);
        training.MapGet("/curriculum", GetCurriculum.Handle).WithName("GetCurriculum").WithSummary("The curriculum: modules, what requires them, pass marks")
            .Documented();
        training.MapGet("/pipeline", GetPipeline.Handle).WithName("GetTrainingPipeline")
            .WithSummary("Per programme: enrolled, in training, certified, suspended, lapsed, withdrawn, median days to certify")
            .Documented();

        var volunteers = endpoints.MapGroup("/api/v1/volunteers").WithTags("Volunteer training");
        volunteers.MapGet("/{id:guid}", GetVolunteer.Handle).RequireRoles(Roles.Trainer, Roles.Practitioner)
            .WithName("GetVolunteer").WithSummary("A volunteer's progress against every requirement (trainer; a practitioner reads their own)")
            .Documented(StatusCodes.Status404NotFound);
        volunteers.MapGet("/{id:guid}/history", GetVolunteerHistory.Handle).RequireRoles(Roles.Trainer, Roles.Practitioner)
            .WithName("GetVolunteerHistory").WithSummary("A volunteer's own timeline with who recorded each step (trainer; a practitioner reads their own)")
            .Documented(StatusCodes.Status404NotFound);

        volunteers.MapGet("/{id:guid}/export", ExportVolunteer.Handle).RequireRoles(Roles.Trainer, Roles.Admin)
            .WithName("ExportVolunteer").WithSummary("Everything held about a volunteer (subject access request)")
            .WithDescription("Their profile, every event of their own stream with its data, and each module's section of what it holds keyed by their " +
                             "practitioner id: API keys (never a secret), practice (standing, caseload counts, conversations without whom they were with), " +
                             "the reads of their record and the reads they made. Every export is recorded in the read audit.")
            .Documented(StatusCodes.Status404NotFound);
        volunteers.MapPost("/{id:guid}/erasure", EraseVolunteer.Handle).RequireRoles(Roles.Trainer, Roles.Admin).WithJsonBody<NoFields>(optional: true)
            .WithName("EraseVolunteer").WithSummary("Erase a withdrawn volunteer: name, email and free text deleted; training facts and the id kept")
            .WithDescription("409 unless the volunteer has withdrawn. Their keys are revoked. Repeating it answers the same erasure and appends nothing. " +
                             "Send the volunteer's ETag as If-Match to erase only the version you read (412 otherwise).")
            .Documented<VolunteerErasureAccepted>(StatusCodes.Status202Accepted, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict,
                StatusCodes.Status412PreconditionFailed);

        int[] writeProblems = [StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status412PreconditionFailed];
        // The volunteer's standing has a member of its own: a problem's `status` is the HTTP status.
        const string evidenceConflict = "409 when the volunteer has withdrawn, naming the volunteerStatus.";
        const string standingConflict = "409 when the volunteer's standing does not allow it, naming the volunteerStatus.";
        var trainer = volunteers.MapGroup("").RequireRoles(Roles.Trainer);
        trainer.MapPost("", EnrolVolunteer.Handle).WithName("EnrolVolunteer").WithSummary("Enrol a volunteer or apprentice")
            .WithJsonBody<EnrolVolunteerRequest>()
            .WithIdempotencyKey()
            .WithDescription(IdempotencyKeys.Description)
            .Documented<EnrolledVolunteer>(StatusCodes.Status201Created);
        trainer.MapPost("/{id:guid}/modules/{code}/assessment", RecordAssessment.Handle).WithJsonBody<AssessmentRequest>().WithName("RecordAssessment")
            .WithSummary("Record an assessment of a curriculum module").WithDescription(evidenceConflict)
            .Documented<AssessmentResult>(StatusCodes.Status200OK, writeProblems);
        trainer.MapPost("/{id:guid}/practice-hours", LogPracticeHours.Handle).WithJsonBody<PracticeHoursRequest>().WithName("LogPracticeHours").WithSummary("Log supervised practice hours").WithDescription(evidenceConflict)
            .Documented<PracticeHoursTotal>(StatusCodes.Status200OK, writeProblems);
        trainer.MapPost("/{id:guid}/supervision", RecordSupervision.Handle).WithJsonBody<SupervisionRequest>().WithName("RecordSupervision").WithSummary("Record a supervision session").WithDescription(evidenceConflict)
            .Documented<SupervisionTotal>(StatusCodes.Status200OK, writeProblems);
        trainer.MapPost("/{id:guid}/dbs-check", RecordDbsCheck.Handle).WithJsonBody<DbsCheckRequest>().WithName("RecordDbsCheck")
            .WithSummary("Record a DBS check: decision, level, issue date, update service (never the certificate's content)").WithDescription(evidenceConflict)
            .Documented<DbsCheckResult>(StatusCodes.Status200OK, writeProblems);
        trainer.MapPost("/{id:guid}/certify", CertifyVolunteer.Handle).WithJsonBody<NoFields>(optional: true).WithName("CertifyVolunteer")
            .WithSummary("Certify a volunteer as a practitioner (422 lists every unmet requirement)").WithDescription(standingConflict)
            .Documented<CertifiedVolunteer>(StatusCodes.Status200OK, [.. writeProblems, StatusCodes.Status422UnprocessableEntity]);
        trainer.MapPost("/{id:guid}/promote", PromoteApprentice.Handle).WithJsonBody<NoFields>(optional: true).WithName("PromoteApprentice")
            .WithSummary("Promote an apprentice practitioner to senior practitioner (422 lists every unmet requirement)")
            .WithDescription("409 for a volunteer, naming the programme, and for an apprentice who is not a certified practitioner, naming the volunteerStatus and level.")
            .Documented<PromotionResult>(StatusCodes.Status200OK, [.. writeProblems, StatusCodes.Status422UnprocessableEntity]);
        trainer.MapPost("/{id:guid}/capacity", ChangeCapacity.Handle).WithJsonBody<CapacityRequest>().WithName("ChangeCapacity")
            .WithSummary("Set how many participants a cleared practitioner may hold").WithDescription(standingConflict)
            .Documented<CapacityResult>(StatusCodes.Status200OK, writeProblems);
        trainer.MapPost("/{id:guid}/suspend", SuspendVolunteer.Handle).WithJsonBody<ReasonRequest>().WithName("SuspendVolunteer").WithSummary("Suspend a practitioner").WithDescription(standingConflict)
            .Documented<StandingResult>(StatusCodes.Status200OK, writeProblems);
        trainer.MapPost("/{id:guid}/reinstate", ReinstateVolunteer.Handle).WithJsonBody<ReasonRequest>().WithName("ReinstateVolunteer").WithSummary("Lift a suspension").WithDescription(standingConflict)
            .Documented<StandingResult>(StatusCodes.Status200OK, writeProblems);
        trainer.MapPost("/{id:guid}/withdraw", WithdrawVolunteer.Handle).WithJsonBody<ReasonRequest>().WithName("WithdrawVolunteer").WithSummary("Withdraw a volunteer from the programme").WithDescription(standingConflict)
            .Documented<StandingResult>(StatusCodes.Status200OK, writeProblems);
    }

    /// <summary>A curriculum that does not parse stops the host at start, not the first trainer who asks for it.</summary>
    private sealed class CurriculumCheck(CurriculumSource curriculum) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            _ = curriculum.Current;
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
