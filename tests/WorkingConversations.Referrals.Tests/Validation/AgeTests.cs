using WorkingConversations.Referrals.PostingReferral;

namespace WorkingConversations.Referrals.Tests.Validation;

public sealed class AgeTests
{
    [Theory]
    [InlineData("1990-04-01", "2026-03-31", 35)]
    [InlineData("1990-04-01", "2026-04-01", 36)]
    [InlineData("1990-04-01", "2026-12-31", 36)]
    [InlineData("2010-06-15", "2026-06-14", 15)]
    [InlineData("2010-06-15", "2026-06-15", 16)]
    [InlineData("2008-02-29", "2026-02-28", 17)] // born on 29 February: the birthday is 1 March in other years
    [InlineData("2008-02-29", "2026-03-01", 18)]
    [InlineData("2008-02-29", "2024-02-28", 15)]
    [InlineData("2008-02-29", "2024-02-29", 16)]
    [InlineData("2026-06-15", "2026-06-15", 0)]
    public void Counts_whole_years(string dateOfBirth, string on, int expected) =>
        Assert.Equal(expected, ReferralRules.AgeOn(DateOnly.Parse(dateOfBirth, System.Globalization.CultureInfo.InvariantCulture),
            DateOnly.Parse(on, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void A_sixteenth_birthday_today_is_old_enough()
    {
        var today = new DateOnly(2026, 6, 15);
        var v = ReferralValidation.Validate(ValidReferral.BornOn(new DateOnly(2010, 6, 15)), today);
        Assert.True(v.IsValid, ValidReferral.Describe(v));
    }

    [Fact]
    public void One_day_short_of_sixteen_is_too_young()
    {
        var today = new DateOnly(2026, 6, 15);
        var v = ReferralValidation.Validate(ValidReferral.BornOn(new DateOnly(2010, 6, 16)), today);
        var message = Assert.Single(Assert.Contains("person.dateOfBirth", v.Errors));
        Assert.Contains("16 or over", message, StringComparison.Ordinal);
        Assert.Contains("2010-06-15", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Born_on_29_February_is_sixteen_on_29_February_in_a_leap_year()
    {
        var dateOfBirth = new DateOnly(2008, 2, 29);
        Assert.Contains("person.dateOfBirth", ReferralValidation.Validate(ValidReferral.BornOn(dateOfBirth), new DateOnly(2024, 2, 28)).Errors);
        Assert.True(ReferralValidation.Validate(ValidReferral.BornOn(dateOfBirth), new DateOnly(2024, 2, 29)).IsValid);
    }

    [Fact]
    public void Born_on_29_February_is_sixteen_on_1_March_when_the_sixteenth_year_is_not_a_leap_year()
    {
        // 2100 is not a leap year, so someone born on 29 February 2084 turns 16 on 1 March 2100.
        var dateOfBirth = new DateOnly(2084, 2, 29);
        var tooYoung = ReferralValidation.Validate(ValidReferral.BornOn(dateOfBirth), new DateOnly(2100, 2, 28));
        var message = Assert.Single(Assert.Contains("person.dateOfBirth", tooYoung.Errors));
        Assert.Contains("born on or before 2084-02-28", message, StringComparison.Ordinal);
        Assert.True(ReferralValidation.Validate(ValidReferral.BornOn(dateOfBirth), new DateOnly(2100, 3, 1)).IsValid);
    }
}
