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
using WorkingConversations.BuildingBlocks.Web;
using WorkingConversations.BuildingBlocks.Volunteers;
using WorkingConversations.Conversations.Assigning;
using WorkingConversations.Conversations.CaseloadHealth;
using WorkingConversations.Conversations.Fidelity;
using WorkingConversations.Conversations.Trajectory;
using WorkingConversations.Conversations.Contracts;
using WorkingConversations.Conversations.Signposting;
using WorkingConversations.Conversations.Ending;
using WorkingConversations.Conversations.Practitioners;
using WorkingConversations.Conversations.Recording;
using WorkingConversations.Conversations.Safeguarding;
using WorkingConversations.Conversations.Scheduling;
using WorkingConversations.Conversations.Views;

namespace WorkingConversations.Conversations;

public sealed class ConversationsModule : IModule
{
    public const string ModuleName = "Conversations";
    public string Name => ModuleName;
    public string Schema => "conversations";

    public void AddServices(IServiceCollection services, IConfiguration configuration) =>
        services.AddSingleton(CaseloadHealthSettings.From(configuration));

    public void ConfigureMarten(StoreOptions options)
    {
        // Versioned: the messages that change a practitioner, and the assignments decided on one, conflict when they meet
        // instead of overwriting each other; the loser is run again on what the winner stored.
        options.Schema.For<Practitioner>().DatabaseSchemaName(Schema).Index(x => x.Status).UseOptimisticConcurrency(true);
        options.Schema.For<SignpostableService>().DatabaseSchemaName(Schema);
        options.Schema.For<CaseAssignment>().DatabaseSchemaName(Schema).Index(x => x.PractitionerId);
        options.Schema.For<ConversationSummary>().DatabaseSchemaName(Schema).Index(x => x.ParticipantId).Index(x => x.PractitionerId);
        options.Schema.For<SafeguardingConcern>().DatabaseSchemaName(Schema)
            .Index(x => x.Status)
            .Index(x => x.RaisedAt)
            .Index(x => x.ParticipantId);
        options.Projections.LiveStreamAggregation<ConversationsJourney>();
        options.Projections.Add<ConversationSummaryProjection>(ProjectionLifecycle.Inline, ProjectionRebuilds.Tune);
        options.Projections.Add<SafeguardingConcernProjection>(ProjectionLifecycle.Inline, ProjectionRebuilds.Tune);
    }

    public void DescribeVolunteers(VolunteerCatalog catalog) => PractitionerRecord.Describe(catalog);

    public void DescribeJourney(JourneyCatalog catalog)
    {
        catalog
            .Add<EpisodeOpened>(ModuleName, "episode-opened", e => $"Episode {e.EpisodeNumber} opened")
            .Add<PractitionerAssigned>(ModuleName, "practitioner-assigned", e => $"Practitioner assigned ({e.Programme})" + (e.PreviousPractitionerId is null ? "" : ", replacing the previous one"))
            .Add<ConversationScheduled>(ModuleName, "conversation-scheduled", e => $"Conversation scheduled for {e.ScheduledFor:yyyy-MM-dd HH:mm} ({e.Mode})")
            .Add<ConversationHeld>(ModuleName, "conversation-held", e => $"Conversation held: scale {e.Scale}/10, {e.DurationMinutes} minutes" + (e.RiskDisclosed ? ", risk disclosed" : ""))
            .Add<ConversationMissed>(ModuleName, "conversation-missed", e => $"Conversation missed: {e.Reason}")
            .Add<SafeguardingConcernRaised>(ModuleName, "safeguarding-concern-raised", e => $"Safeguarding concern raised from a {e.Source}")
            .Add<SafeguardingConcernAcknowledged>(ModuleName, "safeguarding-concern-acknowledged", _ => "Safeguarding concern acknowledged")
            .Add<EpisodeEnded>(ModuleName, "episode-ended", e => $"Episode {e.EpisodeNumber} ended: {e.Reason}")
            .Protect<ConversationHeld>(e => e with
            {
                BestHopes = ProtectedText.Masked, PreferredFutureSigns = [.. e.PreferredFutureSigns.Select(_ => ProtectedText.Masked)], Exceptions = ProtectedText.Masked, OnePointUp = ProtectedText.Masked,
                NextSmallStep = e.NextSmallStep is null ? null : ProtectedText.Masked, Notes = e.Notes is null ? null : ProtectedText.Masked,
                WhatHasBeenBetter = e.WhatHasBeenBetter is null ? null : ProtectedText.Masked,
            })
            .Protect<ConversationScheduled>(e => e with { Location = e.Location is null ? null : ProtectedText.Masked })
            .Protect<SafeguardingConcernRaised>(e => e with { Description = ProtectedText.Masked })
            .Protect<SafeguardingConcernAcknowledged>(e => e with { ActionTaken = ProtectedText.Masked })
            .Protect<EpisodeEnded>(e => e with { Note = e.Note is null ? null : ProtectedText.Masked });
        JourneyParts.ConversationsJourneyParts.Describe(catalog);
    }

    public void DescribeWeb(WebCatalog web) => Pages.ConversationPages.Describe(web);

    public void MapPages(RouteGroupBuilder pages) => Pages.ConversationPages.Map(pages);

