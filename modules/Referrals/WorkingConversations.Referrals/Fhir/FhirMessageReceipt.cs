namespace WorkingConversations.Referrals.Fhir;

/// <summary>
/// A referral message received from a partner, by its Bundle id: inserted in the transaction that records the referral,
/// so that a repeat of the same Bundle id, even after the host went down between the commit and the answer, finds it and
/// is answered as a duplicate instead of becoming a second referral. Kept as long as the referral; it holds no personal
/// data (ids, and the partner's identifier of the ServiceRequest).
/// </summary>
internal sealed record FhirMessageReceipt(
    string Id,
    Guid PartnerId,
    string BundleId,
    Guid ReferralId,
    string? RequestIdentifierSystem,
    string? RequestIdentifierValue,
    DateTimeOffset ReceivedAt)
{
    /// <summary>Bundle ids are the sender's: two partners may use the same one without meeting.</summary>
    public static string IdOf(Guid partnerId, string bundleId) => $"{partnerId}|{bundleId}";
}
