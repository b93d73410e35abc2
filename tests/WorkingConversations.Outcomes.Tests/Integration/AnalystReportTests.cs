using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WorkingConversations.Testing;

namespace WorkingConversations.Outcomes.Tests.Integration;

[Collection(OutcomesCollection.Name)]
public sealed class AnalystReportTests(ServiceFixture service)
{
    private const string WholeRange = "from=2000-01-01&to=2100-12-31";

    /// <summary>
    /// 20 referrals for one partner: 5 never accepted (2 declined, 1 withdrawn, 2 left received); 15 accepted, of which
    /// 10 finish (2 or more conversations, ended) and 5 do not. Among the 10 finished, all at caseness: 8 recover
    /// reliably, 1 does not move, 1 reliably deteriorates. The 5 unfinished would add recoveries and a deterioration if
    /// numerators were (wrongly) counted outside finished episodes.
    /// </summary>
    private async Task<EpisodeDriver> Cohort()
    {
        var d = await EpisodeDriver.Start(service);
        for (var i = 0; i < 8; i++) await d.Episode(held: 2 + i % 2, phq9Start: 15, gad7Start: 9, phq9End: 5, gad7End: 3);
        await d.Episode(held: 2, phq9Start: 15, gad7Start: 9, phq9End: 14, gad7End: 9);
        await d.Episode(held: 2, phq9Start: 12, gad7Start: 8, phq9End: 18, gad7End: 12);
        for (var i = 0; i < 3; i++) await d.Episode(held: 1, phq9Start: 15, gad7Start: 9, phq9End: 5, gad7End: 3);
        await d.Episode(held: 0, phq9Start: 12, gad7Start: 8, phq9End: 18, gad7End: 12);
        await d.Episode(held: 3, phq9Start: 15, gad7Start: 9, phq9End: 5, gad7End: 3, end: false);
        for (var i = 0; i < 2; i++) await d.Triage((await d.Refer()).ReferralId, "decline", new { reason = "Needs a clinical service" });
        await d.Triage((await d.Refer()).ReferralId, "withdraw", new { reason = "Moved away" });
        for (var i = 0; i < 2; i++) await d.Refer();
        return d;
    }

    private async Task<HttpClient> Analyst() => (await service.ClientFor("analyst")).Client;

    private static int? Count(JsonElement group, string name) =>
        group.GetProperty(name).GetProperty("value") is { ValueKind: JsonValueKind.Number } v ? v.GetInt32() : null;

    private static (decimal? Nhs, decimal? All) Rate(JsonElement group, string name)
    {
        var r = group.GetProperty(name);
        static decimal? D(JsonElement e) => e.ValueKind == JsonValueKind.Number ? e.GetDecimal() : null;
        return (D(r.GetProperty("nhs")), D(r.GetProperty("allReferrals")));
    }

    [Fact]
    public async Task A_cohort_built_through_the_api_comes_back_with_exact_counts_and_both_denominators_and_a_small_partner_is_suppressed()
    {
        var d = await Cohort();
        var analyst = await Analyst();

        var summary = await analyst.GetFromJsonAsync<JsonElement>($"/api/v1/outcomes/summary?{WholeRange}&partnerId={d.PartnerId}");
        var all = Assert.Single(summary.GetProperty("groups").EnumerateArray());
        Assert.Equal("all", all.GetProperty("key").GetString());
        Assert.Equal(20, Count(all, "referrals"));
        Assert.Equal(15, Count(all, "accepted"));
        Assert.Equal(10, Count(all, "finished"));
        Assert.Equal(10, Count(all, "finishedAtCaseness"));
        Assert.Equal(10, Count(all, "recovered"));            // 8, rounded to the nearest 5
        Assert.Equal(10, Count(all, "reliablyImproved"));     // 8
        Assert.Equal(10, Count(all, "reliablyRecovered"));    // 8
        Assert.Null(Count(all, "reliablyDeteriorated"));      // 1: suppressed
        Assert.True(all.GetProperty("reliablyDeteriorated").GetProperty("suppressed").GetBoolean());
        // Rates from the true counts: 8 / 10 among finished at caseness, 8 / 20 among everyone referred.
        Assert.Equal((0.8m, 0.4m), Rate(all, "recoveryRate"));
        Assert.Equal((0.8m, 0.4m), Rate(all, "reliableImprovementRate"));
        Assert.Equal((0.8m, 0.4m), Rate(all, "reliableRecoveryRate"));
        Assert.Equal((null, null), Rate(all, "reliableDeteriorationRate"));

        var byProgramme = await analyst.GetFromJsonAsync<JsonElement>($"/api/v1/outcomes/summary?{WholeRange}&partnerId={d.PartnerId}&groupBy=programme");
        var groups = byProgramme.GetProperty("groups").EnumerateArray().ToDictionary(g => g.GetProperty("key").GetString()!);
        Assert.Equal(["none", "volunteer"], groups.Keys.Order());
        // 14 episodes held a conversation with the volunteer (rounded to 15); the 6 that held none have no programme (suppressed).
        Assert.Equal(15, Count(groups["volunteer"], "referrals"));
        Assert.Null(Count(groups["none"], "referrals"));
        Assert.Equal(10, Count(groups["volunteer"], "finished"));

        var funnel = await analyst.GetFromJsonAsync<JsonElement>($"/api/v1/outcomes/funnel?{WholeRange}&partnerId={d.PartnerId}");
        Assert.Equal(20, Count(funnel, "referred"));
        Assert.Equal(15, Count(funnel, "accepted"));
        Assert.Equal(15, Count(funnel, "engaged"));   // 14 held a conversation: rounded to 15
        Assert.Equal(10, Count(funnel, "finished"));
        Assert.Equal(10, Count(funnel, "recovered"));
        Assert.Equal(0, Count(funnel, "sustainedAt12Months"));

        // A partner with three referrals: every non-zero count is suppressed, and so is every rate over them.
        var small = await EpisodeDriver.Start(service);
        for (var i = 0; i < 3; i++) await small.Episode(held: 2, phq9Start: 15, gad7Start: 9, phq9End: 5, gad7End: 3);
        var smallSummary = await analyst.GetFromJsonAsync<JsonElement>($"/api/v1/outcomes/summary?{WholeRange}&partnerId={small.PartnerId}");
        var s = Assert.Single(smallSummary.GetProperty("groups").EnumerateArray());
        foreach (var name in new[] { "referrals", "accepted", "finished", "finishedAtCaseness", "recovered", "reliablyImproved", "reliablyRecovered" })
        {
            Assert.Null(Count(s, name));
            Assert.True(s.GetProperty(name).GetProperty("suppressed").GetBoolean());
        }

        Assert.Equal(0, Count(s, "reliablyDeteriorated"));
        Assert.Equal((null, null), Rate(s, "recoveryRate"));
        Assert.Equal((null, null), Rate(s, "reliableDeteriorationRate"));
    }

