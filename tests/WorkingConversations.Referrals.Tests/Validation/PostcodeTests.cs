using WorkingConversations.Referrals.PostingReferral;

namespace WorkingConversations.Referrals.Tests.Validation;

public sealed class PostcodeTests
{
    [Theory]
    [InlineData("L8 1XY")]
    [InlineData("l81xy")]
    [InlineData("SW1A 1AA")]
    [InlineData("sw1a1aa")]
    [InlineData("EC1A 1BB")]
    [InlineData("W1A 0AX")]
    [InlineData("M1 1AE")]
    [InlineData("B33 8TH")]
    [InlineData("CR2 6XH")]
    [InlineData("DN55 1PT")]
    [InlineData("GIR 0AA")]
    [InlineData("gir0aa")]
    [InlineData("  L8   1XY  ")]
    public void Accepts_uk_postcodes_in_any_case_and_spacing(string postcode) =>
        Assert.True(ReferralRules.IsValidUkPostcode(postcode));

    [Theory]
    [InlineData("L8 1X")]        // inward code too short
    [InlineData("12345")]        // a US ZIP code
    [InlineData("LL8 1XYZ")]     // inward code too long
    [InlineData("Q1 1AA")]       // Q never starts a postcode
    [InlineData("V1 1AA")]       // nor V
    [InlineData("X1 1AA")]       // nor X
    [InlineData("LI1 1AA")]      // I is never the second letter
    [InlineData("L8 1CY")]       // C is never an inward letter
    [InlineData("L8 1XO")]       // nor O
    [InlineData("L8-1XY")]       // a hyphen is not a space
    [InlineData("L\uFF18 1XY")]  // full-width digit eight
    [InlineData("SW1A1AAA")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("GIR 0AB")]
    public void Rejects_what_is_not_a_uk_postcode(string postcode) =>
        Assert.False(ReferralRules.IsValidUkPostcode(postcode));

    [Fact]
    public void Rejects_a_very_long_string() =>
        Assert.False(ReferralRules.IsValidUkPostcode("L8 1XY" + new string(' ', 10_000)));

    [Theory]
    [InlineData("l81xy", "L8 1XY")]
    [InlineData("L8 1XY", "L8 1XY")]
    [InlineData("sw1a1aa", "SW1A 1AA")]
    [InlineData("  ec1a   1bb ", "EC1A 1BB")]
    [InlineData("dn551pt", "DN55 1PT")]
    [InlineData("M11AE", "M1 1AE")]
    [InlineData("gir0aa", "GIR 0AA")]
    public void Normalises_to_upper_case_with_one_space_before_the_inward_code(string input, string expected) =>
        Assert.Equal(expected, ReferralRules.NormalisePostcode(input));

    [Fact]
    public void Refuses_to_normalise_an_invalid_postcode() =>
        Assert.Throws<ArgumentException>(() => ReferralRules.NormalisePostcode("12345"));
}
