using WorkingConversations.Testing;

namespace WorkingConversations.Outcomes.Tests.Integration;

/// <summary>
/// The service with disclosure control set to show every count as it is (suppress nothing, round to 1), so that a test
/// can check the reports' exact counts and rates. The rules it counts by are untouched.
/// </summary>
public class ExactReportsService : ServiceFixture
{
    protected override IDictionary<string, string?> Settings => ExactDisclosure;

    public static Dictionary<string, string?> ExactDisclosure => new()
    {
        ["Outcomes:Disclosure:SuppressFrom"] = "1",
        ["Outcomes:Disclosure:SuppressTo"] = "0",
        ["Outcomes:Disclosure:RoundTo"] = "1",
    };
}

/// <summary>
/// The same, with stricter PHQ-9 thresholds: caseness from 12 (not 10) and the moderate band from 12, so a total of 11
/// is neither at caseness nor moderate. Nothing else differs from <see cref="ExactReportsService"/>.
/// </summary>
public sealed class StricterPhq9Service : ExactReportsService
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>(ExactDisclosure)
    {
        ["Outcomes:Thresholds:Phq9Caseness"] = "12",
        ["Outcomes:Thresholds:Phq9BandsFrom:0"] = "5",
        ["Outcomes:Thresholds:Phq9BandsFrom:1"] = "12",
        ["Outcomes:Thresholds:Phq9BandsFrom:2"] = "16",
        ["Outcomes:Thresholds:Phq9BandsFrom:3"] = "21",
    };
}

[CollectionDefinition(Name)]
public sealed class ExactReportsCollection : ICollectionFixture<ExactReportsService>
{
    public const string Name = "outcomes with exact counts";
}
