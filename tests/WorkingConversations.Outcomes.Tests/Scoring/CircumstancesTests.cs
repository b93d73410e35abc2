using WorkingConversations.Outcomes.Scoring;

namespace WorkingConversations.Outcomes.Tests.Scoring;

public class CircumstancesTests
{
    [Fact]
    public void TheChoiceListsAreThePublishedOnesAsKebabCaseCodes()
    {
        Assert.Equal(["secure", "insecure", "temporary", "homeless"], HousingStatus.All);
        Assert.Equal(
            ["employed-full-time", "employed-part-time", "self-employed", "unemployed-seeking-work", "unable-to-work-ill-health",
             "student", "retired", "carer", "volunteering"],
            EmploymentStatus.All);
        Assert.Equal(["meets-basic-needs", "sometimes-cannot", "usually-cannot"], MoneyStatus.All);
    }

    [Theory]
    [InlineData("employed-full-time", true)]
    [InlineData("employed-part-time", true)]
    [InlineData("self-employed", true)]
    [InlineData("unemployed-seeking-work", false)]
    [InlineData("unable-to-work-ill-health", false)]
    [InlineData("student", false)]
    [InlineData("retired", false)]
    [InlineData("carer", false)]
    [InlineData("volunteering", false)]
    [InlineData("Employed-Full-Time", false)]
    [InlineData(null, false)]
    public void OnlyPaidWorkCountsAsWorking(string? employment, bool working) =>
        Assert.Equal(working, Circumstances.IsWorking(employment));

    [Fact]
    public void TransitionsHaveAGoodEndForHousingAndMoney()
    {
        Assert.True(Circumstances.IsSecurelyHoused("secure"));
        Assert.False(Circumstances.IsSecurelyHoused("temporary"));
        Assert.True(Circumstances.MeetsBasicNeeds("meets-basic-needs"));
        Assert.False(Circumstances.MeetsBasicNeeds("sometimes-cannot"));
    }
}
