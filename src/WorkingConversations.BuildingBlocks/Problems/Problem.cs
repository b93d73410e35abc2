using Microsoft.AspNetCore.Http.HttpResults;
using WorkingConversations.BuildingBlocks.Http;
using WorkingConversations.BuildingBlocks.Writing;

namespace WorkingConversations.BuildingBlocks;

/// <summary>
/// Problem responses for the routes that read (typed results describe them in OpenAPI). A write's refusals come from its
/// decision as a <see cref="Refusal"/>; these are the same refusals, made into responses at the edge.
/// </summary>
public static class Problem
{
    public static ProblemHttpResult NotFound(string detail) => Refusal.NotFound(detail).AsProblem();

    public static ValidationProblem Validation(string field, string message) => Refusal.Invalid(field, message).AsValidationProblem();
}
