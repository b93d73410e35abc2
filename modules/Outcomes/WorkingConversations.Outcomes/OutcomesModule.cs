using JasperFx.Events.Projections;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using WorkingConversations.BuildingBlocks.Auth;
using WorkingConversations.BuildingBlocks.Journey;
using WorkingConversations.BuildingBlocks.Modules;
using WorkingConversations.Outcomes.Contracts;
using WorkingConversations.Outcomes.Projections;
using WorkingConversations.Outcomes.Recording;

namespace WorkingConversations.Outcomes;

public sealed class OutcomesModule : IModule
{
    public const string ModuleName = "Outcomes";
    public string Name => ModuleName;
    public string Schema => "outcomes";

    public void ConfigureMarten(StoreOptions options)
    {
        options.Schema.For<EpisodeOutcome>().DatabaseSchemaName(Schema);
        options.Projections.LiveStreamAggregation<OutcomesJourney>();
        options.Projections.Add<EpisodeOutcomeProjection>(ProjectionLifecycle.Inline);
    }

    public void DescribeJourney(JourneyCatalog catalog)
    {
        catalog
            .Add<QuestionnaireRecorded>(ModuleName, "questionnaire-recorded", e => $"{e.Instrument} recorded at {e.Timepoint}" + (e.Total is null ? "" : $": total {e.Total}") + (e.Band is null ? "" : $" ({e.Band})"))
            .Add<CircumstancesRecorded>(ModuleName, "circumstances-recorded", e => $"Circumstances recorded at {e.Timepoint}");
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        var participants = endpoints.MapGroup("/api/v1/participants").WithTags("Outcomes");
        participants.MapPost("/{id:guid}/questionnaires", RecordQuestionnaire.Handle).RequireRoles(Roles.Practitioner, Roles.Caseworker)
            .WithName("RecordQuestionnaire").WithSummary("Record a questionnaire; the response carries its scores");
    }
}
