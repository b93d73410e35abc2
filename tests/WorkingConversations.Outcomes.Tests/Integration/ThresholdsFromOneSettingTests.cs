using System.Net.Http.Json;
using System.Text.Json;
using WorkingConversations.Testing;

namespace WorkingConversations.Outcomes.Tests.Integration;

/// <summary>
/// measures.md: caseness, bands and every threshold come from the same settings everywhere. The same episode goes
/// through two services that differ only in the PHQ-9 settings, and the questionnaire response, the episode row and
/// the report all change together.
/// </summary>
[Collection(ExactReportsCollection.Name)]
public sealed class ThresholdsFromOneSettingTests(ExactReportsService published, StricterPhq9Service stricter) : IClassFixture<StricterPhq9Service>
{
    private static async Task<(JsonElement StartPhq9, WorkingConversations.Outcomes.Projections.EpisodeOutcome Row, JsonElement Summary)> OneEpisode(ServiceFixture service)
    {
        var d = await EpisodeDriver.Start(service);
        var (referral, participant) = await d.Refer();
        await d.Accept(referral);
        await d.Assign(participant);
        await d.Hold(participant, 2);
        var now = service.Clock.GetUtcNow();
        // PHQ-9 11 at the start: at caseness and moderate under the published 10; neither from 12. GAD-7 is below caseness.
        var start = await d.Questionnaire(participant, "PHQ-9", "start", EpisodeDriver.Phq9(11), now.AddHours(-1));
        await d.Questionnaire(participant, "GAD-7", "start", EpisodeDriver.Gad7(5), now.AddHours(-1));
        await d.Questionnaire(participant, "PHQ-9", "end", EpisodeDriver.Phq9(4), now);
        await d.Questionnaire(participant, "GAD-7", "end", EpisodeDriver.Gad7(3), now);
        await d.End(participant);

        var analyst = (await service.ClientFor("analyst")).Client;
        var summary = await analyst.GetFromJsonAsync<JsonElement>($"/api/v1/outcomes/summary?from=2000-01-01&to=2100-12-31&partnerId={d.PartnerId}");
        return (start, await d.Outcome(participant), Assert.Single(summary.GetProperty("groups").EnumerateArray()));
    }

    private static int Count(JsonElement group, string name) => group.GetProperty(name).GetProperty("value").GetInt32();

    [Fact]
    public async Task Changing_the_phq9_caseness_setting_changes_the_questionnaire_response_the_episode_outcome_and_the_report_together()
    {
        var (start, row, summary) = await OneEpisode(published);
        Assert.True(start.GetProperty("caseness").GetBoolean());
        Assert.Equal("moderate", start.GetProperty("band").GetString());
        Assert.True(row.CasenessAtStart);
        Assert.True(row.Recovered);
        Assert.Equal((1, 1), (Count(summary, "finishedAtCaseness"), Count(summary, "recovered")));

        var (strictStart, strictRow, strictSummary) = await OneEpisode(stricter);
        Assert.False(strictStart.GetProperty("caseness").GetBoolean());
        Assert.Equal("mild", strictStart.GetProperty("band").GetString());
        Assert.False(strictRow.CasenessAtStart);
        Assert.False(strictRow.Recovered);
        Assert.Equal((0, 0), (Count(strictSummary, "finishedAtCaseness"), Count(strictSummary, "recovered")));
        Assert.Equal(1, Count(strictSummary, "finished"));
    }
}
