using System.Net.Http.Json;
using System.Text.Json;
using WorkingConversations.Testing;

namespace WorkingConversations.Outcomes.Tests.Integration;

/// <summary>
/// The analysts' practice figures over one partner's cohort built through the API: the 0-10 scale's movement from the
/// first conversation to the last against PHQ-9 and GAD-7 change, and the fidelity self-ratings, by programme.
/// </summary>
internal static class PracticeCohort
{
    public const string WholeRange = "from=2000-01-01&to=2100-12-31";

    public static readonly object Rating = new
    {
        bestHopesAsked = "yes", preferredFutureDescribed = "partly", scalingUsed = "yes", exceptionsExplored = "no", nextStepParticipantsOwn = "yes",
    };

    /// <summary>Holds one conversation per scale, the third with the fidelity rating when <paramref name="rateThird"/>.</summary>
    public static async Task Hold(EpisodeDriver d, Guid participantId, int[] scales, bool rateThird = false)
    {
        for (var i = 0; i < scales.Length; i++)
        {
            var conversation = await d.Schedule(participantId);
            await EpisodeDriver.Expect(System.Net.HttpStatusCode.OK, await d.Caseworker.PostAsJsonAsync($"/api/v1/conversations/{conversation}/record", new
            {
                attended = true, bestHopes = "Feel settled", preferredFutureSigns = Array.Empty<string>(), scale = scales[i], exceptions = "Walks",
                onePointUp = "Out once a day", riskDisclosed = false, durationMinutes = 40, fidelity = rateThird && i == 2 ? Rating : null,
            }));
            d.Service.Clock.Advance(TimeSpan.FromDays(7));
        }
    }

    public static async Task Episode(EpisodeDriver d, Guid practitioner, int[] scales, (int Start, int End)? phq9, (int Start, int End)? gad7, bool rateThird = false)
    {
        var (referral, participant) = await d.Refer();
        await d.Accept(referral);
        await d.Assign(participant, practitioner);
        await Hold(d, participant, scales, rateThird);
        var now = d.Service.Clock.GetUtcNow();
        if (phq9 is { } p)
        {
            await d.Questionnaire(participant, "PHQ-9", "start", EpisodeDriver.Phq9(p.Start), now.AddHours(-2));
            await d.Questionnaire(participant, "PHQ-9", "end", EpisodeDriver.Phq9(p.End), now);
        }

        if (gad7 is { } g)
        {
            await d.Questionnaire(participant, "GAD-7", "start", EpisodeDriver.Gad7(g.Start), now.AddHours(-2));
            await d.Questionnaire(participant, "GAD-7", "end", EpisodeDriver.Gad7(g.End), now);
        }
    }

    /// <summary>
    /// Volunteer: rose (3 to 5; PHQ-9 -7, GAD-7 -5), unchanged (4, 4; -2, 0), fell (6 to 2; +7, +5), one conversation only
    /// (not a movement), rose (2, 3, 4 rated at the third; PHQ-9 -3, no GAD-7). Apprentice: rose (5 to 7; PHQ-9 -10, GAD-7 -4).
    /// </summary>
    public static async Task<EpisodeDriver> Build(ServiceFixture service)
    {
        var d = await EpisodeDriver.Start(service);
        var apprentice = await EpisodeDriver.ClearPractitioner(service, "apprentice");
        await Episode(d, d.PractitionerId, [3, 5], (15, 8), (10, 5));
        await Episode(d, d.PractitionerId, [4, 4], (12, 10), (9, 9));
        await Episode(d, d.PractitionerId, [6, 2], (10, 17), (8, 13));
        await Episode(d, d.PractitionerId, [5], (14, 9), (9, 6));
        await Episode(d, d.PractitionerId, [2, 3, 4], (11, 8), null, rateThird: true);
        await Episode(d, apprentice, [5, 7], (20, 10), (12, 8));
        return d;
    }

    public static JsonElement Group(JsonElement report, string key) =>
        report.GetProperty("groups").EnumerateArray().Single(g => g.GetProperty("key").GetString() == key);

    public static JsonElement Movement(JsonElement group, string movement) =>
        group.GetProperty("scaleMovement").EnumerateArray().Single(m => m.GetProperty("movement").GetString() == movement);

    public static int? Value(JsonElement count) => count.GetProperty("value").ValueKind == JsonValueKind.Null ? null : count.GetProperty("value").GetInt32();

    public static decimal? Number(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : e.GetDecimal();
}

[Collection(ExactReportsCollection.Name)]
public sealed class PracticeInsightReportTests(ExactReportsService service)
{
    [Fact]
    public async Task Scale_movement_against_PHQ9_and_GAD7_change_and_the_fidelity_profile_by_programme_give_the_exact_figures()
    {
        var d = await PracticeCohort.Build(service);
        var (analyst, _, _) = await service.ClientFor("analyst");
        var report = await analyst.GetFromJsonAsync<JsonElement>($"/api/v1/outcomes/practice?{PracticeCohort.WholeRange}&partnerId={d.PartnerId}");

        Assert.Equal(["apprentice", "volunteer"], report.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("key").GetString()));
        var volunteer = PracticeCohort.Group(report, "volunteer");
        Assert.Equal(4, PracticeCohort.Value(volunteer.GetProperty("episodesWithScaleMovement")));

