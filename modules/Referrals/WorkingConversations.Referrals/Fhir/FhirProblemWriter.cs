using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace WorkingConversations.Referrals.Fhir;

/// <summary>
/// Writes every problem answered under <c>/fhir</c> as an OperationOutcome: the refusals made before a FHIR route runs
/// (routing's 415, the all-zero id guard, status codes without a body, the exception handler's 503) never pass through
/// the route's own edge filter, and a FHIR client reads OperationOutcomes only. Registered ahead of the framework's
/// JSON writer, which takes every other path.
/// </summary>
internal sealed class FhirProblemWriter : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => IsFhir(context.HttpContext.Request.Path);

    public static bool IsFhir(PathString path) => path.StartsWithSegments("/fhir");

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var http = context.HttpContext;
        var problem = context.ProblemDetails;
        var status = problem.Status ?? (http.Response.StatusCode >= 400 ? http.Response.StatusCode : StatusCodes.Status500InternalServerError);
        problem.Status = status;
        IResult answer = problem is HttpValidationProblemDetails invalid
            ? TypedResults.ValidationProblem(invalid.Errors, invalid.Detail, invalid.Instance, invalid.Title, invalid.Type)
            : TypedResults.Problem(problem);
        var result = (IResult)FhirEdge.InFhir(answer, ElementOf(http))!;
        return new ValueTask(result.ExecuteAsync(http));
    }

    /// <summary>The resource the route answers with, as its edge filter names it, or the resource of the path.</summary>
    private static string ElementOf(HttpContext http) =>
        http.GetEndpoint()?.Metadata.GetMetadata<FhirElement>()?.Name
        ?? (http.Request.Path.Value?.Contains("/ServiceRequest", StringComparison.Ordinal) == true ? "ServiceRequest" : "Bundle");
}

/// <summary>The resource a FHIR route's refusals are named at.</summary>
internal sealed record FhirElement(string Name);