    public void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        int[] writeProblems = [StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status412PreconditionFailed];
        var participants = endpoints.MapGroup("/api/v1/participants").WithTags("Conversations");
        participants.MapPost("/{id:guid}/practitioner", AssignPractitioner.Handle).RequireRoles(Roles.Caseworker).WithJsonBody<AssignPractitionerRequest>()
            .WithName("AssignPractitioner").WithSummary("Assign a cleared practitioner with room, or reassign (caseworker)")
            .Documented<AssignmentResult>(StatusCodes.Status200OK, writeProblems);
        participants.MapPost("/{id:guid}/conversations", ScheduleConversation.Handle).RequireRoles(Roles.Caseworker, Roles.Practitioner)
            .WithJsonBody<ScheduleConversationRequest>()
            .WithIdempotencyKey()
            .WithName("ScheduleConversation").WithSummary("Schedule a conversation").WithDescription(IdempotencyKeys.Description)
            .Documented<Scheduling.ScheduledConversation>(StatusCodes.Status201Created, writeProblems);
        participants.MapGet("/{id:guid}/conversations", ListConversations.Handle).RequireRoles(Roles.Caseworker, Roles.Practitioner)
            .WithName("ListConversations").WithSummary("The participant's conversations, earliest first")
            .Documented(StatusCodes.Status404NotFound);
        participants.MapGet("/{id:guid}/trajectory", GetTrajectory.Handle).RequireRoles(Roles.Caseworker, Roles.Practitioner)
            .WithName("GetScaleTrajectory")
            .WithSummary("The 0-10 scale by conversation of the latest episode, with the best hopes, each next small step and what was said of it at the next conversation")
            .Documented<ScaleTrajectory>(StatusCodes.Status200OK, StatusCodes.Status404NotFound);
        participants.MapPost("/{id:guid}/end", EndEpisode.Handle).RequireRoles(Roles.Caseworker, Roles.Practitioner).WithJsonBody<EndEpisodeRequest>()
            .WithName("EndEpisode").WithSummary("End the participant's episode with a reason")
            .Documented<EndedEpisode>(StatusCodes.Status200OK, writeProblems);

        var conversations = endpoints.MapGroup("/api/v1/conversations").WithTags("Conversations");
        conversations.MapGet("/{id:guid}", GetConversation.Handle).RequireRoles(Roles.Caseworker, Roles.Practitioner)
            .WithName("GetConversation").WithSummary("One conversation, with its record once held")
            .Documented(StatusCodes.Status404NotFound);
        conversations.MapPost("/{id:guid}/record", RecordConversation.Handle).RequireRoles(Roles.Caseworker, Roles.Practitioner).WithJsonBody<RecordConversationRequest>()
            .WithName("RecordConversation").WithSummary("Record a held solution-focused conversation")
            .Documented<RecordedConversation>(StatusCodes.Status200OK, writeProblems);
        conversations.MapPost("/{id:guid}/missed", RecordMissedConversation.Handle).RequireRoles(Roles.Caseworker, Roles.Practitioner).WithJsonBody<RecordMissedConversationRequest>()
            .WithName("RecordMissedConversation").WithSummary("Record a conversation that was missed or cancelled")
            .Documented<MissedConversation>(StatusCodes.Status200OK, writeProblems);

        var safeguarding = endpoints.MapGroup("/api/v1/safeguarding/concerns").WithTags("Safeguarding").RequireRoles(Roles.Caseworker);
        safeguarding.MapGet("", ListConcerns.Handle)
            .WithName("ListSafeguardingConcerns").WithSummary("Safeguarding concerns, oldest first (caseworker)")
            .Documented();
        safeguarding.MapPost("/{id:guid}/acknowledge", AcknowledgeConcern.Handle).WithJsonBody<AcknowledgeConcernRequest>()
            .WithName("AcknowledgeSafeguardingConcern").WithSummary("Acknowledge a concern with the action taken (caseworker)")
            .Documented<SafeguardingConcern>(StatusCodes.Status200OK, writeProblems);

        var practitioners = endpoints.MapGroup("/api/v1/practitioners").WithTags("Conversations");
        practitioners.MapGet("/needs-reassignment", NeedsReassignment.Handle).RequireRoles(Roles.Caseworker)
            .WithName("ParticipantsNeedingReassignment").WithSummary("Open participants whose practitioner is suspended or withdrawn (caseworker)")
            .Documented();
        practitioners.MapGet("/{id:guid}/caseload", GetCaseload.Handle).RequireRoles(Roles.Caseworker, Roles.Practitioner)
            .WithName("GetCaseload").WithSummary("A practitioner's participants, next conversations and days since last contact")
            .Documented(StatusCodes.Status404NotFound);
        practitioners.MapGet("/{id:guid}/caseload-health", GetCaseloadHealth.Handle).RequireRoles(Roles.Caseworker, Roles.Practitioner, Roles.Trainer)
            .WithName("GetCaseloadHealth")
            .WithSummary("Prompts to take to supervision: no recent conversation, the scale flat or falling, an open safeguarding concern, a follow-up due")
            .WithDescription("For the practitioner (their own), their supervising trainer and caseworkers. Each prompt names the participant by id " +
                             "and says what it is in a fixed phrase, never the participant's words. The quiet weeks are the setting " +
                             "Conversations:CaseloadHealth:QuietWeeks (3 by default).")
            .Documented<CaseloadHealthReport>(StatusCodes.Status200OK, StatusCodes.Status404NotFound);
        practitioners.MapGet("/{id:guid}/fidelity", GetFidelity.Handle).RequireRoles(Roles.Practitioner, Roles.Trainer)
            .WithName("GetPractitionerFidelity")
            .WithSummary("A practitioner's fidelity self-ratings over time, and each item's answers over them all (trainer; the practitioner their own)")
            .Documented<FidelityOverTime>(StatusCodes.Status200OK, StatusCodes.Status404NotFound);
    }
}
