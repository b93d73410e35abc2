using System.Security.Cryptography;
using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Http.Idempotency;
using WorkingConversations.BuildingBlocks.Writing;

namespace WorkingConversations.Referrals.Fhir;

/// <summary>A FHIR resource answered as <c>application/fhir+json</c>.</summary>
internal sealed class FhirResult(int status, Resource resource, string? location = null) : IResult, IStatusCodeHttpResult
{
    public int? StatusCode => status;

    public Resource Resource => resource;

    public async Task ExecuteAsync(HttpContext http)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = FhirJson.MediaType + "; charset=utf-8";
        if (location is not null) http.Response.Headers.Location = location;
        await http.Response.Body.WriteAsync(FhirJson.SerializeToUtf8Bytes(resource), http.RequestAborted);
    }
}

/// <summary>
/// The edge of the FHIR routes: whatever answers a request there (the route, the write step, the idempotency filter)
/// reaches the caller as FHIR. A problem becomes an OperationOutcome of the same status whose issues name the element
/// and the rule; a JSON answer (the write step's, or an idempotent replay) is sent as <c>application/fhir+json</c>.
/// </summary>
internal static class FhirEdge
{
    /// <summary>The extension member a refusal names its FHIR issue type with (<c>duplicate</c>).</summary>
    public const string IssueTypeMember = "fhirIssueType";

    /// <summary>The extension member a refusal names its element with, as a FHIRPath expression.</summary>
    public const string ExpressionMember = "fhirExpression";

    public static RouteHandlerBuilder AnswersInFhir(this RouteHandlerBuilder route, string element) =>
        route.WithMetadata(new FhirElement(element)).AddEndpointFilter(async (context, next) => InFhir(await next(context), element));

    public static object? InFhir(object? result, string element) => result switch
    {
        FhirResult => result,
        ValidationProblem v => Outcome(v.StatusCode, v.ProblemDetails, element, v.ProblemDetails.Errors),
        ProblemHttpResult p => Outcome(p.StatusCode, p.ProblemDetails, element,
            p.ProblemDetails.Extensions.TryGetValue("errors", out var e) && e is IReadOnlyDictionary<string, string[]> errors ? errors : null),
        IResult other => new FhirMediaType(other),
        _ => result,
    };

    /// <summary>The OperationOutcome of a refusal, named at <paramref name="element"/> unless it names its own.</summary>
    public static FhirResult Outcome(Refusal refusal, string element) =>
        (FhirResult)InFhir(BuildingBlocks.Http.Refusals.ToProblem(refusal), element)!;

    private static FhirResult Outcome(int status, ProblemDetails problem, string element, IEnumerable<KeyValuePair<string, string[]>>? errors)
    {
        var expression = problem.Extensions.TryGetValue(ExpressionMember, out var named) && named is string path ? path : element;
        var type = problem.Extensions.TryGetValue(IssueTypeMember, out var t) && t is OperationOutcome.IssueType issueType ? issueType : IssueTypeOf(status);
        var issues = errors?.Any() == true
            ? errors!.SelectMany(e => e.Value.Select(rule => new FhirIssue(expression, $"{e.Key} {rule}", type)))
            : [new FhirIssue(expression, problem.Detail ?? problem.Title ?? "refused.", type)];
        return new FhirResult(status, OperationOutcomes.Of(issues, DetailsCodeOf(status)));
    }

    public static OperationOutcome.IssueType IssueTypeOf(int status) => status switch
    {
        400 => OperationOutcome.IssueType.Invalid,
        401 => OperationOutcome.IssueType.Login,
        403 => OperationOutcome.IssueType.Forbidden,
        404 => OperationOutcome.IssueType.NotFound,
        409 or 412 => OperationOutcome.IssueType.Conflict,
        413 => OperationOutcome.IssueType.TooCostly,
        415 => OperationOutcome.IssueType.NotSupported,
        422 => OperationOutcome.IssueType.BusinessRule,
        429 => OperationOutcome.IssueType.Throttled,
        _ => OperationOutcome.IssueType.Exception,
    };

    /// <summary>The Booking and Referral Standard's receiver codes for <c>issue.details</c>.</summary>
    public static string DetailsCodeOf(int status) => status switch
    {
        400 => "REC_BAD_REQUEST",
        401 => "REC_UNAUTHORIZED",
        403 => "REC_FORBIDDEN",
        404 => "REC_NOT_FOUND",
        409 => "REC_CONFLICT",
        412 => "REC_PRECONDITION_FAILED",
        413 => "REC_PAYLOAD_TOO_LARGE",
        415 => "REC_UNSUPPORTED_MEDIA_TYPE",
        422 => "REC_UNPROCESSABLE_ENTITY",
        429 => "REC_TOO_MANY_REQUESTS",
        _ => "REC_SERVER_ERROR",
    };

    /// <summary>Another answer with its JSON sent as FHIR JSON.</summary>
    private sealed class FhirMediaType(IResult inner) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => (inner as IStatusCodeHttpResult)?.StatusCode;

        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.OnStarting(() =>
            {
                if (http.Response.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true)
                {
                    http.Response.ContentType = FhirJson.MediaType + "; charset=utf-8";
                }

                return System.Threading.Tasks.Task.CompletedTask;
            });
            return inner.ExecuteAsync(http);
        }
    }
}

/// <summary>
/// The body of a FHIR route, read by the route itself: at most <see cref="MaxBytes"/>, FHIR JSON (or plain JSON), and the
/// hash of its raw bytes, for an <c>Idempotency-Key</c>. Parsing is the route's, so that every error of the document is
/// reported at its element.
/// </summary>
internal sealed class FhirBody : IJsonBody
{
    /// <summary>A referral message is a few kilobytes: the same 64 KB as every other body (the JSON referral route's included).</summary>
    public const long MaxBytes = 64 * 1024;

    private FhirBody(byte[] bytes, IResult? problem, string sha256)
    {
        Bytes = bytes;
        Problem = problem;
        Sha256 = sha256;
    }

    public byte[] Bytes { get; }

    public IResult? Problem { get; }

    public string Sha256 { get; }

    public static async ValueTask<FhirBody?> BindAsync(HttpContext http, System.Reflection.ParameterInfo parameter)
    {
        var request = http.Request;
        if (request.ContentLength > MaxBytes) return Failed(TooLarge());
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var media) ||
            !(media.MediaType.Equals(FhirJson.MediaType, StringComparison.OrdinalIgnoreCase) || media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)))
        {
            return Failed(new FhirResult(StatusCodes.Status415UnsupportedMediaType, OperationOutcomes.Of(
                new FhirIssue("Bundle", "must be sent as FHIR JSON, with 'Content-Type: application/fhir+json'.", OperationOutcome.IssueType.NotSupported),
                FhirEdge.DetailsCodeOf(415))));
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        try
        {
            while ((read = await request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > MaxBytes) return Failed(TooLarge());
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Failed(TooLarge());
        }

        var bytes = buffer.ToArray();
        return new FhirBody(bytes, null, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    private static FhirBody Failed(IResult problem) => new([], problem, "");

    private static FhirResult TooLarge() =>
        new(StatusCodes.Status413PayloadTooLarge, OperationOutcomes.Of(
            new FhirIssue("Bundle", $"is larger than this service accepts ({MaxBytes / 1024} KB).", OperationOutcome.IssueType.TooCostly),
            FhirEdge.DetailsCodeOf(413)));

    /// <summary>The same limit for servers that enforce one per request (Kestrel).</summary>
    public static readonly BodySizeLimit Limit = new(MaxBytes);
}
