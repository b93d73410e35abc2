using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using Marten;
using Microsoft.AspNetCore.Http;
using WorkingConversations.BuildingBlocks.Auth;
using WorkingConversations.Referrals.Views;

namespace WorkingConversations.Referrals.Fhir;

/// <summary><c>GET /fhir/R4/ServiceRequest/{id}</c>: the partner's own referral as a ServiceRequest; another partner's is not found.</summary>
internal static class ReadServiceRequest
{
    public static async Task<IResult> Handle(string id, HttpContext http, IQuerySession session, CancellationToken ct)
    {
        if (FhirAccess.Refuse(http, "ServiceRequest") is { } refused) return refused;
        var actor = Actor.From(http.User);
        var view = Guid.TryParse(id, out var referralId) ? await session.LoadAsync<ReferralView>(referralId, ct) : null;
        if (view is null || view.PartnerId != actor.PartnerId)
        {
            return new FhirResult(StatusCodes.Status404NotFound, OperationOutcomes.Of(
                new FhirIssue("ServiceRequest.id", $"No ServiceRequest of this partner has the id {id}.", OperationOutcome.IssueType.NotFound),
                FhirEdge.DetailsCodeOf(404)));
        }

        var receipt = await session.Query<FhirMessageReceipt>().FirstOrDefaultAsync(r => r.ReferralId == view.Id, ct);
        return new FhirResult(StatusCodes.Status200OK, ServiceRequestMapping.From(view, receipt));
    }
}