    [Fact]
    public async Task The_report_period_is_the_month_the_referral_was_received()
    {
        var d = await EpisodeDriver.Start(service);
        for (var i = 0; i < 10; i++) await d.Refer();
        var month = service.Clock.GetUtcNow().UtcDateTime;
        var analyst = await Analyst();

        var byMonth = await analyst.GetFromJsonAsync<JsonElement>($"/api/v1/outcomes/summary?{WholeRange}&partnerId={d.PartnerId}&groupBy=month");
        var group = Assert.Single(byMonth.GetProperty("groups").EnumerateArray());
        Assert.Equal(month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), group.GetProperty("key").GetString());
        Assert.Equal(10, Count(group, "referrals"));

        var before = DateOnly.FromDateTime(month).AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var earlier = await analyst.GetFromJsonAsync<JsonElement>($"/api/v1/outcomes/summary?from=2000-01-01&to={before}&partnerId={d.PartnerId}");
        Assert.Equal(0, Count(Assert.Single(earlier.GetProperty("groups").EnumerateArray()), "referrals"));
    }

    [Theory]
    [InlineData("/api/v1/outcomes/summary?from=2026-13-01", "from")]
    [InlineData("/api/v1/outcomes/summary?to=yesterday", "to")]
    [InlineData("/api/v1/outcomes/summary?groupBy=week", "groupBy")]
    [InlineData("/api/v1/outcomes/summary?partnerId=not-a-guid", "partnerId")]
    [InlineData("/api/v1/outcomes/summary?from=2026-06-01&to=2026-01-01", "from")]
    [InlineData("/api/v1/outcomes/funnel?groupBy=month", "groupBy")]
    [InlineData("/api/v1/outcomes/relapse?from=1st%20May", "from")]
    [InlineData("/api/v1/outcomes/waiting-times?to=2026-02-30", "to")]
    [InlineData("/api/v1/outcomes/export.csv?partnerId=42", "partnerId")]
    public async Task Bad_report_parameters_get_a_problem_naming_the_field(string url, string field)
    {
        var response = await (await Analyst()).GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Theory]
    [InlineData("caseworker")]
    [InlineData("practitioner")]
    [InlineData("admin")]
    public async Task Only_analysts_read_the_reports(string role)
    {
        var client = role == "practitioner" ? (await new Scenario(service).ClearedPractitioner()).Client : (await service.ClientFor(role)).Client;
        foreach (var url in new[] { "summary", "funnel", "relapse", "waiting-times", "export.csv" })
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"/api/v1/outcomes/{url}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await service.ClientWithKey(null).GetAsync("/api/v1/outcomes/summary")).StatusCode);
    }

    [Fact]
    public async Task Waiting_times_give_median_and_90th_percentile_days_once_the_group_is_large_enough()
    {
        var d = await EpisodeDriver.Start(service);
        var participants = new List<Guid>();
        for (var i = 0; i < 10; i++)
        {
            var (referral, participant) = await d.Refer();
            participants.Add(participant);
            await d.Accept(referral);
        }

        var analyst = await Analyst();
        var report = await analyst.GetFromJsonAsync<JsonElement>($"/api/v1/outcomes/waiting-times?{WholeRange}&partnerId={d.PartnerId}");
        var accepted = report.GetProperty("receivedToAccepted");
        Assert.Equal(10, accepted.GetProperty("episodes").GetProperty("value").GetInt32());
        Assert.Equal(0m, accepted.GetProperty("medianDays").GetDecimal());
        var first = report.GetProperty("acceptedToFirstConversation");
        Assert.Equal(0, first.GetProperty("episodes").GetProperty("value").GetInt32());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("medianDays").ValueKind);
    }
}
