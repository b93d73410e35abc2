using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using WorkingConversations.BuildingBlocks.Http.Idempotency;

namespace WorkingConversations.BuildingBlocks.Http;

/// <summary>
/// What a route answers, for the OpenAPI document: its success, and every problem it can give. Every route reads some
/// input (400) and needs a key of a role (401, 403); the route names the rest (404, 409, 412, 422); a route with an
/// <c>Idempotency-Key</c> adds 422, and every route 429 (the global rate limit), found from the route's own metadata.
/// </summary>
public static class RouteDocumentation
{
    /// <summary>A route that answers <typeparamref name="TSuccess"/> with <paramref name="status"/> (writes, which answer through the write step).</summary>
    public static RouteHandlerBuilder Documented<TSuccess>(this RouteHandlerBuilder route, int status, params int[] problems) =>
        route.Produces<TSuccess>(status).Documented(problems);

    /// <summary>A route whose typed results already describe its success (reads).</summary>
    public static RouteHandlerBuilder Documented(this RouteHandlerBuilder route, params int[] problems)
    {
        route.ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);
        foreach (var status in problems) route.ProducesProblem(status);
        // Every route is behind the global rate limit.
        route.ProducesProblem(StatusCodes.Status429TooManyRequests);
        // Group conventions are only known once the endpoint is built.
        route.Finally(endpoint =>
        {
            if (endpoint.Metadata.OfType<IdempotencyKeyMetadata>().Any()) endpoint.Metadata.Add(Problem(StatusCodes.Status422UnprocessableEntity));
        });
        return route;
    }

    private static ProducesResponseTypeMetadata Problem(int status) => new(status, typeof(ProblemDetails), ["application/problem+json"]);
}
