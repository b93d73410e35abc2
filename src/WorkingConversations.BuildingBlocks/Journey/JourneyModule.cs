using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using WorkingConversations.BuildingBlocks.Auth;
using WorkingConversations.BuildingBlocks.Journey.ReadingHistory;
using WorkingConversations.BuildingBlocks.Modules;

namespace WorkingConversations.BuildingBlocks.Journey;

/// <summary>The participant journey's read side: generic over whatever the modules registered in the catalog.</summary>
public sealed class JourneyModule : IModule
{
    public string Name => "Journey";
    public string Schema => "journey";

    public void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        var participants = endpoints.MapGroup("/api/v1/participants").WithTags("Participants");
        participants.MapGet("/{id:guid}/history", GetHistory.Handle).RequireRoles(Roles.Caseworker)
            .WithName("GetParticipantHistory").WithSummary("The participant's whole history as a timeline");
    }
}
