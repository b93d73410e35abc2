using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WorkingConversations.BuildingBlocks.Auth;
using WorkingConversations.BuildingBlocks.Http;
using WorkingConversations.BuildingBlocks.Modules;
using WorkingConversations.BuildingBlocks.Operations.DeadLetters;
using WorkingConversations.BuildingBlocks.Operations.Projections;

namespace WorkingConversations.BuildingBlocks.Operations;

/// <summary>
/// The operators' tools for the plumbing, not the domain: dead letters (list, replay, delete) and the asynchronous
/// projections (state and lag, pause, resume, restart, rebuild), for administrators only; and the projections' part of
/// <c>/health/ready</c> and of the metrics. Dead letters have administrators' pages too.
/// </summary>
public sealed class OperationsModule : IModule
{
    public string Name => "Operations";

    /// <summary>It keeps no documents: dead letters are Wolverine's, projection progress is Marten's.</summary>
    public string Schema => "wolverine";

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(ProjectionLagSettings.From(configuration));
        services.AddSingleton<ProjectionRebuilder>();
        services.AddSingleton<ProjectionStates>();
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<ProjectionMonitor>(sp).Observe());
        services.AddHostedService(sp => sp.GetRequiredService<ProjectionMonitor>());
        services.AddHealthChecks().AddCheck<ProjectionHealthCheck>("projections", tags: ["ready"]);
    }

    public void DescribeWeb(Web.WebCatalog web) => DeadLetterPages.Describe(web);

    /// <summary>The administrators' pages of dead letters, beside the API's routes of <see cref="MapEndpoints"/>.</summary>
    public void MapPages(RouteGroupBuilder pages) => DeadLetterPages.Map(pages);

    public void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        var admin = endpoints.MapGroup("/api/v1/admin").WithTags("Operations").RequireRoles(Roles.Admin);

        var deadLetters = admin.MapGroup("/dead-letters");
        deadLetters.MapGet("", DeadLetterEndpoints.List).WithName("ListDeadLetters")
            .WithSummary("Messages that failed every retry, oldest failure first (admin)")
            .WithDescription("Filters: messageType (as listed), exceptionType (full name), since (failed at or after, ISO 8601). limit: 1 to 500, " +
                             "default 50; pass nextCursor back as cursor. Bodies are never shown. Dead letters are deleted after " +
                             "Messaging:DeadLetterRetentionDays (14).")
            .Documented();
        deadLetters.MapPost("/{id:guid}/replay", DeadLetterEndpoints.ReplayOne).WithName("ReplayDeadLetter")
            .WithSummary("Send one dead letter again (admin)")
            .WithDescription("Marks it for replay: the durability agent moves it back to its queue within a few seconds, and its handler runs again.")
            .Documented(StatusCodes.Status404NotFound);
        deadLetters.MapPost("/replay", DeadLetterEndpoints.ReplayMatching).WithName("ReplayDeadLetters")
            .WithSummary("Send again every dead letter that matches the filters (admin)")
            .WithDescription("Query: messageType, exceptionType, since; at least one. Answers how many matched.")
            .Documented();
        deadLetters.MapDelete("/{id:guid}", DeadLetterEndpoints.Delete).WithName("DeleteDeadLetter")
            .WithSummary("Delete a dead letter without sending it (admin)").Documented(StatusCodes.Status404NotFound);

        var projections = admin.MapGroup("/projections");
        projections.MapGet("", ProjectionEndpoints.List).WithName("ListProjections")
            .WithSummary("Each asynchronous projection's state and lag (admin)")
            .WithDescription("state: running, paused, stopped (on a failure it will not recover from by itself: see failure), unassigned or " +
                             "rebuilding (with its progress). behindEvents and behindSeconds (the age of the oldest event not folded yet).")
            .Documented();
        projections.MapPost("/{name}/pause", ProjectionEndpoints.Pause).WithName("PauseProjection")
            .WithSummary("Pause a projection on every node (admin)").Documented(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        projections.MapPost("/{name}/resume", ProjectionEndpoints.Resume).WithName("ResumeProjection")
            .WithSummary("Resume a paused projection (admin)").Documented(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        projections.MapPost("/{name}/restart", ProjectionEndpoints.Restart).WithName("RestartProjection")
            .WithSummary("Restart a projection from its stored position (admin)").Documented(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        projections.MapPost("/{name}/rebuild", ProjectionEndpoints.Rebuild).WithName("RebuildProjection")
            .WithSummary("Rebuild one projection from the first event while the others carry on (admin)")
            .WithDescription("Pauses it on every node, rebuilds it on this node and lets it go again. 202 at once; GET shows the progress. " +
                             "Its own reads see it partly filled until it is done.")
            .Documented(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
    }
}
