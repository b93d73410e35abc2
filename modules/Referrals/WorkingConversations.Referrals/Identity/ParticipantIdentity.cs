namespace WorkingConversations.Referrals.Identity;

/// <summary>
/// The person behind a participant journey. Kept apart from the event stream so that erasure can delete it; the match
/// keys are keyed hashes, so duplicate-person detection never needs the plain details in an index. The personal
/// fields are <see cref="SealedText"/>: AES-GCM encrypted in the database with <c>Referrals:IdentityEncryptionKey</c>.
/// </summary>
internal sealed record ParticipantIdentity(
    Guid Id,
    SealedText GivenName,
    SealedText FamilyName,
    SealedText DateOfBirth,
    SealedText? Postcode,
    SealedText? NhsNumber,
    SealedText? Email,
    SealedText? Phone,
    string? NhsKey,
    string? DemographicKey,
    DateTimeOffset FirstReferredAt)
{
    /// <summary>The key a search by name and date of birth finds the person under (<c>ReferralRules.NameAndBirthKey</c>).</summary>
    public string? SearchKey { get; init; }
}
