using WorkingConversations.BuildingBlocks.Http;
using WorkingConversations.Referrals.PostingReferral;

namespace WorkingConversations.Referrals.Tests.Validation;

public sealed class ReferralValidationTests
{
    private static readonly DateOnly Today = ValidReferral.Today;

    private static WorkingConversations.BuildingBlocks.Validation Validate(PostReferralRequest? request) =>
        ReferralValidation.Validate(request, Today);

    /// <summary>Asserts that exactly one field failed, that it is <paramref name="field"/>, and returns its message.</summary>
    private static string OnlyError(PostReferralRequest request, string field)
    {
        var v = Validate(request);
        Assert.False(v.IsValid);
        Assert.Equal([field], v.Errors.Keys);
        return Assert.Single(v.Errors[field]);
    }

    private static void AssertValid(PostReferralRequest request)
    {
        var v = Validate(request);
        Assert.True(v.IsValid, ValidReferral.Describe(v));
    }

    // ---------------------------------------------------------------- whole requests

    [Fact]
    public void A_fully_valid_request_passes() => AssertValid(ValidReferral.Full());

    [Fact]
    public void A_request_with_only_the_required_fields_passes() => AssertValid(ValidReferral.Minimal());

    [Fact]
    public void A_missing_body_is_reported_on_body()
    {
        var v = Validate(null);
        Assert.Equal(["body"], v.Errors.Keys);
    }

