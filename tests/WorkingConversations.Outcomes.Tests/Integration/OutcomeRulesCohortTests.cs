using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;
using WorkingConversations.Outcomes.FollowingUp;
using WorkingConversations.Testing;

namespace WorkingConversations.Outcomes.Tests.Integration;

/// <summary>
/// One partner's cohort, built through the API and followed up for thirteen months of service time, that mixes paired,
/// PHQ-9-only and GAD-7-only episodes, follow-ups in and out of their windows and follow-ups done with non-clinical
/// instruments only. Disclosure control is off (<see cref="ExactReportsService"/>), so the summary, the funnel and the
/// relapse report must give exactly the counts and rates worked out by hand below.
/// </summary>
[Collection(ExactReportsCollection.Name)]
public sealed class OutcomeRulesCohortTests(ExactReportsService service)
{
    private const string WholeRange = "from=2000-01-01&to=2100-12-31";

    private sealed record Member(string Name, Guid ParticipantId, Person Person)
    {
        public DateTimeOffset EndedAt { get; set; }
    }

    private async Task<Member> Episode(EpisodeDriver d, string name, int held, (int Start, int End)? phq9, (int Start, int End)? gad7, bool end = true,
        bool endScores = true)
    {
        var person = Person.Unique();
        var (referral, participant) = await d.Refer(person);
        await d.Accept(referral);
        await d.Assign(participant);
        await d.Hold(participant, held);
        var now = service.Clock.GetUtcNow();
        if (phq9 is { } p)
        {
            await d.Questionnaire(participant, "PHQ-9", "start", EpisodeDriver.Phq9(p.Start), now.AddHours(-1));
            if (endScores) await d.Questionnaire(participant, "PHQ-9", "end", EpisodeDriver.Phq9(p.End), now);
        }

        if (gad7 is { } g)
        {
            await d.Questionnaire(participant, "GAD-7", "start", EpisodeDriver.Gad7(g.Start), now.AddHours(-1));
            if (endScores) await d.Questionnaire(participant, "GAD-7", "end", EpisodeDriver.Gad7(g.End), now);
        }

        var member = new Member(name, participant, person);
        if (end)
        {
            await d.End(participant);
            member.EndedAt = (await d.Outcome(participant)).EndedAt!.Value;
        }

        return member;
    }

    /// <summary>Moves the service's clock to <paramref name="at"/> and records there, as a follow-up would be.</summary>
    private async Task FollowUp(EpisodeDriver d, Member m, DateTimeOffset at, string instrument, int?[] answers)
    {
        service.Clock.Set(at);
        await d.Questionnaire(m.ParticipantId, instrument, "follow-up", answers, at);
    }

    /// <summary>The scheduler's two messages for one check-in of every ended member, delivered once its window has closed.</summary>
    private async Task CloseCheckIns(IEnumerable<Member> ended, int months)
    {
        var latestDue = ended.Max(m => m.EndedAt.AddMonths(months));
        service.Clock.Set(latestDue.AddDays(15).AddHours(1));
        await using var scope = service.Services.CreateAsyncScope();
        var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
        await service.WaitForMessages(async () =>
        {
            foreach (var m in ended)
            {
                var due = m.EndedAt.AddMonths(months);
                await bus.InvokeAsync(new FollowUpCheckInReminder(m.ParticipantId, 1, months, m.EndedAt, due));
                await bus.InvokeAsync(new FollowUpWindowClosed(m.ParticipantId, 1, months, m.EndedAt, due));
            }
        }, timeoutSeconds: 120);
    }

    private static int Count(JsonElement report, string name)
    {
        var count = report.GetProperty(name);
        Assert.False(count.TryGetProperty("suppressed", out _), $"{name} is suppressed");
        return count.GetProperty("value").GetInt32();
    }

    private static (decimal? Nhs, decimal? All) Rate(JsonElement report, string name)
    {
        var r = report.GetProperty(name);
        static decimal? D(JsonElement e) => e.ValueKind == JsonValueKind.Number ? e.GetDecimal() : null;
        return (D(r.GetProperty("nhs")), D(r.GetProperty("allReferrals")));
    }

