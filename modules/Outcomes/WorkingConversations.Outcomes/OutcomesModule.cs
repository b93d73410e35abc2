using JasperFx.Events.Projections;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WorkingConversations.BuildingBlocks.Auth;
using WorkingConversations.BuildingBlocks.Http;
using WorkingConversations.BuildingBlocks.Http.Idempotency;
using WorkingConversations.BuildingBlocks.Journey;
using WorkingConversations.BuildingBlocks.Modules;
using WorkingConversations.BuildingBlocks.Operations.Projections;
using WorkingConversations.BuildingBlocks.Web;
using WorkingConversations.Outcomes.Contracts;
using WorkingConversations.Outcomes.Projections;
using WorkingConversations.Outcomes.Recording;
using WorkingConversations.Outcomes.Reporting;
using WorkingConversations.Outcomes.Scoring;

namespace WorkingConversations.Outcomes;

public sealed class OutcomesModule : IModule
{
    public const string ModuleName = "Outcomes";
    public string Name => ModuleName;
    public string Schema => "outcomes";


    private const string ReportParameters =
        "from, to: ISO dates, both included (the period in which referrals were received); partnerId; programme (volunteer, apprentice, none).";

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(OutcomesSettings.Thresholds(configuration));
        services.AddSingleton(OutcomesSettings.FollowUps(configuration));
        services.AddSingleton(OutcomesSettings.Disclosure(configuration));
        services.AddSingleton(NationalReferences.From(configuration));
        services.AddHostedService<MonthlyRollup>();
        services.AddHostedService<ReportCellRollup>();
        services.AddSingleton<IProjectionRebuildStep, RebuildRecount>();
    }

    public void ConfigureMarten(StoreOptions options, IServiceProvider services)
    {
        // Asynchronous by default: the episode rows are the analysts' and may trail a write by a moment, and keeping
        // them out of the request path is a third of a referral's cost (docs/performance.md). "Inline" keeps them in
        // step with every write, which the integration tests use to read them straight after a call.
        var configuration = services.GetRequiredService<IConfiguration>();
        var lifecycle = Enum.Parse<ProjectionLifecycle>(configuration["Outcomes:EpisodeProjection"] ?? nameof(ProjectionLifecycle.Async), ignoreCase: true);

        // The analysts' reports filter on these two columns, so they are real, indexed columns rather than JSON (the
        // summary must stay fast at 200 thousand episodes; docs/performance.md). The columns they count and group by
        // are real columns too, without indexes (EpisodeOutcome.ConfigureMarten).
        options.Schema.For<EpisodeOutcome>().DatabaseSchemaName(Schema)
            .Duplicate(x => x.ReceivedAt, notNull: true)
            .Duplicate(x => x.PartnerId, notNull: true);
        options.Projections.LiveStreamAggregation<OutcomesJourney>();
        options.Projections.Add(new EpisodeOutcomeProjection(services.GetRequiredService<OutcomeThresholds>(), services.GetRequiredService<FollowUpSettings>()), lifecycle,
            ProjectionRebuilds.Tune);
    }

    public void DescribeJourney(JourneyCatalog catalog)
    {
        catalog
            .Add<QuestionnaireRecorded>(ModuleName, "questionnaire-recorded", e => $"{e.Instrument} recorded at {e.Timepoint}" + (e.Total is null ? "" : $": total {e.Total}") + (e.Band is null ? "" : $" ({e.Band})"))
            .Add<CircumstancesRecorded>(ModuleName, "circumstances-recorded", e => $"Circumstances recorded at {e.Timepoint}")
            .Add<FollowUpsScheduled>(ModuleName, "follow-ups-scheduled", e => $"Follow-up check-ins scheduled at {string.Join(", ", e.Months)} months")
            .Add<FollowUpCheckInDue>(ModuleName, "follow-up-check-in-due", e => $"{e.Months}-month follow-up check-in due")
            .Add<FollowUpCheckInMissed>(ModuleName, "follow-up-check-in-missed", e => $"{e.Months}-month follow-up check-in missed");
        JourneyParts.OutcomesJourneyParts.Describe(catalog);
    }

    public void DescribeWeb(WebCatalog web)
    {
        Pages.OutcomePages.Describe(web);
        Pages.Dashboard.DashboardPages.Describe(web);
    }

    public void MapPages(RouteGroupBuilder pages)
    {
        Pages.OutcomePages.Map(pages);
        Pages.Dashboard.DashboardPages.Map(pages);
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        var participants = endpoints.MapGroup("/api/v1/participants").WithTags("Outcomes");
        participants.MapPost("/{id:guid}/questionnaires", RecordQuestionnaire.Handle).RequireRoles(Roles.Practitioner, Roles.Caseworker)
            .WithJsonBody<RecordQuestionnaireRequest>()
            .WithIdempotencyKey()
            .WithName("RecordQuestionnaire").WithSummary("Record a questionnaire; the response carries its scores")
            .WithDescription(IdempotencyKeys.Description)
            .Documented<QuestionnaireResult>(StatusCodes.Status201Created, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict,
                StatusCodes.Status412PreconditionFailed);
        participants.MapPost("/{id:guid}/circumstances", RecordCircumstances.Handle).RequireRoles(Roles.Practitioner, Roles.Caseworker)
            .WithJsonBody<RecordCircumstancesRequest>()
            .WithIdempotencyKey()
            .WithName("RecordCircumstances").WithSummary("Record circumstances (housing, employment, money, connection) at the start, the end or a follow-up")
            .WithDescription(IdempotencyKeys.Description)
            .Documented<CircumstancesResult>(StatusCodes.Status201Created, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict,
                StatusCodes.Status412PreconditionFailed);

        var outcomes = endpoints.MapGroup("/api/v1/outcomes").WithTags("Outcomes").RequireRoles(Roles.Analyst);
        outcomes.MapGet("/summary", GetSummary.Handle)
            .WithName("GetOutcomeSummary").WithSummary("Episode outcomes with both denominators, by month, partner or programme (disclosure-controlled)")
            .Documented<SummaryReport>(StatusCodes.Status200OK);
        outcomes.MapGet("/funnel", GetFunnel.Handle)
            .WithName("GetOutcomeFunnel").WithSummary("Referred, accepted, engaged, finished, recovered, sustained at 12 months (disclosure-controlled)")
            .Documented<FunnelReport>(StatusCodes.Status200OK);
        outcomes.MapGet("/relapse", GetRelapse.Handle)
            .WithName("GetOutcomeRelapse").WithSummary("Relapse, recurrence, sustained recovery, returned and follow-up completion (disclosure-controlled)")
            .Documented<RelapseReport>(StatusCodes.Status200OK);
        outcomes.MapGet("/waiting-times", GetWaitingTimes.Handle)
            .WithName("GetWaitingTimes").WithSummary("Days from received to accepted, accepted to the first conversation and received to the first conversation (median and 90th percentile); the distribution of the wait for a first conversation and the shares seen within 6 and 18 weeks (disclosure-controlled)")
            .WithDescription(ReportParameters + " within6WeeksRate and within18WeeksRate: nhs over the people seen (a first conversation held), allReferrals over every referral.")
            .Documented<WaitingTimesReport>(StatusCodes.Status200OK);
        outcomes.MapGet("/staying-well", GetStayingWell.Handle)
            .WithName("GetStayingWell")
            .WithSummary("The staying-well curve: the share of episodes that ended recovered still recovered at each check-in, censored at missed check-ins, with the counts at risk (disclosure-controlled)")
            .WithDescription(ReportParameters + " curve[].stillRecoveredShare.nhs is the Kaplan-Meier share over the episodes that ended recovered; " +
                             "allReferrals is those known to be still recovered at the check-in over every referral. Relapse, recurrence, " +
                             "sustained and returned are the relapse report's figures.")
            .Documented<StayingWellReport>(StatusCodes.Status200OK);
        outcomes.MapGet("/wellbeing", GetWellbeingChange.Handle)
            .WithName("GetWellbeingChange")
            .WithSummary("The distribution of SWEMWBS metric change, first to last, with the meaningful change marked (disclosure-controlled)")
            .WithDescription(ReportParameters + " Finished episodes with two SWEMWBS questionnaires. improvedRate and deterioratedRate: nhs over them (measured), " +
                             "allReferrals over every referral.")
            .Documented<WellbeingReport>(StatusCodes.Status200OK);
        outcomes.MapGet("/circumstances", GetCircumstances.Handle)
            .WithName("GetCircumstanceTransitions")
            .WithSummary("Start-by-end and start-by-12-months tables for housing, work, money, someone to turn to and community (disclosure-controlled)")
            .WithDescription(ReportParameters + " gainedRate.nhs is over the recorded episodes not at the good value at the start, lostRate.nhs over those at it; " +
                             "allReferrals over every referral.")
            .Documented<CircumstancesReport>(StatusCodes.Status200OK);
        outcomes.MapGet("/practitioner-cohorts", GetPractitionerCohorts.Handle)
            .WithName("GetPractitionerCohorts")
            .WithSummary("Outcomes by the programme and by the quarter of certification of the practitioner who held most conversations (disclosure-controlled)")
            .WithDescription(ReportParameters + " Each group has the summary's counts and rates with both denominators.")
            .Documented<PractitionerCohortsReport>(StatusCodes.Status200OK);
        outcomes.MapGet("/trend", GetTrend.Handle)
            .WithName("GetMonthlyTrend")
            .WithSummary("Referrals and the outcome rates by month of referral, every month of the period (disclosure-controlled)")
            .WithDescription(ReportParameters + " At most ten years.")
            .Documented<TrendReport>(StatusCodes.Status200OK);
        outcomes.MapGet("/national-references", NationalReferences.Handle)
            .WithName("GetNationalReferences")
            .WithSummary("The national NHS Talking Therapies figures the dashboard draws as reference lines, with their source and year (settings)")
            .Documented<NationalReferencesReport>(StatusCodes.Status200OK);
        outcomes.MapGet("/signposting", GetSignposting.Handle)
            .WithName("GetSignposting")
            .WithSummary("Episodes signposted to directory services, and whether people connected, from follow-ups (disclosure-controlled)")
            .WithDescription("Signposted: episodes whose referral was declined to a directory service, or with a conversation whose next small " +
                             "step was at one, in the period (from, to: ISO dates, both included). Connected, tried but could not and did not: " +
                             "the latest follow-up answer (circumstances connectedWithSignpostedService) of those episodes. connectedRate.nhs is " +
                             "over the followed-up episodes, connectedRate.allReferrals over every signposted one.")
            .Documented<SignpostingReport>(StatusCodes.Status200OK);
        outcomes.MapGet("/practice", GetPracticeInsight.Handle)
            .WithName("GetPracticeInsight")
            .WithSummary("By programme: the 0-10 scale's movement from first to last conversation against PHQ-9 and GAD-7 change, and the fidelity profile (disclosure-controlled)")
            .WithDescription("Episodes whose referral was received in the period (from, to: ISO dates, both included), grouped by the programme of " +
                             "the practitioner who held most of their conversations. scaleMovement: episodes with two or more conversations held, " +
                             "by whether the scale rose, stayed or fell, each with the reliable change and mean change of PHQ-9 and GAD-7 over the " +
                             "episodes with paired scores on it. fidelity: conversations held, those with a self-rating and their share, and each " +
                             "item's yes, partly and no with the share answered yes.")
            .Documented<PracticeReport>(StatusCodes.Status200OK);
        outcomes.MapGet("/export.csv", ExportEpisodes.Handle)
            .WithName("ExportEpisodeOutcomes").WithSummary("One de-identified row per episode (age band, months, codes and scores; no names, dates of birth, contact details or free text)")
            .Produces<string>(StatusCodes.Status200OK, "text/csv")
            .Documented();
    }
}
