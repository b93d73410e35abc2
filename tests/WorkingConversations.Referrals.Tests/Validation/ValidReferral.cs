using WorkingConversations.Referrals.PostingReferral;

namespace WorkingConversations.Referrals.Tests.Validation;

/// <summary>Valid referral bodies that each test breaks in one place, so that a test fails for its own reason only.</summary>
internal static class ValidReferral
{
    public static readonly DateOnly Today = new(2026, 11, 2);

    public static PostReferralRequest Full() => new()
    {
        PartnerReference = "ABC-123",
        Person = new PersonDetails
        {
            GivenName = "Sam",
            FamilyName = "Jones",
            DateOfBirth = new DateOnly(1990, 4, 1),
            Postcode = "L8 1XY",
            NhsNumber = "9434765919",
            Email = "sam.jones@example.org",
            Phone = "+44 (0)151 496-0000",
        },
        Reason = "Feeling stuck since losing work; would like to talk things through.",
        Consent = new ConsentDetails { Given = true, RecordedAt = new DateTimeOffset(2026, 11, 1, 10, 0, 0, TimeSpan.Zero), RecordedBy = "Alex Caseworker" },
        RiskIndicators = ["self-harm-history"],
        PreferredContact = "phone",
    };

    /// <summary>Only the fields api.md requires.</summary>
    public static PostReferralRequest Minimal() => new()
    {
        PartnerReference = "ABC-124",
        Person = new PersonDetails { GivenName = "Sam", FamilyName = "Jones", DateOfBirth = new DateOnly(1990, 4, 1) },
        Reason = "Would like to talk.",
        Consent = new ConsentDetails { Given = true },
    };

    public static PostReferralRequest WithPerson(Func<PersonDetails, PersonDetails> change)
    {
        var request = Full();
        return request with { Person = change(request.Person!) };
    }

    public static PostReferralRequest WithConsent(Func<ConsentDetails, ConsentDetails> change)
    {
        var request = Full();
        return request with { Consent = change(request.Consent!) };
    }

    /// <summary>A valid request with the given date of birth and no consent time, so that it can be validated on any day.</summary>
    public static PostReferralRequest BornOn(DateOnly dateOfBirth)
    {
        var request = Full();
        return request with
        {
            Person = request.Person! with { DateOfBirth = dateOfBirth },
            Consent = request.Consent! with { RecordedAt = null },
        };
    }

    public static string Describe(WorkingConversations.BuildingBlocks.Validation v) =>
        string.Join("; ", v.Errors.Select(e => e.Key + ": " + string.Join(" ", e.Value)));
}
