using Hl7.Fhir.Model;
using WorkingConversations.Referrals.Contracts;
using WorkingConversations.Referrals.Views;

namespace WorkingConversations.Referrals.Fhir;

/// <summary>
/// Pure: a referral as the partner sees it, as a FHIR R4 ServiceRequest. No clinical detail: no reason, no risk
/// indicators, no identity of the person; only what <c>GET /api/v1/referrals/{id}</c> shows a partner.
/// </summary>
internal static class ServiceRequestMapping
{
    /// <summary>Our statuses onto the ServiceRequest status codes (docs/modules/referrals.md, FHIR).</summary>
    public static RequestStatus StatusOf(string status) => status switch
    {
        ReferralStatuses.Received or ReferralStatuses.Accepted or ReferralStatuses.InConversation => RequestStatus.Active,
        ReferralStatuses.Waitlisted => RequestStatus.OnHold,
        ReferralStatuses.Declined or ReferralStatuses.Withdrawn => RequestStatus.Revoked,
        ReferralStatuses.Ended => RequestStatus.Completed,
        _ => RequestStatus.Unknown,
    };

    public static ServiceRequest From(ReferralView view, FhirMessageReceipt? receipt)
    {
        var partner = GetReferral.ForPartner(view);
        var request = new ServiceRequest
        {
            Id = view.Id.ToString(),
            Meta = new Meta { LastUpdated = view.UpdatedAt },
            Status = StatusOf(view.Status),
            Intent = RequestIntent.Plan,
            Subject = new ResourceReference { Identifier = new Identifier(FhirUris.Participant, view.ParticipantId.ToString()) },
            AuthoredOn = view.ReceivedAt.ToString("o"),
            Extension = [new Extension(FhirUris.ReferralStatusExtension, new Code(view.Status))],
        };
        request.Identifier.Add(new Identifier(FhirUris.PartnerReference, view.PartnerReference));
        if (receipt is { RequestIdentifierValue: { } value } && (receipt.RequestIdentifierSystem ?? FhirUris.PartnerReference) != FhirUris.PartnerReference)
        {
            request.Identifier.Add(new Identifier(receipt.RequestIdentifierSystem, value));
        }

        // What the partner may read of the history: each change, with the triage reason and signposting it needs to
        // tell the person; the reasons of the episode's own progress are not shown to partners.
        foreach (var change in partner.StatusHistory)
        {
            var text = $"{change.Status} at {change.At:o}";
            if (change.Reason is { } reason) text += $": {reason}";
            if (change.SignpostedTo is { } signposted) text += $" Signposted to: {signposted}.";
            request.Note.Add(new Annotation { Text = new Markdown(text), Time = change.At.ToString("o") });
        }

        return request;
    }
}
