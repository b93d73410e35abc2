using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http;
using WorkingConversations.BuildingBlocks.Auth;

namespace WorkingConversations.Referrals.Fhir;

/// <summary>
/// Who may use the FHIR routes: partner keys. The routes check it themselves, so that a refusal is an OperationOutcome
/// like every other answer there, not the JSON problem the rest of the API answers 401 and 403 with.
/// </summary>
internal static class FhirAccess
{
    public static FhirResult? Refuse(HttpContext http, string element)
    {
        if (http.User.Identity?.IsAuthenticated != true)
        {
            return new FhirResult(StatusCodes.Status401Unauthorized, OperationOutcomes.Of(
                new FhirIssue(element, "needs a valid API key: send 'Authorization: Bearer <api key>'.", OperationOutcome.IssueType.Login), FhirEdge.DetailsCodeOf(401)));
        }

        var actor = Actor.From(http.User);
        if (!actor.IsIn(Roles.Partner) || actor.PartnerId is null)
        {
            return new FhirResult(StatusCodes.Status403Forbidden, OperationOutcomes.Of(
                new FhirIssue(element, "is for partner keys only: this key's role may not use the FHIR routes.", OperationOutcome.IssueType.Forbidden),
                FhirEdge.DetailsCodeOf(403)));
        }

        return null;
    }
}
