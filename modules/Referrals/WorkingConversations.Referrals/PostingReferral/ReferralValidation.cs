using System.Globalization;
using System.Text;
using WorkingConversations.BuildingBlocks;

namespace WorkingConversations.Referrals.PostingReferral;

/// <summary>
/// Checks a referral body against the rules of api.md and reports every failing field at once, under its camelCase
/// path ("person.dateOfBirth", "riskIndicators[2]").
/// </summary>
/// <remarks>
/// An optional field is absent only when it is missing or null. A field that is present must be valid, even when it is
/// an empty string: "" is not a postcode, and guessing that it meant "unknown" would hide a partner's mapping error.
/// </remarks>
internal static class ReferralValidation
{
    public const int PartnerReferenceMaxLength = 100;
    public const int NameMaxLength = 100;
    public const int ReasonMaxLength = 4000;
    public const int EmailMaxLength = 254;
    public const int PhoneMaxLength = 30;
    public const int RecordedByMaxLength = 200;
    public const int MaxRiskIndicators = 20;

    // Fewer than 7 digits is no one's phone number; more than 15 is longer than any E.164 number.
    private const int PhoneMinDigits = 7;
    private const int PhoneMaxDigits = 15;

    // Clocks of partners' systems drift; a consent recorded "a minute from now" is skew, not a lie.
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Validates against <paramref name="today"/>, the service's current calendar date. Without a time of day,
    /// consent.recordedAt counts as in the future only from the next UTC day on.
    /// </summary>
    public static Validation Validate(PostReferralRequest? request, DateOnly today) =>
        Validate(request, today, new DateTimeOffset(today.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));

    /// <summary>
    /// Validates against the current instant: consent.recordedAt may be at most a few minutes (clock skew) after
    /// <paramref name="now"/>, and ages are taken on the calendar date of <paramref name="now"/> in its own offset.
    /// </summary>
    public static Validation Validate(PostReferralRequest? request, DateTimeOffset now) =>
        Validate(request, DateOnly.FromDateTime(now.DateTime), now + ClockSkew);

    private static Validation Validate(PostReferralRequest? request, DateOnly today, DateTimeOffset recordedAtBefore)
    {
        var v = new Validation();
        if (request is null)
        {
            v.Add("body", "is required: send the referral as a JSON object.");
            return v;
        }

        v.RequiredText("partnerReference", request.PartnerReference, PartnerReferenceMaxLength);
        if (v.Required("person", request.Person)) ValidatePerson(v, request.Person!, today);
        v.RequiredText("reason", request.Reason, ReasonMaxLength);
        ValidateConsent(v, request.Consent, recordedAtBefore);
        ValidateRiskIndicators(v, request.RiskIndicators);
        v.OneOf("preferredContact", request.PreferredContact, ReferralRules.ContactPreferences, required: false);
        return v;
    }

    private static void ValidatePerson(Validation v, PersonDetails person, DateOnly today)
    {
        Name(v, "person.givenName", person.GivenName);
        Name(v, "person.familyName", person.FamilyName);
        DateOfBirth(v, person.DateOfBirth, today);

        if (person.Postcode is not null && !ReferralRules.IsValidUkPostcode(person.Postcode))
        {
            v.Add("person.postcode", "must be a valid UK postcode such as L8 1XY; omit it or send null when it is not known.");
        }

        if (person.NhsNumber is not null)
        {
            switch (ReferralRules.CheckNhsNumber(person.NhsNumber))
            {
                case ReferralRules.NhsNumberCheck.NotTenDigits:
                    v.Add("person.nhsNumber", "must be 10 digits (spaces allowed), such as 943 476 5919.");
                    break;
                case ReferralRules.NhsNumberCheck.WrongCheckDigit:
                    v.Add("person.nhsNumber", "is not a valid NHS number: the last digit does not match the modulus-11 check digit of the first nine. Check it for a typing error.");
                    break;
                case ReferralRules.NhsNumberCheck.RepeatedDigit:
                    v.Add("person.nhsNumber", "is a placeholder (one digit repeated), not an NHS number; omit it or send null when it is not known.");
                    break;
            }
        }

        v.Email("person.email", person.Email);
        Phone(v, person.Phone);
    }

    private static void Name(Validation v, string field, string? value)
    {
        if (!v.RequiredText(field, value, NameMaxLength)) return;
        // A name with no letter ("-", "123", an emoji) is a placeholder, and would match every other such placeholder.
        if (!ReferralRules.NormaliseName(value!).EnumerateRunes().Any(Rune.IsLetter))
        {
            v.Add(field, "must contain at least one letter.");
        }
    }