    [Fact]
    public void An_empty_body_lists_every_required_field()
    {
        var v = Validate(new PostReferralRequest());
        Assert.Equal(
            new[] { "consent", "partnerReference", "person", "reason" },
            v.Errors.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void One_problem_lists_every_failing_field_at_once()
    {
        var request = new PostReferralRequest
        {
            PartnerReference = " ",
            Person = new PersonDetails
            {
                GivenName = null,
                FamilyName = new string('x', 101),
                DateOfBirth = Today.AddDays(1),
                Postcode = "12345",
                NhsNumber = "9434765918",
                Email = "not-an-email",
                Phone = "call me",
            },
            Reason = "",
            Consent = new ConsentDetails { Given = false, RecordedAt = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero), RecordedBy = new string('r', 201) },
            RiskIndicators = ["self-harm-history", "unknown-thing", "self-harm-history"],
            PreferredContact = "carrier-pigeon",
        };

        var v = Validate(request);

        Assert.Equal(
            new[]
            {
                "consent.given", "consent.recordedAt", "consent.recordedBy", "partnerReference",
                "person.dateOfBirth", "person.email", "person.familyName", "person.givenName", "person.nhsNumber",
                "person.phone", "person.postcode", "preferredContact", "reason", "riskIndicators[1]", "riskIndicators[2]",
            },
            v.Errors.Keys.Order(StringComparer.Ordinal));

        var problem = v.ToProblem();
        Assert.Equal(400, problem.StatusCode);
        Assert.Equal(15, problem.ProblemDetails.Errors.Count);
    }

    // ---------------------------------------------------------------- partnerReference

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Partner_reference_is_required(string? value) =>
        Assert.Contains("required", OnlyError(ValidReferral.Full() with { PartnerReference = value }, "partnerReference"), StringComparison.Ordinal);

    [Fact]
    public void Partner_reference_has_at_most_100_characters()
    {
        AssertValid(ValidReferral.Full() with { PartnerReference = new string('R', 100) });
        Assert.Contains("at most 100", OnlyError(ValidReferral.Full() with { PartnerReference = new string('R', 101) }, "partnerReference"), StringComparison.Ordinal);
    }

    // ---------------------------------------------------------------- person

    [Fact]
    public void Person_is_required_and_reported_once()
    {
        var message = OnlyError(ValidReferral.Full() with { Person = null }, "person");
        Assert.Contains("required", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" \t ")]
    public void Given_name_is_required(string? value) =>
        OnlyError(ValidReferral.WithPerson(p => p with { GivenName = value }), "person.givenName");

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Family_name_is_required(string? value) =>
        OnlyError(ValidReferral.WithPerson(p => p with { FamilyName = value }), "person.familyName");

    [Fact]
    public void Names_have_at_most_100_characters()
    {
        AssertValid(ValidReferral.WithPerson(p => p with { GivenName = new string('a', 100), FamilyName = new string('b', 100) }));
        Assert.Contains("at most 100", OnlyError(ValidReferral.WithPerson(p => p with { GivenName = new string('a', 101) }), "person.givenName"), StringComparison.Ordinal);
        Assert.Contains("at most 100", OnlyError(ValidReferral.WithPerson(p => p with { FamilyName = new string('b', 101) }), "person.familyName"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-")]
    [InlineData("123")]
    [InlineData("'")]
    [InlineData("\U0001F600")]
    public void A_name_needs_at_least_one_letter(string value) =>
        Assert.Contains("letter", OnlyError(ValidReferral.WithPerson(p => p with { FamilyName = value }), "person.familyName"), StringComparison.Ordinal);

    [Fact]
    public void Names_must_not_contain_control_characters() =>
        Assert.Contains("control", OnlyError(ValidReferral.WithPerson(p => p with { GivenName = "Sa\u0000m" }), "person.givenName"), StringComparison.Ordinal);

    [Fact]
    public void Date_of_birth_is_required() =>
        OnlyError(ValidReferral.WithPerson(p => p with { DateOfBirth = null }), "person.dateOfBirth");

    [Fact]
    public void Date_of_birth_must_be_in_the_past()
    {
        Assert.Contains("past", OnlyError(ValidReferral.BornOn(Today), "person.dateOfBirth"), StringComparison.Ordinal);
        Assert.Contains("past", OnlyError(ValidReferral.BornOn(Today.AddYears(3)), "person.dateOfBirth"), StringComparison.Ordinal);
    }

    [Fact]
    public void Date_of_birth_must_be_on_or_after_1900()
    {
        AssertValid(ValidReferral.BornOn(new DateOnly(1900, 1, 1)));
        Assert.Contains("1900-01-01", OnlyError(ValidReferral.BornOn(new DateOnly(1899, 12, 31)), "person.dateOfBirth"), StringComparison.Ordinal);
        OnlyError(ValidReferral.BornOn(DateOnly.MinValue), "person.dateOfBirth");
    }

    [Fact]
    public void The_person_must_be_16_or_over()
    {
        AssertValid(ValidReferral.BornOn(Today.AddYears(-16)));
        Assert.Contains("16 or over", OnlyError(ValidReferral.BornOn(Today.AddYears(-16).AddDays(1)), "person.dateOfBirth"), StringComparison.Ordinal);
        OnlyError(ValidReferral.BornOn(Today.AddYears(-10)), "person.dateOfBirth");
    }

    [Theory]
    [InlineData("l81xy")]
    [InlineData("SW1A 1AA")]
    [InlineData(null)]
    public void Postcode_is_optional_and_accepted_in_any_case_and_spacing(string? value) =>
        AssertValid(ValidReferral.WithPerson(p => p with { Postcode = value }));

    [Theory]
    [InlineData("12345")]
    [InlineData("L8 1X")]
    [InlineData("")]
    [InlineData(" ")]
    public void Postcode_when_present_must_be_a_uk_postcode(string value) =>
        Assert.Contains("UK postcode", OnlyError(ValidReferral.WithPerson(p => p with { Postcode = value }), "person.postcode"), StringComparison.Ordinal);

    [Theory]
    [InlineData("943 476 5919")]
    [InlineData("9434765919")]
    [InlineData(null)]
    public void Nhs_number_is_optional(string? value) =>
        AssertValid(ValidReferral.WithPerson(p => p with { NhsNumber = value }));

    [Fact]
    public void Nhs_number_must_pass_the_modulus_11_check() =>
        Assert.Contains("modulus-11", OnlyError(ValidReferral.WithPerson(p => p with { NhsNumber = "9434765918" }), "person.nhsNumber"), StringComparison.Ordinal);

    [Fact]
    public void Nhs_number_whose_check_digit_would_be_10_is_rejected() =>
        Assert.Contains("modulus-11", OnlyError(ValidReferral.WithPerson(p => p with { NhsNumber = "4000000080" }), "person.nhsNumber"), StringComparison.Ordinal);

    [Theory]
    [InlineData("943476591")]
    [InlineData("94347659190")]
    [InlineData("94347659A9")]
    [InlineData("")]
    public void Nhs_number_must_be_ten_digits(string value) =>
        Assert.Contains("10 digits", OnlyError(ValidReferral.WithPerson(p => p with { NhsNumber = value }), "person.nhsNumber"), StringComparison.Ordinal);

    [Fact]
    public void Nhs_number_placeholder_is_rejected() =>
        Assert.Contains("placeholder", OnlyError(ValidReferral.WithPerson(p => p with { NhsNumber = "0000000000" }), "person.nhsNumber"), StringComparison.Ordinal);

    [Theory]
    [InlineData("sam@example.org")]
    [InlineData(null)]
    public void Email_is_optional(string? value) => AssertValid(ValidReferral.WithPerson(p => p with { Email = value }));

    [Theory]
    [InlineData("sam")]
    [InlineData("sam@example")]
    [InlineData("sam @example.org")]
    [InlineData("")]
    public void Email_when_present_must_be_an_email_address(string value) =>
        OnlyError(ValidReferral.WithPerson(p => p with { Email = value }), "person.email");

    [Fact]
    public void Email_has_at_most_254_characters()
    {
        var local = new string('a', 64);
        var domain = new string('d', 254 - 64 - 1 - 4) + ".org";
        AssertValid(ValidReferral.WithPerson(p => p with { Email = local + "@" + domain }));
        Assert.Contains("at most 254", OnlyError(ValidReferral.WithPerson(p => p with { Email = local + "@d" + domain }), "person.email"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0151 496 0000")]
    [InlineData("+44 7700 900123")]
    [InlineData("+44 (0)151 496-0000")]
    [InlineData("07700900123")]
    [InlineData(null)]
    public void Phone_is_optional(string? value) => AssertValid(ValidReferral.WithPerson(p => p with { Phone = value }));

    [Theory]
    [InlineData("call me", "only digits")]
    [InlineData("0151 496 0000 ext 2", "only digits")]
    [InlineData("0151.496.0000", "only digits")]
    [InlineData("07700 900123 +1", "+ only at the start")]
    [InlineData("++44 7700 900123", "+ only at the start")]
    [InlineData("12345", "from 7 to 15 digits")]
    [InlineData("(-)", "from 7 to 15 digits")]
    [InlineData("", "from 7 to 15 digits")]
    [InlineData("1234567890123456", "from 7 to 15 digits")]
    [InlineData("0151 496 0000 0151 496 0000 000", "at most 30")]
    public void Phone_when_present_has_only_phone_characters(string value, string expected) =>
        Assert.Contains(expected, OnlyError(ValidReferral.WithPerson(p => p with { Phone = value }), "person.phone"), StringComparison.Ordinal);

    // ---------------------------------------------------------------- reason

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("\n\n")]
    public void Reason_is_required(string? value) => OnlyError(ValidReferral.Full() with { Reason = value }, "reason");

    [Fact]
    public void Reason_has_at_most_4000_characters()
    {
        AssertValid(ValidReferral.Full() with { Reason = new string('r', 4000) });
        Assert.Contains("at most 4000", OnlyError(ValidReferral.Full() with { Reason = new string('r', 4001) }, "reason"), StringComparison.Ordinal);
    }

    [Fact]
    public void Reason_may_have_line_breaks_and_tabs_but_no_other_control_characters()
    {
        AssertValid(ValidReferral.Full() with { Reason = "Line one.\r\nLine two.\tIndented." });
        OnlyError(ValidReferral.Full() with { Reason = "Bell\u0007" }, "reason");
    }

    // ---------------------------------------------------------------- consent

    [Fact]
    public void Consent_is_required()
    {
        var message = OnlyError(ValidReferral.Full() with { Consent = null }, "consent");
        Assert.Contains("consent must be given", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Consent_must_be_given()
    {
        var message = OnlyError(ValidReferral.WithConsent(c => c with { Given = false }), "consent.given");
        Assert.Contains("consent must be given", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Consent_given_missing_is_not_consent()
    {
        var message = OnlyError(ValidReferral.WithConsent(c => c with { Given = null }), "consent.given");
        Assert.Contains("consent must be given", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Consent_recorded_at_is_optional_but_not_in_the_future()
    {
        AssertValid(ValidReferral.WithConsent(c => c with { RecordedAt = null }));
        AssertValid(ValidReferral.WithConsent(c => c with { RecordedAt = new DateTimeOffset(2026, 11, 2, 23, 59, 0, TimeSpan.Zero) }));
        AssertValid(ValidReferral.WithConsent(c => c with { RecordedAt = new DateTimeOffset(2019, 1, 1, 0, 0, 0, TimeSpan.Zero) }));
        Assert.Contains("future", OnlyError(ValidReferral.WithConsent(c => c with { RecordedAt = new DateTimeOffset(2026, 11, 3, 0, 0, 0, TimeSpan.Zero) }), "consent.recordedAt"), StringComparison.Ordinal);
    }

    [Fact]
    public void Given_the_current_instant_consent_recorded_at_allows_only_clock_skew()
    {
        var now = new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
        var ok = ValidReferral.WithConsent(c => c with { RecordedAt = now.AddMinutes(1) });
        Assert.True(ReferralValidation.Validate(ok, now).IsValid);

        var future = ValidReferral.WithConsent(c => c with { RecordedAt = now.AddMinutes(10) });
        Assert.Equal(["consent.recordedAt"], ReferralValidation.Validate(future, now).Errors.Keys);
    }

    [Fact]
    public void Given_the_current_instant_age_is_taken_on_its_date()
    {
        var now = new DateTimeOffset(2026, 6, 15, 8, 0, 0, TimeSpan.FromHours(1));
        Assert.True(ReferralValidation.Validate(ValidReferral.BornOn(new DateOnly(2010, 6, 15)), now).IsValid);
        Assert.Equal(["person.dateOfBirth"], ReferralValidation.Validate(ValidReferral.BornOn(new DateOnly(2010, 6, 16)), now).Errors.Keys);
    }

    [Fact]
    public void Consent_recorded_by_is_optional_with_at_most_200_characters()
    {
        AssertValid(ValidReferral.WithConsent(c => c with { RecordedBy = null }));
        AssertValid(ValidReferral.WithConsent(c => c with { RecordedBy = new string('c', 200) }));
        Assert.Contains("at most 200", OnlyError(ValidReferral.WithConsent(c => c with { RecordedBy = new string('c', 201) }), "consent.recordedBy"), StringComparison.Ordinal);
        OnlyError(ValidReferral.WithConsent(c => c with { RecordedBy = " " }), "consent.recordedBy");
    }

    // ---------------------------------------------------------------- risk indicators

    [Fact]
    public void Risk_indicators_are_optional()
    {
        AssertValid(ValidReferral.Full() with { RiskIndicators = null });
        AssertValid(ValidReferral.Full() with { RiskIndicators = [] });
    }

    [Fact]
    public void Every_known_risk_indicator_is_accepted() =>
        AssertValid(ValidReferral.Full() with { RiskIndicators = [.. ReferralRules.KnownRiskIndicators] });

    [Fact]
    public void An_unknown_risk_indicator_is_rejected_naming_the_allowed_values()
    {
        var message = OnlyError(ValidReferral.Full() with { RiskIndicators = ["self-harm-history", "sadness"] }, "riskIndicators[1]");
        foreach (var known in ReferralRules.KnownRiskIndicators) Assert.Contains(known, message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Self-Harm-History")]
    [InlineData("self_harm_history")]
    [InlineData(" self-harm-history")]
    [InlineData("")]
    [InlineData(null)]
    public void Risk_indicators_must_match_exactly(string? value) =>
        OnlyError(ValidReferral.Full() with { RiskIndicators = ["domestic-abuse", value!] }, "riskIndicators[1]");

    [Fact]
    public void A_repeated_risk_indicator_is_rejected_at_the_repeat()
    {
        var message = OnlyError(ValidReferral.Full() with { RiskIndicators = ["domestic-abuse", "recent-crisis", "domestic-abuse"] }, "riskIndicators[2]");
        Assert.Contains("riskIndicators[0]", message, StringComparison.Ordinal);
    }

    [Fact]
    public void At_most_20_risk_indicators()
    {
        var tooMany = Enumerable.Range(0, 21).Select(i => "unknown-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var v = Validate(ValidReferral.Full() with { RiskIndicators = tooMany });
        Assert.Contains("at most 20", Assert.Single(v.Errors["riskIndicators"]), StringComparison.Ordinal);
        Assert.Contains("riskIndicators[20]", v.Errors.Keys);
    }

    // ---------------------------------------------------------------- preferred contact

    [Theory]
    [InlineData("phone")]
    [InlineData("email")]
    [InlineData("text")]
    [InlineData("letter")]
    [InlineData("in-person")]
    [InlineData(null)]
    public void Preferred_contact_is_optional_and_one_of_the_preferences(string? value) =>
        AssertValid(ValidReferral.Full() with { PreferredContact = value });

    [Theory]
    [InlineData("Phone")]
    [InlineData("sms")]
    [InlineData("")]
    public void Preferred_contact_rejects_other_values_naming_the_allowed_ones(string value)
    {
        var message = OnlyError(ValidReferral.Full() with { PreferredContact = value }, "preferredContact");
        Assert.Contains("phone, email, text, letter, in-person", message, StringComparison.Ordinal);
    }

    // ---------------------------------------------------------------- long and unicode text

    private static readonly Dictionary<string, Func<PostReferralRequest, string, PostReferralRequest>> TextSetters = new()
    {
        ["partnerReference"] = (r, s) => r with { PartnerReference = s },
        ["person.givenName"] = (r, s) => r with { Person = r.Person! with { GivenName = s } },
        ["person.familyName"] = (r, s) => r with { Person = r.Person! with { FamilyName = s } },
        ["person.postcode"] = (r, s) => r with { Person = r.Person! with { Postcode = s } },
        ["person.nhsNumber"] = (r, s) => r with { Person = r.Person! with { NhsNumber = s } },
        ["person.email"] = (r, s) => r with { Person = r.Person! with { Email = s } },
        ["person.phone"] = (r, s) => r with { Person = r.Person! with { Phone = s } },
        ["reason"] = (r, s) => r with { Reason = s },
        ["consent.recordedBy"] = (r, s) => r with { Consent = r.Consent! with { RecordedBy = s } },
        ["preferredContact"] = (r, s) => r with { PreferredContact = s },
        ["riskIndicators[0]"] = (r, s) => r with { RiskIndicators = [s] },
    };

    public static TheoryData<string> TextFields => [.. TextSetters.Keys];

    [Theory]
    [MemberData(nameof(TextFields))]
    public void A_very_long_string_is_rejected_with_the_field_named(string field) =>
        OnlyError(TextSetters[field](ValidReferral.Full(), new string('1', 100_000)), field);

    [Theory]
    [InlineData("Zoë", "Łukasz")]
    [InlineData("李", "王")]
    [InlineData("José María", "Núñez-García")]
    [InlineData("Siobhán", "Ó Súilleabháin")]
    [InlineData("Мария", "Иванова")]
    [InlineData("محمد", "الحسن")]
    [InlineData("Ngọc", "Nguyễn")]
    public void Unicode_names_are_accepted(string given, string family) =>
        AssertValid(ValidReferral.WithPerson(p => p with { GivenName = given, FamilyName = family }));

    [Fact]
    public void Unicode_reason_and_recorder_are_accepted() =>
        AssertValid(ValidReferral.Full() with
        {
            Reason = "Zoë feels 😔 most days; 李 says she'd like to talk. Łukasz's café closed — she lost her job.",
            Consent = ValidReferral.Full().Consent! with { RecordedBy = "Chloë Ní Bhriain" },
        });
}
