using WorkingConversations.Outcomes.Scoring;

namespace WorkingConversations.Outcomes.Tests.Scoring;

public sealed class AgeBandAndTransitionTests
{
    [Theory]
    [InlineData(15, null)]
    [InlineData(16, "16-17")]
    [InlineData(17, "16-17")]
    [InlineData(18, "18-24")]
    [InlineData(24, "18-24")]
    [InlineData(25, "25-34")]
    [InlineData(34, "25-34")]
    [InlineData(35, "35-44")]
    [InlineData(44, "35-44")]
    [InlineData(45, "45-54")]
    [InlineData(54, "45-54")]
    [InlineData(55, "55-64")]
    [InlineData(64, "55-64")]
    [InlineData(65, "65+")]
    [InlineData(101, "65+")]
    public void Age_at_referral_falls_in_its_band(int age, string? band) => Assert.Equal(band, AgeBands.Of(age));

    private static CircumstancesSnapshot At(string timepoint, string housing, string employment, string money, bool someone, bool community) =>
        new(timepoint, housing, employment, money, someone, community, DateTimeOffset.UnixEpoch);

    [Fact]
    public void Each_circumstance_moves_from_its_start_to_its_end()
    {
        var start = At("start", HousingStatus.Insecure, EmploymentStatus.UnemployedSeekingWork, MoneyStatus.MeetsBasicNeeds, true, false);
        var end = At("end", HousingStatus.Secure, EmploymentStatus.SelfEmployed, MoneyStatus.SometimesCannot, true, false);
        Assert.Equal(new CircumstanceTransitions(Transition.Gained, Transition.Gained, Transition.Lost, Transition.StayedGood, Transition.StayedBad),
            CircumstanceTransitions.Between(start, end));
    }

    [Fact]
    public void Volunteering_and_caring_are_not_paid_work_and_no_transition_exists_without_both_time_points()
    {
        var start = At("start", HousingStatus.Homeless, EmploymentStatus.Volunteering, MoneyStatus.UsuallyCannot, false, true);
        var end = At("end", HousingStatus.Temporary, EmploymentStatus.Carer, MoneyStatus.UsuallyCannot, false, true);
        var t = CircumstanceTransitions.Between(start, end)!;
        Assert.Equal(Transition.StayedBad, t.Working);
        Assert.Equal(Transition.StayedBad, t.SecureHousing);
        Assert.Null(CircumstanceTransitions.Between(start, null));
        Assert.Null(CircumstanceTransitions.Between(null, end));
    }
}
