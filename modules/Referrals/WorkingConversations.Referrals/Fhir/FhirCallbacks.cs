using Hl7.Fhir.Model;
using WorkingConversations.Referrals.Contracts;

namespace WorkingConversations.Referrals.Fhir;

/// <summary>
/// Pure: a status change as the FHIR message a partner registered with <c>callbackFormat: fhir</c> receives, a
/// <c>servicerequest-response</c> Bundle whose focus is the ServiceRequest in its new status. The Bundle id is the
/// callback id, the same on every retry, so the partner can de-duplicate on either.
/// </summary>
internal static class FhirCallbacks
{
    public static byte[] Body(ReferralStatusChanged changed, FhirMessageReceipt? receipt) => FhirJson.SerializeToUtf8Bytes(Message(changed, receipt));

    public static Bundle Message(ReferralStatusChanged changed, FhirMessageReceipt? receipt)
    {
        var request = new ServiceRequest
        {
            Id = changed.ReferralId.ToString(),
            Meta = new Meta { LastUpdated = changed.At },
            Status = ServiceRequestMapping.StatusOf(changed.Status),
            Intent = RequestIntent.Plan,
            Subject = new ResourceReference { Identifier = new Identifier(FhirUris.Participant, changed.ParticipantId.ToString()) },
            Extension = [new Extension(FhirUris.ReferralStatusExtension, new Code(changed.Status))],
        };
        request.Identifier.Add(new Identifier(FhirUris.PartnerReference, changed.PartnerReference));
        if (receipt is { RequestIdentifierValue: { } value } && receipt.RequestIdentifierSystem is { } system && system != FhirUris.PartnerReference)
        {
            request.Identifier.Add(new Identifier(system, value));
        }

        // A referral that came as a FHIR message is answered as a response to it; one from the JSON API has no message to answer.
        return FhirMessages.Message(FhirUris.ServiceRequestResponse, request, changed.At, changed.CallbackId, respondingTo: receipt?.BundleId);
    }
}
