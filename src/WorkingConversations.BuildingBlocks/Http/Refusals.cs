using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using WorkingConversations.BuildingBlocks.Writing;

namespace WorkingConversations.BuildingBlocks.Http;

/// <summary>The one place a <see cref="Refusal"/> becomes an RFC 9457 problem response.</summary>
public static class Refusals
{
    /// <summary>A validation refusal is a validation problem (400, <c>errors</c>); any other a problem of its type's status.</summary>
    public static IResult ToProblem(this Refusal refusal) =>
        refusal.Type == ProblemTypes.Validation ? refusal.AsValidationProblem() : refusal.AsProblem();

    public static ProblemHttpResult AsProblem(this Refusal refusal)
    {
        var extensions = new Dictionary<string, object?>(refusal.Extensions);
        // Outside validation, the fields a refusal names travel as the same `errors` member (unmet requirements).
        if (refusal.Errors.Count > 0) extensions["errors"] = refusal.Errors;
        return TypedResults.Problem(refusal.Detail, statusCode: ProblemTypes.StatusOf(refusal.Type), title: refusal.Title ?? ProblemTypes.TitleOf(refusal.Type),
            type: refusal.Type, extensions: extensions);
    }

    public static ValidationProblem AsValidationProblem(this Refusal refusal) =>
        TypedResults.ValidationProblem(refusal.Errors, refusal.Detail, title: refusal.Title ?? ProblemTypes.TitleOf(refusal.Type), type: refusal.Type,
            extensions: refusal.Extensions.Count == 0 ? null : new Dictionary<string, object?>(refusal.Extensions));

    /// <summary>The validation problem of every failing field at once.</summary>
    public static ValidationProblem ToProblem(this Validation validation) => validation.ToRefusal().AsValidationProblem();
}
