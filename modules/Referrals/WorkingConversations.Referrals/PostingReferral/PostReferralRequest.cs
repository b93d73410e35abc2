namespace WorkingConversations.Referrals.PostingReferral;

// Every property is nullable and init-only so that a missing or null field reaches ReferralValidation, which reports
// all of them at once with their field paths, instead of the JSON reader failing on the first one.
// Ids, statuses and timestamps of receipt are deliberately absent: the service assigns them, and a client that sends
// them has them ignored (there is nothing to bind them to).

/// <summary>The body of <c>POST /api/v1/referrals</c> (camelCase JSON).</summary>
public sealed record PostReferralRequest
{
    /// <summary>The partner's own reference for the referral, up to 100 characters.</summary>
    public string? PartnerReference { get; init; }

    public PersonDetails? Person { get; init; }

    /// <summary>Why the person is referred: free text up to 4000 characters. Protected text.</summary>
    public string? Reason { get; init; }

    public ConsentDetails? Consent { get; init; }

    /// <summary>Zero or more of <see cref="ReferralRules.KnownRiskIndicators"/>, each at most once.</summary>
    public string[]? RiskIndicators { get; init; }

    /// <summary>One of <see cref="ReferralRules.ContactPreferences"/>, when the person has a preference.</summary>
    public string? PreferredContact { get; init; }
}

/// <summary>Who is referred. Personal data: held in the identity document, never in an event.</summary>
public sealed record PersonDetails
{
    public string? GivenName { get; init; }

    public string? FamilyName { get; init; }

    /// <summary>ISO 8601 calendar date, e.g. <c>1990-04-01</c>.</summary>
    public DateOnly? DateOfBirth { get; init; }

    /// <summary>A UK postcode in any case and spacing, e.g. <c>L8 1XY</c> or <c>l81xy</c>.</summary>
    public string? Postcode { get; init; }

    /// <summary>Ten digits, spaces allowed, e.g. <c>943 476 5919</c>.</summary>
    public string? NhsNumber { get; init; }

    public string? Email { get; init; }

    public string? Phone { get; init; }
}

/// <summary>The person's consent to being referred, as recorded by the partner.</summary>
public sealed record ConsentDetails
{
    /// <summary>Must be <c>true</c>: nobody is referred without their consent.</summary>
    public bool? Given { get; init; }

    public DateTimeOffset? RecordedAt { get; init; }

    public string? RecordedBy { get; init; }
}
