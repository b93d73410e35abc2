using System.Text.Json;
using WorkingConversations.Outcomes.Scoring;

namespace WorkingConversations.Outcomes.Tests.Scoring;

public class DisclosureControlTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Fact]
    public void ZeroIsShownAsZero() =>
        Assert.Equal(new CountValue(0), DisclosureControl.Count(0));

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(7)]
    public void OneToSevenIsSuppressedWithAReason(int n)
    {
        var count = DisclosureControl.Count(n);

        Assert.Null(count.Value);
        Assert.True(count.Suppressed);
        Assert.Contains("1 to 7", count.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(8, 10)]
    [InlineData(9, 10)]
    [InlineData(10, 10)]
    [InlineData(12, 10)]
    [InlineData(13, 15)]
    [InlineData(42, 40)]
    [InlineData(43, 45)]
    [InlineData(1002, 1000)]
    public void LargerCountsAreRoundedToTheNearestFive(int n, int shown)
    {
        var count = DisclosureControl.Count(n);

        Assert.Equal(shown, count.Value);
        Assert.False(count.Suppressed);
        Assert.Null(count.Reason);
    }

    [Fact]
    public void ANegativeCountIsAProgrammingError() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => DisclosureControl.Count(-1));

    [Fact]
    public void ThresholdsAreSettings()
    {
        var stricter = new DisclosureSettings { SuppressTo = 10, RoundTo = 10 };

        Assert.True(DisclosureControl.Count(9, stricter).Suppressed);
        Assert.True(DisclosureControl.Count(10, stricter).Suppressed);
        Assert.Equal(20, DisclosureControl.Count(15, stricter).Value); // A tie rounds away from zero.
        Assert.Equal(10, DisclosureControl.Count(14, stricter).Value);
        Assert.Equal(9, DisclosureControl.Count(9, new DisclosureSettings { RoundTo = 1 }).Value);
    }

    [Fact]
    public void AnUnsuppressedCountSerialisesAsJustItsValue() =>
        Assert.Equal("""{"value":40}""", JsonSerializer.Serialize(DisclosureControl.Count(41), Web));

    [Fact]
    public void ZeroSerialisesAsAValueNotAsSuppressed() =>
        Assert.Equal("""{"value":0}""", JsonSerializer.Serialize(DisclosureControl.Count(0), Web));

    [Fact]
    public void ASuppressedCountSerialisesWithNullValueFlagAndReason()
    {
        using var json = JsonDocument.Parse(JsonSerializer.Serialize(DisclosureControl.Count(3), Web));

        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("value").ValueKind);
        Assert.True(json.RootElement.GetProperty("suppressed").GetBoolean());
        Assert.False(string.IsNullOrWhiteSpace(json.RootElement.GetProperty("reason").GetString()));
    }

    [Fact]
    public void CountNamesDoNotDependOnTheSerialiserNamingPolicy() =>
        Assert.Equal("""{"value":null,"suppressed":true,"reason":"r"}""", JsonSerializer.Serialize(new CountValue(null, true, "r")));

    [Theory]
    [InlineData(10, 15, 0.667)]
    [InlineData(15, 20, 0.75)]
    [InlineData(10, 40, 0.25)]
    [InlineData(8, 17, 0.471)]
    [InlineData(20, 20, 1.0)]
    [InlineData(0, 20, 0.0)]
    public void ARateIsAFractionRoundedToThreePlaces(int numerator, int denominator, double rate) =>
        Assert.Equal((decimal)rate, DisclosureControl.Rate(numerator, denominator));

    [Fact]
    public void ARateIsComputedFromTheUnroundedCounts()
    {
        // Shown as 10 of 15 (0.667), but the real figures are 9 of 17.
        Assert.Equal(10, DisclosureControl.Count(9).Value);
        Assert.Equal(15, DisclosureControl.Count(17).Value);
        Assert.Equal(0.529m, DisclosureControl.Rate(9, 17));
    }

    [Theory]
    [InlineData(1, 20)]
    [InlineData(7, 20)]
    [InlineData(0, 7)]
    [InlineData(10, 5)]
    [InlineData(0, 0)]
    [InlineData(8, 0)]
    public void ARateIsSuppressedWhenEitherCountIsOrTheDenominatorIsZero(int numerator, int denominator) =>
        Assert.Null(DisclosureControl.Rate(numerator, denominator));

    [Fact]
    public void EightIsTheSmallestShownNumerator() =>
        Assert.Equal(0.4m, DisclosureControl.Rate(8, 20));

    [Fact]
    public void RatesGiveBothDenominators()
    {
        var rates = DisclosureControl.Rates(numerator: 10, nhsDenominator: 15, allReferrals: 40);

        Assert.Equal(new RatePair(0.667m, 0.25m), rates);
        Assert.Equal("""{"nhs":0.667,"allReferrals":0.25}""", JsonSerializer.Serialize(rates));
    }

    [Fact]
    public void ASuppressedRateIsWrittenAsNull()
    {
        var rates = DisclosureControl.Rates(numerator: 9, nhsDenominator: 6, allReferrals: 30);

        Assert.Equal("""{"nhs":null,"allReferrals":0.3}""", JsonSerializer.Serialize(rates, Web));
    }
}
