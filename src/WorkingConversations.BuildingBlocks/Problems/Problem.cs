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

// Until every module writes through the write step: the problem factories the old endpoints return.
public static class LegacyProblem
{
    public static ProblemHttpResult Conflict(string detail, IDictionary<string, object?>? extensions = null) =>
        Microsoft.AspNetCore.Http.TypedResults.Problem(detail, statusCode: 409, title: "Conflict", type: ProblemTypes.Conflict, extensions: extensions);

    public static ProblemHttpResult Unprocessable(string title, string detail, IDictionary<string, object?>? extensions = null) =>
        Microsoft.AspNetCore.Http.TypedResults.Problem(detail, statusCode: 422, title: title, type: ProblemTypes.Unprocessable, extensions: extensions);

    public static ProblemHttpResult LostRace(string detail) =>
        Conflict(detail, new Dictionary<string, object?> { [Refusal.RetryMember] = true });

    public static ProblemHttpResult? CheckIfMatch(Microsoft.AspNetCore.Http.HttpRequest request, long currentVersion) =>
        Journey.JourneyConcurrency.Allows(request.Headers.IfMatch.ToString(), currentVersion) ? null : Refusal.PreconditionFailed(currentVersion).AsProblem();

    public static ProblemHttpResult? CheckIfMatch<T>(Microsoft.AspNetCore.Http.HttpRequest request, JasperFx.Events.IEventStream<T> stream) where T : notnull =>
        CheckIfMatch(request, stream.StartingVersion ?? 0);
}