    [Fact]
    public async Task The_summary_funnel_and_relapse_report_give_the_exact_counts_and_both_rates_of_a_mixed_cohort()
    {
        var d = await EpisodeDriver.Start(service);

        // Finished (2 conversations, ended), paired, recovered: PHQ-9 15 to 5 and GAD-7 9 to 3.
        var r1 = await Episode(d, "R1", 2, (15, 5), (9, 3));
        await d.Circumstances(r1.ParticipantId, "start", "insecure", "unemployed-seeking-work", "usually-cannot", someone: false, community: false);
        await d.Circumstances(r1.ParticipantId, "end", "secure", "employed-part-time", "meets-basic-needs", someone: true, community: false);
        var r2 = await Episode(d, "R2", 2, (15, 5), (9, 3));
        var r3 = await Episode(d, "R3", 2, (15, 5), (9, 3));
        var r4 = await Episode(d, "R4", 2, (15, 5), (9, 3));
        var r5 = await Episode(d, "R5", 2, (15, 5), (9, 3));
        // Finished and paired, not recovered: still at caseness; and never at caseness, reliably worse.
        var n1 = await Episode(d, "N1", 2, (15, 14), (9, 9));
        var n2 = await Episode(d, "N2", 2, (6, 12), (4, 8));
        // Finished without paired scores: PHQ-9 only, GAD-7 only, one of each at the start only.
        var q1 = await Episode(d, "Q1", 2, (15, 5), null);
        var g1 = await Episode(d, "G1", 2, null, (12, 3));
        var s1 = await Episode(d, "S1", 2, (15, 15), (9, 9), endScores: false);
        // Not finished: ended after one conversation; still open after three.
        var u1 = await Episode(d, "U1", 1, (15, 5), (9, 3));
        await Episode(d, "U2", 3, (15, 5), (9, 3), end: false);
        // Never accepted.
        await d.Triage((await d.Refer()).ReferralId, "decline", new { reason = "Needs a clinical service" });
        await d.Refer();
        Member[] ended = [r1, r2, r3, r4, r5, n1, n2, q1, g1, s1, u1];

        // One month: R1 well; R2 relapses (PHQ-9 11: at caseness, 6 above its last 5); R3 UCLA-3 only; N1 worse, but it
        // never recovered. R4, R5 and the rest record nothing.
        await FollowUp(d, r1, r1.EndedAt.AddMonths(1).AddDays(3), "PHQ-9", EpisodeDriver.Phq9(4));
        await FollowUp(d, r1, r1.EndedAt.AddMonths(1).AddDays(3), "GAD-7", EpisodeDriver.Gad7(2));
        await FollowUp(d, r2, r2.EndedAt.AddMonths(1).AddDays(3), "PHQ-9", EpisodeDriver.Phq9(11));
        await FollowUp(d, r3, r3.EndedAt.AddMonths(1).AddDays(3), "UCLA-3", [2, 2, 2]);
        await FollowUp(d, n1, n1.EndedAt.AddMonths(1).AddDays(3), "PHQ-9", EpisodeDriver.Phq9(20));
        await CloseCheckIns(ended, 1);

        // Two months: R2 and U1 (ended, not finished) are referred again: both returned.
        service.Clock.Set(ended.Max(m => m.EndedAt).AddMonths(2));
        await d.Refer(r2.Person);
        await d.Refer(u1.Person);

        // Three months: R5's circumstances only. Six months: R5's GAD-7 7, 4 above its last 3 but below caseness: no relapse.
        service.Clock.Set(r5.EndedAt.AddMonths(3).AddDays(3));
        await d.Circumstances(r5.ParticipantId, "follow-up", "secure", "employed-part-time", "meets-basic-needs", someone: true, community: true);
        await CloseCheckIns(ended, 3);
        await FollowUp(d, r5, r5.EndedAt.AddMonths(6).AddDays(3), "GAD-7", EpisodeDriver.Gad7(7));
        await CloseCheckIns(ended, 6);

        // Twelve months: R1, R2 and Q1 well on PHQ-9; R3 SWEMWBS only (done, and says nothing about relapse).
        await FollowUp(d, r1, r1.EndedAt.AddMonths(12).AddDays(3), "PHQ-9", EpisodeDriver.Phq9(4));
        await FollowUp(d, r2, r2.EndedAt.AddMonths(12).AddDays(3), "PHQ-9", EpisodeDriver.Phq9(5));
        await FollowUp(d, q1, q1.EndedAt.AddMonths(12).AddDays(3), "PHQ-9", EpisodeDriver.Phq9(4));
        await FollowUp(d, r3, r3.EndedAt.AddMonths(12).AddDays(3), "SWEMWBS", [4, 4, 3, 4, 3, 4, 3]);
        await CloseCheckIns(ended, 12);
        // R4's 12-month check-in, well but 20 days after it was due: it counts as missed. R1 at 13 months: a recurrence.
        await FollowUp(d, r4, r4.EndedAt.AddMonths(12).AddDays(20), "PHQ-9", EpisodeDriver.Phq9(4));
        await FollowUp(d, r1, r1.EndedAt.AddMonths(12).AddDays(40), "PHQ-9", EpisodeDriver.Phq9(16));

        var analyst = (await service.ClientFor("analyst")).Client;
        var partner = $"{WholeRange}&partnerId={d.PartnerId}";

        // 16 referrals: 14 first ones and R2's and U1's second. 12 accepted; 10 finished, 3 of them without paired scores
        // (Q1, G1, S1); of the 7 measurable, 6 at caseness at the start (not N2), 5 recovered reliably (R1 to R5), 1
        // reliably deteriorated (N2).
        var summary = Assert.Single((await analyst.GetFromJsonAsync<JsonElement>($"/api/v1/outcomes/summary?{partner}")).GetProperty("groups").EnumerateArray());
        Assert.Equal((16, 12, 10, 3, 6), (Count(summary, "referrals"), Count(summary, "accepted"), Count(summary, "finished"),
            Count(summary, "notMeasurable"), Count(summary, "finishedAtCaseness")));
        Assert.Equal((5, 5, 1, 5), (Count(summary, "recovered"), Count(summary, "reliablyImproved"), Count(summary, "reliablyDeteriorated"),
            Count(summary, "reliablyRecovered")));
        Assert.Equal((0.833m, 0.313m), Rate(summary, "recoveryRate"));                 // 5 / 6, 5 / 16
        Assert.Equal((0.714m, 0.313m), Rate(summary, "reliableImprovementRate"));      // 5 / 7, 5 / 16
        Assert.Equal((0.143m, 0.063m), Rate(summary, "reliableDeteriorationRate"));    // 1 / 7, 1 / 16
        Assert.Equal((0.833m, 0.313m), Rate(summary, "reliableRecoveryRate"));

        // Sustained: R1 (well at 12 months; its recurrence came after) and R3 (its 12-month check-in done with SWEMWBS).
        // Not R2 (relapsed), R4 (12-month check-in late), R5 (none), nor Q1 (well, but never judged recovered).
        var funnel = await analyst.GetFromJsonAsync<JsonElement>($"/api/v1/outcomes/funnel?{partner}");
        Assert.Equal((16, 12, 12, 10, 3), (Count(funnel, "referred"), Count(funnel, "accepted"), Count(funnel, "engaged"), Count(funnel, "finished"),
            Count(funnel, "notMeasurable")));
        Assert.Equal((6, 5, 2), (Count(funnel, "finishedAtCaseness"), Count(funnel, "recovered"), Count(funnel, "sustainedAt12Months")));
        Assert.Equal((0.833m, 0.313m), Rate(funnel, "recoveryRate"));
        Assert.Equal((0.4m, 0.125m), Rate(funnel, "sustainedRecoveryRate"));           // 2 / 5 recovered, 2 / 16

        // 11 ended. Check-ins: 44 due; 10 done (R1 1 and 12, R2 1 and 12, R3 1 and 12, R5 3 and 6, N1 1, Q1 12); 34 missed.
        var relapse = await analyst.GetFromJsonAsync<JsonElement>($"/api/v1/outcomes/relapse?{partner}");
        Assert.Equal((16, 11, 10, 3, 5), (Count(relapse, "referrals"), Count(relapse, "ended"), Count(relapse, "finished"), Count(relapse, "notMeasurable"),
            Count(relapse, "recoveredAtEnd")));
        Assert.Equal((1, 1, 2, 2), (Count(relapse, "relapsed"), Count(relapse, "recurred"), Count(relapse, "sustained"), Count(relapse, "returned")));
        Assert.Equal((44, 10, 34), (Count(relapse, "followUpsDue"), Count(relapse, "followUpsDone"), Count(relapse, "followUpsMissed")));
        Assert.Equal((0.2m, 0.063m), Rate(relapse, "relapseRate"));                    // 1 / 5, 1 / 16
        Assert.Equal((0.2m, 0.063m), Rate(relapse, "recurrenceRate"));
        Assert.Equal((0.4m, 0.125m), Rate(relapse, "sustainedRecoveryRate"));
        Assert.Equal((0.182m, 0.125m), Rate(relapse, "returnRate"));                   // 2 / 11 ended, 2 / 16
        Assert.Equal(0.227m, relapse.GetProperty("followUpCompletion").GetDecimal());  // 10 / 44
        Assert.Equal(funnel.GetProperty("sustainedRecoveryRate").GetRawText(), relapse.GetProperty("sustainedRecoveryRate").GetRawText());

        // The export: R1's connection transitions, and Q1's outcomes left empty rather than "not recovered".
        var csv = (await analyst.GetStringAsync($"/api/v1/outcomes/export.csv?{partner}")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var columns = csv[0].Trim().Split(',');
        Dictionary<string, string> Row(int n) => columns.Zip(csv[n].Trim().Split(',')).ToDictionary(p => p.First, p => p.Second);
        var first = Row(1);
        Assert.Equal(("gained", "stayed-bad", "1"), (first["someone_to_turn_to_start_to_end"], first["community_start_to_end"], first["paired_scores"]));
        var phq9Only = Row(8);
        Assert.Equal(("0", "", "1"), (phq9Only["paired_scores"], phq9Only["recovered"], phq9Only["finished_treatment"]));
    }
}