    private static void DateOfBirth(Validation v, DateOnly? value, DateOnly today)
    {
        if (!v.Required("person.dateOfBirth", value)) return;
        var dateOfBirth = value!.Value;
        if (dateOfBirth < ReferralRules.EarliestDateOfBirth)
        {
            v.Add("person.dateOfBirth", $"must be on or after {Iso(ReferralRules.EarliestDateOfBirth)}.");
        }
        else if (dateOfBirth >= today)
        {
            v.Add("person.dateOfBirth", $"must be a date in the past (today is {Iso(today)}).");
        }
        else if (ReferralRules.AgeOn(dateOfBirth, today) < ReferralRules.MinimumAge)
        {
            // When today is 29 February and 16 years ago was not a leap year, AddYears gives 28 February: still exactly
            // the last birth date that is old enough, so the message never names a wrong date.
            v.Add("person.dateOfBirth",
                string.Create(CultureInfo.InvariantCulture,
                    $"the person must be {ReferralRules.MinimumAge} or over: born on or before {Iso(today.AddYears(-ReferralRules.MinimumAge))}."));
        }
    }

    private static void Phone(Validation v, string? phone)
    {
        const string field = "person.phone";
        if (phone is null || !v.OptionalText(field, phone, PhoneMaxLength)) return;

        if (!phone.All(c => char.IsAsciiDigit(c) || c is ' ' or '+' or '-' or '(' or ')'))
        {
            v.Add(field, "may contain only digits, spaces, +, - and parentheses.");
            return;
        }

        var afterLeadingPlus = phone.TrimStart();
        if (afterLeadingPlus.StartsWith('+')) afterLeadingPlus = afterLeadingPlus[1..];
        if (afterLeadingPlus.Contains('+', StringComparison.Ordinal))
        {
            v.Add(field, "may have + only at the start, as in +44 7700 900123.");
            return;
        }

        var digits = phone.Count(char.IsAsciiDigit);
        if (digits is < PhoneMinDigits or > PhoneMaxDigits)
        {
            v.Add(field, string.Create(CultureInfo.InvariantCulture,
                $"must have from {PhoneMinDigits} to {PhoneMaxDigits} digits (it has {digits})."));
        }
    }

    private static void ValidateConsent(Validation v, ConsentDetails? consent, DateTimeOffset recordedAtBefore)
    {
        const string mustBeGiven = "must be true: consent must be given by the person before they can be referred.";
        if (consent is null)
        {
            v.Add("consent", "is required: consent must be given by the person before they can be referred (consent.given: true).");
            return;
        }

        if (consent.Given is null) v.Add("consent.given", "is required and " + mustBeGiven);
        else if (consent.Given == false) v.Add("consent.given", mustBeGiven);

        if (consent.RecordedAt is { } recordedAt && recordedAt >= recordedAtBefore)
        {
            v.Add("consent.recordedAt", "must not be in the future.");
        }

        if (consent.RecordedBy is not null && string.IsNullOrWhiteSpace(consent.RecordedBy))
        {
            v.Add("consent.recordedBy", "must not be empty; omit it or send null when it is not known.");
        }
        else
        {
            v.OptionalText("consent.recordedBy", consent.RecordedBy, RecordedByMaxLength);
        }
    }

    private static void ValidateRiskIndicators(Validation v, string[]? indicators)
    {
        if (indicators is null) return;
        if (indicators.Length > MaxRiskIndicators)
        {
            v.Add("riskIndicators", string.Create(CultureInfo.InvariantCulture,
                $"must have at most {MaxRiskIndicators} items (it has {indicators.Length})."));
        }

        var firstIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < indicators.Length; i++)
        {
            var field = string.Create(CultureInfo.InvariantCulture, $"riskIndicators[{i}]");
            var indicator = indicators[i];
            if (indicator is null || !ReferralRules.KnownRiskIndicators.Contains(indicator, StringComparer.Ordinal))
            {
                v.Add(field, "must be one of the known risk indicators: " + string.Join(", ", ReferralRules.KnownRiskIndicators) + ".");
            }
            else if (!firstIndex.TryAdd(indicator, i))
            {
                v.Add(field, string.Create(CultureInfo.InvariantCulture,
                    $"repeats riskIndicators[{firstIndex[indicator]}] ('{indicator}'): list each indicator once."));
            }
        }
    }

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
