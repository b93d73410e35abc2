using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace WorkingConversations.BuildingBlocks;

/// <summary>RFC 9457 problem responses the endpoints return. Every error the API gives goes through here or the exception handler.</summary>
public static class Problem
{
    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(detail, statusCode: 404, title: "Not found", type: ProblemTypes.NotFound);

    public static ProblemHttpResult Conflict(string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail, statusCode: 409, title: "Conflict", type: ProblemTypes.Conflict, extensions: extensions);

    /// <summary>
    /// The member a 409 carries when it is a lost race rather than a refusal: nothing was stored, and sending the same
    /// request again is safe and will most likely succeed.
    /// </summary>
    public const string RetryMember = "retry";

    /// <summary>A 409 for a write that lost a race to another write of the same record (<see cref="RetryMember"/> is true).</summary>
    public static ProblemHttpResult LostRace(string detail) =>
        Conflict(detail, new Dictionary<string, object?> { [RetryMember] = true });

    public static ProblemHttpResult PreconditionFailed(long currentVersion) =>
        TypedResults.Problem($"The resource has changed: it is now at version {currentVersion}. Read it again and retry with the new ETag.",
            statusCode: 412, title: "Precondition failed", type: ProblemTypes.PreconditionFailed,
            extensions: new Dictionary<string, object?> { ["currentVersion"] = currentVersion });

    public static ProblemHttpResult Unprocessable(string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(detail, statusCode: 422, title: title, type: ProblemTypes.Unprocessable, extensions: extensions);

    public static ValidationProblem Validation(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors,
            detail: "The request has invalid fields: " + string.Join(", ", errors.Keys) + ". See 'errors' for each field and the rule it breaks.",
            title: "The request is not valid",
            type: ProblemTypes.Validation);

    public static ValidationProblem Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });
}
