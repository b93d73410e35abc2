namespace WorkingConversations.Referrals.Identity;

/// <summary>
/// The person behind a participant journey. Kept apart from the event stream so that erasure can delete it; the match
/// keys are keyed hashes, so duplicate-person detection never needs the plain details in an index.
/// </summary>
public sealed record ParticipantIdentity(
    Guid Id,
    string GivenName,
    string FamilyName,
    DateOnly DateOfBirth,
    string? Postcode,
    string? NhsNumber,
    string? Email,
    string? Phone,
    string? NhsKey,
    string? DemographicKey,
    DateTimeOffset FirstReferredAt);
