using WorkingConversations.Referrals.PostingReferral;

namespace WorkingConversations.Referrals.Tests.Validation;

public sealed class NhsNumberTests
{
    [Theory]
    [InlineData("9434765919")]
    [InlineData("943 476 5919")]
    [InlineData(" 9434765919 ")]
    [InlineData("4010232137")]
    [InlineData("4000000020")] // 11 - (sum mod 11) is 11, so the check digit is 0
    public void Accepts_ten_digits_with_the_right_modulus_11_check_digit(string nhsNumber) =>
        Assert.True(ReferralRules.IsValidNhsNumber(nhsNumber));

    [Theory]
    [InlineData("9434765918")]   // last digit off by one
    [InlineData("9434765910")]
    [InlineData("4934765919")]   // two digits transposed
    [InlineData("4000000021")]
    public void Rejects_a_wrong_check_digit(string nhsNumber) =>
        Assert.False(ReferralRules.IsValidNhsNumber(nhsNumber));

    [Theory]
    [InlineData("4000000080")]
    [InlineData("4000000081")]
    [InlineData("4000000089")]
    public void Rejects_every_number_whose_check_digit_would_be_10(string nhsNumber) =>
        Assert.False(ReferralRules.IsValidNhsNumber(nhsNumber));

    [Theory]
    [InlineData("943476591")]     // 9 digits
    [InlineData("94347659190")]   // 11 digits
    [InlineData("94347659A9")]    // a letter
    [InlineData("943-476-5919")]  // hyphens are not spaces
    [InlineData("\u0669\u0664\u0663\u0664\u0667\u0666\u0665\u0669\u0661\u0669")] // Arabic-Indic digits
    [InlineData("")]
    [InlineData("          ")]
    public void Rejects_anything_but_ten_digits(string nhsNumber) =>
        Assert.False(ReferralRules.IsValidNhsNumber(nhsNumber));

    [Theory]
    [InlineData("0000000000")]
    [InlineData("1111111111")]
    [InlineData("9999999999")]
    public void Rejects_placeholders_of_one_repeated_digit_although_they_pass_modulus_11(string nhsNumber) =>
        Assert.False(ReferralRules.IsValidNhsNumber(nhsNumber));

    [Fact]
    public void Normalises_to_the_ten_digits() =>
        Assert.Equal("9434765919", ReferralRules.NormaliseNhsNumber("943 476 5919"));

    [Fact]
    public void Refuses_to_normalise_an_invalid_number() =>
        Assert.Throws<ArgumentException>(() => ReferralRules.NormaliseNhsNumber("943 476 5918"));
}