        var rose = PracticeCohort.Movement(volunteer, "rose");
        Assert.Equal(2, PracticeCohort.Value(rose.GetProperty("episodes")));
        var rosePhq9 = rose.GetProperty("phq9");
        Assert.Equal((2, 1, 1, 0), (PracticeCohort.Value(rosePhq9.GetProperty("paired"))!.Value, PracticeCohort.Value(rosePhq9.GetProperty("reliablyImproved"))!.Value,
            PracticeCohort.Value(rosePhq9.GetProperty("noReliableChange"))!.Value, PracticeCohort.Value(rosePhq9.GetProperty("reliablyDeteriorated"))!.Value));
        Assert.Equal(-5.0m, PracticeCohort.Number(rosePhq9.GetProperty("meanChange")));
        // The rated episode has no GAD-7: only the first rose episode is paired on it.
        var roseGad7 = rose.GetProperty("gad7");
        Assert.Equal((1, 1), (PracticeCohort.Value(roseGad7.GetProperty("paired"))!.Value, PracticeCohort.Value(roseGad7.GetProperty("reliablyImproved"))!.Value));
        Assert.Equal(-5.0m, PracticeCohort.Number(roseGad7.GetProperty("meanChange")));

        var unchanged = PracticeCohort.Movement(volunteer, "unchanged");
        Assert.Equal(1, PracticeCohort.Value(unchanged.GetProperty("episodes")));
        Assert.Equal(-2.0m, PracticeCohort.Number(unchanged.GetProperty("phq9").GetProperty("meanChange")));
        var fell = PracticeCohort.Movement(volunteer, "fell");
        Assert.Equal(1, PracticeCohort.Value(fell.GetProperty("phq9").GetProperty("reliablyDeteriorated")));
        Assert.Equal(1, PracticeCohort.Value(fell.GetProperty("gad7").GetProperty("reliablyDeteriorated")));
        Assert.Equal(5.0m, PracticeCohort.Number(fell.GetProperty("gad7").GetProperty("meanChange")));

        var fidelity = volunteer.GetProperty("fidelity");
        Assert.Equal((10, 1), (PracticeCohort.Value(fidelity.GetProperty("conversationsHeld"))!.Value, PracticeCohort.Value(fidelity.GetProperty("conversationsRated"))!.Value));
        Assert.Equal(0.1m, PracticeCohort.Number(fidelity.GetProperty("ratedShare")));
        var items = fidelity.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("item").GetString()!);
        Assert.Equal(["best-hopes-asked", "preferred-future-described", "scaling-used", "exceptions-explored", "next-step-participants-own"], items.Keys);
        Assert.Equal((1, 0, 0, 1.0m), (PracticeCohort.Value(items["best-hopes-asked"].GetProperty("yes"))!.Value, PracticeCohort.Value(items["best-hopes-asked"].GetProperty("partly"))!.Value,
            PracticeCohort.Value(items["best-hopes-asked"].GetProperty("no"))!.Value, PracticeCohort.Number(items["best-hopes-asked"].GetProperty("yesShare"))!.Value));
        Assert.Equal(1, PracticeCohort.Value(items["preferred-future-described"].GetProperty("partly")));
        Assert.Equal((1, 0m), (PracticeCohort.Value(items["exceptions-explored"].GetProperty("no"))!.Value, PracticeCohort.Number(items["exceptions-explored"].GetProperty("yesShare"))!.Value));

        var apprentice = PracticeCohort.Group(report, "apprentice");
        Assert.Equal(1, PracticeCohort.Value(PracticeCohort.Movement(apprentice, "rose").GetProperty("episodes")));
        Assert.Equal(-10.0m, PracticeCohort.Number(PracticeCohort.Movement(apprentice, "rose").GetProperty("phq9").GetProperty("meanChange")));
        Assert.Equal((2, 0), (PracticeCohort.Value(apprentice.GetProperty("fidelity").GetProperty("conversationsHeld"))!.Value,
            PracticeCohort.Value(apprentice.GetProperty("fidelity").GetProperty("conversationsRated"))!.Value));
        Assert.Equal(JsonValueKind.Null, apprentice.GetProperty("fidelity").GetProperty("items")[0].GetProperty("yesShare").ValueKind);
    }
}

[Collection(OutcomesCollection.Name)]
public sealed class PracticeInsightDisclosureTests(ServiceFixture service)
{
    [Fact]
    public async Task Under_the_published_disclosure_control_small_cells_are_suppressed_with_their_means_and_shares_and_zero_is_shown()
    {
        var d = await PracticeCohort.Build(service);
        var (analyst, _, _) = await service.ClientFor("analyst");
        var report = await analyst.GetFromJsonAsync<JsonElement>($"/api/v1/outcomes/practice?{PracticeCohort.WholeRange}&partnerId={d.PartnerId}");

        var volunteer = PracticeCohort.Group(report, "volunteer");
        var moved = volunteer.GetProperty("episodesWithScaleMovement");
        Assert.Equal(JsonValueKind.Null, moved.GetProperty("value").ValueKind);
        Assert.True(moved.GetProperty("suppressed").GetBoolean());
        var rose = PracticeCohort.Movement(volunteer, "rose");
        Assert.True(rose.GetProperty("episodes").GetProperty("suppressed").GetBoolean());
        Assert.Equal(JsonValueKind.Null, rose.GetProperty("phq9").GetProperty("meanChange").ValueKind);
        Assert.Equal(0, PracticeCohort.Value(rose.GetProperty("phq9").GetProperty("reliablyDeteriorated")));

        // Ten conversations held are shown, rounded to the nearest 5; the one rating is not, nor its share.
        var fidelity = volunteer.GetProperty("fidelity");
        Assert.Equal(10, PracticeCohort.Value(fidelity.GetProperty("conversationsHeld")));
        Assert.True(fidelity.GetProperty("conversationsRated").GetProperty("suppressed").GetBoolean());
        Assert.Equal(JsonValueKind.Null, fidelity.GetProperty("ratedShare").ValueKind);
        Assert.All(fidelity.GetProperty("items").EnumerateArray(), i => Assert.Equal(JsonValueKind.Null, i.GetProperty("yesShare").ValueKind));
    }
}
