using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using WorkingConversations.BuildingBlocks.Auth;
using WorkingConversations.BuildingBlocks.Journey;
using WorkingConversations.BuildingBlocks.Http;
using WorkingConversations.BuildingBlocks.Modules;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Web;
using WorkingConversations.BuildingBlocks.Volunteers;
using WorkingConversations.Journey.Pages;
using WorkingConversations.Journey.Auditing;
using WorkingConversations.Journey.Contracts;
using WorkingConversations.Journey.Erasing;
using WorkingConversations.Journey.Exporting;
using WorkingConversations.Journey.ReadingHistory;
using WorkingConversations.Journey.ReadingState;

using WorkingConversations.BuildingBlocks.Http.Idempotency;

namespace WorkingConversations.Journey;

/// <summary>The participant journey's read side, audit, export and erasure: generic over whatever the modules registered in the catalog.</summary>
public sealed class JourneyModule : IModule
{
    public const string ModuleName = "Journey";
    public string Name => ModuleName;
    public string Schema => "journey";

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(AuditSettings.From(configuration));
        services.AddSingleton<IReadAudit, JourneyReadAudit>();
        services.AddHostedService<ProductionAuditKeyCheck>();
    }

    public void ConfigureMarten(StoreOptions options)
    {
        options.Schema.For<JourneyRead>().DatabaseSchemaName(Schema)
            .Index(x => x.ParticipantId)
            .Index(x => x.At)
            .Index(x => x.ActorKeyId);
    }

    public void DescribeJourney(JourneyCatalog catalog)
    {
        catalog.Add<ParticipantErased>(ModuleName, "participant-erased", _ => "Participant erased: identity deleted, protected text masked");
    }

    public void DescribeVolunteers(VolunteerCatalog catalog) => VolunteerReads.Describe(catalog);

    public void DescribeWeb(WebCatalog web) => JourneyPages.Describe(web);

    public void MapPages(RouteGroupBuilder pages) => JourneyPages.Map(pages);

    public void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        var participants = endpoints.MapGroup("/api/v1/participants").WithTags("Participants");
        participants.MapGet("/{id:guid}", GetJourneyState.Handle).RequireRoles(Roles.Caseworker, Roles.Practitioner)
            .WithName("GetParticipantJourney").WithSummary("The journey's state now, asOf a time or at a version (ETag: the stream version)")
            .WithDescription("Give asOf (ISO 8601; encode '+' as %2B, or use Z) or version, not both. Caseworkers read every journey, a " +
                             "practitioner only a participant they hold (404 otherwise). Every read is audited.")
            .Documented(StatusCodes.Status404NotFound);
        participants.MapGet("/{id:guid}/history", GetHistory.Handle).RequireRoles(Roles.Caseworker, Roles.Practitioner)
            .WithName("GetParticipantHistory").WithSummary("The participant's whole history as a timeline")
            .WithDescription("order=asc|desc, module, type (a wire name), limit (1 to 500, default 50), cursor (nextCursor of the previous page). " +
                             "Caseworkers read every journey, a practitioner only a participant they hold (404 otherwise). Every read is audited.")
            .Documented(StatusCodes.Status404NotFound);
        participants.MapGet("/{id:guid}/export", ExportJourney.Handle).RequireRoles(Roles.Caseworker)
            .WithName("ExportParticipant").WithSummary("Everything held about the person (subject access request)")
            .WithDescription("Each module's sections (identity, questionnaires), every event with its data, and every recorded read of the journey.")
            .Documented(StatusCodes.Status404NotFound);
        participants.MapPost("/{id:guid}/erasure", EraseParticipant.Handle).RequireRoles(Roles.Caseworker).WithJsonBody<NoFields>(optional: true)
            .WithName("EraseParticipant").WithSummary("Erase the person: identity deleted, protected text masked; aggregates keep counting")
            .WithDescription("Send the journey state's ETag as If-Match to erase only the version you read: 412 when it has changed since, " +
                             "409 when another write races the erasure.")
            .Documented<ErasureAccepted>(StatusCodes.Status202Accepted, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict,
                StatusCodes.Status412PreconditionFailed);

        endpoints.MapGet("/api/v1/audit", ListReads.Handle).RequireRoles(Roles.Admin).WithTags("Administration")
            .WithName("ListJourneyReads").WithSummary("Who read which participant's journey, newest first")
            .WithDescription("Filters: participantId, actor (an API key id or name), from and to (inclusive, ISO 8601); limit and cursor as every list.")
            .Documented();
    }
}
