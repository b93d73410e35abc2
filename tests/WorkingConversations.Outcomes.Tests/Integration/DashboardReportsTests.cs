using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;
using WorkingConversations.Outcomes.FollowingUp;
using WorkingConversations.Testing;

namespace WorkingConversations.Outcomes.Tests.Integration;

/// <summary>
/// The analyst dashboard's reports over one partner's cohort, built through the API on the shared scenario chain with
/// disclosure control off (<see cref="ExactReportsService"/>), so every count and rate below is checked as worked out by
/// hand: the waiting-time distribution, the staying-well curve, the SWEMWBS change distribution, circumstances
/// transitions, practitioner cohorts and the monthly trend.
/// </summary>
[Collection(ExactReportsCollection.Name)]
public sealed class DashboardReportsTests(ExactReportsService service)
{
    private static readonly DateTimeOffset VolunteerCertified = new(2031, 2, 3, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset ApprenticeCertified = new(2031, 4, 14, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Referred = new(2031, 5, 6, 9, 0, 0, TimeSpan.Zero);
    private static readonly int?[] SwemwbsRaw19 = [3, 3, 2, 3, 3, 2, 3];
    private static readonly int?[] SwemwbsRaw25 = [4, 4, 3, 4, 3, 4, 3];

    private sealed record Member(Guid ParticipantId, Guid ReferralId)
    {
        public DateTimeOffset EndedAt { get; set; }
    }

    private void AtLeast(DateTimeOffset at)
    {
        if (service.Clock.GetUtcNow() < at) service.Clock.Set(at);
    }

    /// <summary>Assigned, two conversations held now, PHQ-9 and GAD-7 (and SWEMWBS when given) at the start and the end, ended.</summary>
    private async Task Finish(EpisodeDriver d, Member m, Guid practitioner, (int, int) phq9, (int, int) gad7, (int?[], int?[])? swemwbs = null)
    {
        await d.Assign(m.ParticipantId, practitioner);
        await d.Hold(m.ParticipantId, 2);
        var now = service.Clock.GetUtcNow();
        await d.Questionnaire(m.ParticipantId, "PHQ-9", "start", EpisodeDriver.Phq9(phq9.Item1), now.AddHours(-2));
        await d.Questionnaire(m.ParticipantId, "GAD-7", "start", EpisodeDriver.Gad7(gad7.Item1), now.AddHours(-2));
        await d.Questionnaire(m.ParticipantId, "PHQ-9", "end", EpisodeDriver.Phq9(phq9.Item2), now);
        await d.Questionnaire(m.ParticipantId, "GAD-7", "end", EpisodeDriver.Gad7(gad7.Item2), now);
        if (swemwbs is { } s)
        {
            await d.Questionnaire(m.ParticipantId, "SWEMWBS", "start", s.Item1, now.AddHours(-2));
            await d.Questionnaire(m.ParticipantId, "SWEMWBS", "end", s.Item2, now);
        }

        await d.End(m.ParticipantId);
        m.EndedAt = (await d.Outcome(m.ParticipantId)).EndedAt!.Value;
    }

    /// <summary>A follow-up PHQ-9 administered at <paramref name="at"/>, moving the clock there first when it is behind.</summary>
    private async Task FollowUp(EpisodeDriver d, Member m, int phq9, DateTimeOffset at)
    {
        AtLeast(at);
        await d.Questionnaire(m.ParticipantId, "PHQ-9", "follow-up", EpisodeDriver.Phq9(phq9), at);
    }

    private async Task CloseCheckIns(IReadOnlyList<Member> ended, int months)
    {
        AtLeast(ended.Max(m => m.EndedAt.AddMonths(months)).AddDays(15).AddHours(1));
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

    private static JsonElement Count(JsonElement report, string name) => report.GetProperty(name);

    private static int? V(JsonElement count) => count.GetProperty("value").ValueKind == JsonValueKind.Number ? count.GetProperty("value").GetInt32() : null;

    private static (decimal?, decimal?) Rate(JsonElement rate)
    {
        static decimal? D(JsonElement e) => e.ValueKind == JsonValueKind.Number ? e.GetDecimal() : null;
        return (D(rate.GetProperty("nhs")), D(rate.GetProperty("allReferrals")));
    }

    [Fact]
    public async Task Every_dashboard_report_gives_the_exact_counts_and_both_rates_of_a_known_cohort()
    {
        service.Clock.Set(VolunteerCertified);
        var d = await EpisodeDriver.Start(service);
        var volunteer = d.PractitionerId;
        service.Clock.Set(ApprenticeCertified);
        var apprentice = await EpisodeDriver.ClearPractitioner(service, "apprentice");

        // Seven referrals on one day: five seen (after 7, 7, 7, 30 and 60 days), one accepted and never seen, one declined.
        service.Clock.Set(Referred);
        var members = new List<Member>();
        for (var i = 0; i < 7; i++)
        {
            var (referral, participant) = await d.Refer();
            members.Add(new Member(participant, referral));
        }

        var (e1, e2, e3, e4, e5, e6, e7) = (members[0], members[1], members[2], members[3], members[4], members[5], members[6]);
        foreach (var m in members[..6]) await d.Accept(m.ReferralId);
        await d.Triage(e7.ReferralId, "decline", new { reason = "Needs a clinical service" });

        // E1 to E3 with the volunteer after a week, recovered; E1 and E2 with circumstances at the start and the end.
        service.Clock.Set(Referred.AddDays(7));
        foreach (var m in new[] { e1, e2, e3 })
        {
            await d.Circumstances(m.ParticipantId, "start", "insecure", "unemployed-seeking-work", "usually-cannot", someone: false, community: false);
        }

        await Finish(d, e1, volunteer, (15, 5), (9, 3), (SwemwbsRaw19, SwemwbsRaw25));
        await Finish(d, e2, volunteer, (15, 5), (9, 3), (SwemwbsRaw19, SwemwbsRaw19));
        await Finish(d, e3, volunteer, (15, 5), (9, 3));
        foreach (var m in new[] { e1, e2 })
        {
            await d.Circumstances(m.ParticipantId, "end", "secure", "employed-part-time", "meets-basic-needs", someone: true, community: false);
        }

        // E4 with the apprentice after 30 days, not recovered, wellbeing fell; E5 after 60 days, recovered.
        service.Clock.Set(Referred.AddDays(30));
        await Finish(d, e4, apprentice, (15, 14), (9, 9), (SwemwbsRaw25, SwemwbsRaw19));
        service.Clock.Set(Referred.AddDays(60));
        await Finish(d, e5, apprentice, (15, 5), (9, 3));
        Member[] ended = [e1, e2, e3, e4, e5];

        // One month: E1 and E3 well, E2 relapses (PHQ-9 11: at caseness and 6 above its last 5), E5 records nothing.
        await FollowUp(d, e1, 4, e1.EndedAt.AddMonths(1).AddDays(3));
        await FollowUp(d, e2, 11, e2.EndedAt.AddMonths(1).AddDays(3));
        await FollowUp(d, e3, 4, e3.EndedAt.AddMonths(1).AddDays(3));
        await CloseCheckIns(ended, 1);
        // Three and six months: E1 only (E3's 3-month check-in missed).
        await FollowUp(d, e1, 4, e1.EndedAt.AddMonths(3).AddDays(3));
        await CloseCheckIns(ended, 3);
        await FollowUp(d, e1, 4, e1.EndedAt.AddMonths(6).AddDays(3));
        await CloseCheckIns(ended, 6);
        // Twelve months: E1 well, now in full-time work and in a community group.
        AtLeast(e1.EndedAt.AddMonths(12).AddDays(3));
        await FollowUp(d, e1, 4, service.Clock.GetUtcNow());
        await d.Circumstances(e1.ParticipantId, "follow-up", "secure", "employed-full-time", "meets-basic-needs", someone: true, community: true);
        await CloseCheckIns(ended, 12);

        var analyst = (await service.ClientFor("analyst")).Client;
        var q = $"from=2031-05-01&to=2031-07-31&partnerId={d.PartnerId}";
        async Task<JsonElement> Get(string report, string query) => await analyst.GetFromJsonAsync<JsonElement>($"/api/v1/outcomes/{report}?{query}");

        // Waiting: 5 of 7 seen, after 7, 7, 7, 30 and 60 days.
        var waiting = await Get("waiting-times", q);
        Assert.Equal((7, 2), (V(Count(waiting, "referrals")), V(Count(waiting, "notSeen"))));
        Assert.Equal([3, 0, 1, 1, 0, 0], waiting.GetProperty("distribution").EnumerateArray().Select(b => V(b.GetProperty("episodes"))).ToArray());
        Assert.Equal((4, 5), (V(Count(waiting, "seenWithin6Weeks")), V(Count(waiting, "seenWithin18Weeks"))));
        Assert.Equal((0.8m, 0.571m), Rate(waiting.GetProperty("within6WeeksRate")));   // 4 / 5 seen, 4 / 7 referred
        Assert.Equal((1m, 0.714m), Rate(waiting.GetProperty("within18WeeksRate")));    // 5 / 5, 5 / 7
        var toFirst = waiting.GetProperty("receivedToFirstConversation");
        Assert.Equal((5, 7.0m, 48.0m), (V(toFirst.GetProperty("episodes")), toFirst.GetProperty("medianDays").GetDecimal(), toFirst.GetProperty("p90Days").GetDecimal()));

        // Staying well: E1, E2, E3 and E5 ended recovered. At 1 month E5 is censored (missed), E2 relapsed: 1 - 1/3.
        // At 3 months E3 is censored, E1 alone at risk and well.
        var well = await Get("staying-well", q);
        Assert.Equal((7, 5, 4, 1, 0, 1, 0), (V(Count(well, "referrals")), V(Count(well, "ended")), V(Count(well, "recoveredAtEnd")), V(Count(well, "relapsed")),
            V(Count(well, "recurred")), V(Count(well, "sustained")), V(Count(well, "returned"))));
        Assert.Equal((0.25m, 0.143m), Rate(well.GetProperty("relapseRate")));
        var curve = well.GetProperty("curve").EnumerateArray().Select(p => (p.GetProperty("months").GetInt32(), V(p.GetProperty("atRisk")),
            V(p.GetProperty("relapsed")), V(p.GetProperty("censored")), V(p.GetProperty("stillRecovered")), Rate(p.GetProperty("stillRecoveredShare")))).ToArray();
        Assert.Equal([
            (1, 3, 1, 1, 2, (0.667m, 0.286m)),
            (3, 1, 0, 1, 1, (0.667m, 0.143m)),
            (6, 1, 0, 0, 1, (0.667m, 0.143m)),
            (12, 1, 0, 0, 1, (0.667m, 0.143m)),
        ], curve);
        var apprenticeOnly = await Get("staying-well", q + "&programme=apprentice");
        Assert.Equal((2, 1), (V(Count(apprenticeOnly, "referrals")), V(Count(apprenticeOnly, "recoveredAtEnd"))));

        // Wellbeing: E1 +4.37, E2 0, E4 -4.37 (the meaningful change is 3).
        var wellbeing = await Get("wellbeing", q);
        Assert.Equal(3m, wellbeing.GetProperty("meaningfulChange").GetDecimal());
        Assert.Equal((7, 5, 3), (V(Count(wellbeing, "referrals")), V(Count(wellbeing, "finished")), V(Count(wellbeing, "measured"))));
        Assert.Equal([0, 1, 0, 1, 1, 0], wellbeing.GetProperty("distribution").EnumerateArray().Select(b => V(b.GetProperty("episodes"))).ToArray());
        Assert.Equal((1, 1, 1), (V(Count(wellbeing, "improved")), V(Count(wellbeing, "noMeaningfulChange")), V(Count(wellbeing, "deteriorated"))));
        Assert.Equal((0.333m, 0.143m), Rate(wellbeing.GetProperty("improvedRate")));

        // Circumstances: E1 and E2 from insecure, out of work, short of money and alone to secure, working, meeting needs,
        // with someone; E1 at 12 months in a community group too. E3 has a start only.
        var circumstances = await Get("circumstances", q);
        JsonElement Table(string name, string between) => circumstances.GetProperty("tables").EnumerateArray()
            .Single(t => t.GetProperty("circumstance").GetString() == name && t.GetProperty("between").GetString() == between);
        int? Cell(JsonElement t, string from, string to) => V(t.GetProperty("cells").EnumerateArray()
            .Single(c => c.GetProperty("from").GetString() == from && c.GetProperty("to").GetString() == to).GetProperty("episodes"));
        var housing = Table("housing", "start-to-end");
        Assert.Equal(16, housing.GetProperty("cells").GetArrayLength());
        Assert.Equal((2, 2, 0, 2), (V(housing.GetProperty("recorded")), Cell(housing, "insecure", "secure"), Cell(housing, "secure", "secure"), V(housing.GetProperty("gained"))));
        Assert.Equal((1m, 0.286m), Rate(housing.GetProperty("gainedRate")));
        Assert.Equal((null, 0m), Rate(housing.GetProperty("lostRate")));               // nobody was secure at the start
        Assert.Equal(2, Cell(Table("work", "start-to-end"), "not-working", "working"));
        Assert.Equal(2, Cell(Table("someone-to-turn-to", "start-to-end"), "no", "yes"));
        var community = Table("community", "start-to-end");
        Assert.Equal((2, 0, (0m, 0m)), (Cell(community, "no", "no"), V(community.GetProperty("gained")), Rate(community.GetProperty("gainedRate"))));
        var community12 = Table("community", "start-to-12-months");
        Assert.Equal((1, 1, (1m, 0.143m)), (V(community12.GetProperty("recorded")), Cell(community12, "no", "yes"), Rate(community12.GetProperty("gainedRate"))));
        Assert.Equal(1, Cell(Table("work", "start-to-12-months"), "not-working", "working"));

        // Cohorts: the volunteer (certified 2031-Q1) held E1 to E3, all recovered; the apprentice (2031-Q2) E4 and E5, one recovered.
        var cohorts = await Get("practitioner-cohorts", q);
        (string?, int?, int?, (decimal?, decimal?)) Group(JsonElement g) =>
            (g.GetProperty("key").GetString(), V(g.GetProperty("referrals")), V(g.GetProperty("recovered")), Rate(g.GetProperty("recoveryRate")));
        Assert.Equal([("apprentice", 2, 1, (0.5m, 0.5m)), ("none", 2, 0, (null, 0m)), ("volunteer", 3, 3, (1m, 1m))],
            cohorts.GetProperty("byProgramme").EnumerateArray().Select(Group).ToArray());
        Assert.Equal([("2031-Q1", 3, 3, (1m, 1m)), ("2031-Q2", 2, 1, (0.5m, 0.5m)), ("none", 2, 0, (null, 0m))],
            cohorts.GetProperty("byCertifiedQuarter").EnumerateArray().Select(Group).ToArray());

        // The trend: every month of the period, the empty ones as zeros.
        var trend = await Get("trend", q);
        Assert.Equal([("2031-05", 7, (0.8m, 0.571m)), ("2031-06", 0, ((decimal?)null, (decimal?)null)), ("2031-07", 0, ((decimal?)null, (decimal?)null))],
            trend.GetProperty("months").EnumerateArray().Select(m => (m.GetProperty("key").GetString(), V(m.GetProperty("referrals")), Rate(m.GetProperty("recoveryRate")))).ToArray());

        var references = await Get("national-references", "");
        Assert.Contains(references.GetProperty("references").EnumerateArray(), r => r.GetProperty("rate").GetString() == "reliableRecoveryRate"
            && r.GetProperty("value").GetDecimal() == 0.484m && r.GetProperty("year").GetString() == "April 2025");
    }
}
