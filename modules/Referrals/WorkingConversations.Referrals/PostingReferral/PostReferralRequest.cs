using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace WorkingConversations.Referrals.PostingReferral;

// Every property is nullable and init-only so that a missing or null field reaches ReferralValidation, which reports
// all of them at once with their field paths, instead of the JSON reader failing on the first one.
// Ids, statuses and timestamps of receipt are deliberately absent: the service assigns them, and a client that sends
// them has them ignored (there is nothing to bind them to).
// The DataAnnotations attributes only describe the rules in the OpenAPI document; ReferralValidation enforces them.

/// <summary>The body of <c>POST /api/v1/referrals</c> (camelCase JSON).</summary>
[Description("A referral. Every failing field is reported at once in a 400 problem under its path (e.g. person.dateOfBirth). " +
             "Ids, statuses and receipt times are assigned by the service; if sent, they are ignored. At most 64 KB.")]
internal sealed record PostReferralRequest
{
    /// <summary>The partner's own reference for the referral, up to 100 characters.</summary>
    [Required, MaxLength(ReferralValidation.PartnerReferenceMaxLength)]
    [Description("Required. The partner's own reference for the referral, at most 100 characters. Sent back in every status callback.")]
    public string? PartnerReference { get; init; }

    [Required]
    [Description("Required. Who is referred. Held apart from the journey's events and deleted on erasure.")]
    public PersonDetails? Person { get; init; }

    /// <summary>Why the person is referred: free text up to 4000 characters. Protected text.</summary>
    [Required, MaxLength(ReferralValidation.ReasonMaxLength)]
    [Description("Required. Why the person is referred, at most 4000 characters. Protected: masked on erasure; never shown to partners.")]
    public string? Reason { get; init; }

    [Required]
    [Description("Required. The person's consent, as recorded by the partner; given must be true.")]
    public ConsentDetails? Consent { get; init; }

    /// <summary>Zero or more of <see cref="ReferralRules.KnownRiskIndicators"/>, each at most once.</summary>
    [MaxLength(ReferralValidation.MaxRiskIndicators)]
    [Description("Optional. At most 20, each once, each one of: self-harm-history, self-harm-current, suicidal-thoughts, suicide-attempt-history, " +
                 "harm-to-others, domestic-abuse, substance-misuse, safeguarding-child, safeguarding-adult, recent-crisis.")]
    public string[]? RiskIndicators { get; init; }

    /// <summary>One of <see cref="ReferralRules.ContactPreferences"/>, when the person has a preference.</summary>
    [Description("Optional. One of: phone, email, text, letter, in-person.")]
    public string? PreferredContact { get; init; }
}

/// <summary>Who is referred. Personal data: held in the identity document, never in an event.</summary>
[Description("The person referred. The NHS number, or else the normalised name, date of birth and postcode, find a person referred before.")]
internal sealed record PersonDetails
{
    [Required, MaxLength(ReferralValidation.NameMaxLength)]
    [Description("Required. At most 100 characters, with at least one letter. Any script.")]
    public string? GivenName { get; init; }

    [Required, MaxLength(ReferralValidation.NameMaxLength)]
    [Description("Required. At most 100 characters, with at least one letter. Any script.")]
    public string? FamilyName { get; init; }

    /// <summary>ISO 8601 calendar date, e.g. <c>1990-04-01</c>.</summary>
    [Required]
    [Description("Required. ISO 8601 date such as 1990-04-01: on or after 1900-01-01, in the past, and the person 16 or over on the day received.")]
    public DateOnly? DateOfBirth { get; init; }

    /// <summary>A UK postcode in any case and spacing, e.g. <c>L8 1XY</c> or <c>l81xy</c>.</summary>
    [Description("Optional. A valid UK postcode in any case and spacing, e.g. L8 1XY or l81xy. Omit or send null when unknown; \"\" is refused.")]
    public string? Postcode { get; init; }

    /// <summary>Ten digits, spaces allowed, e.g. <c>943 476 5919</c>.</summary>
    [Description("Optional. Ten digits, spaces allowed (943 476 5919), passing the NHS number modulus-11 check.")]
    public string? NhsNumber { get; init; }

    [MaxLength(ReferralValidation.EmailMaxLength)]
    [Description("Optional. An email address, at most 254 characters.")]
    public string? Email { get; init; }

    [MaxLength(ReferralValidation.PhoneMaxLength)]
    [Description("Optional. At most 30 characters of digits, spaces, + (first only), -, ( and ); 7 to 15 digits.")]
    public string? Phone { get; init; }
}

/// <summary>The person's consent to being referred, as recorded by the partner.</summary>
[Description("The person's consent to being referred.")]
internal sealed record ConsentDetails
{
    /// <summary>Must be <c>true</c>: nobody is referred without their consent.</summary>
    [Required]
    [Description("Required and must be true: nobody is referred without their consent.")]
    public bool? Given { get; init; }

    [Description("Optional. When consent was recorded (ISO 8601 with offset); not more than 5 minutes in the future.")]
    public DateTimeOffset? RecordedAt { get; init; }

    [MaxLength(ReferralValidation.RecordedByMaxLength)]
    [Description("Optional. Who recorded it, at most 200 characters, not blank.")]
    public string? RecordedBy { get; init; }
}
