using System.Globalization;
using System.Text;
using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using WorkingConversations.Outcomes.Projections;
using WorkingConversations.Outcomes.Scoring;

namespace WorkingConversations.Outcomes.Reporting;

/// <summary>
/// One de-identified row per episode for the evaluation team. It carries no participant id, name, date of birth,
/// postcode, contact detail or free text: age is a band, dates are coarsened to the month, waits are whole days, and
/// every other value is a code, a flag or a score. The rows are written as they are read, so a large export does not
/// sit in memory.
/// </summary>
internal static class ExportEpisodes
{
    public static readonly string[] Columns =
    [
        "row", "partner_id", "received_month", "age_band", "programme", "accepted", "declined", "waitlisted", "withdrawn",
        "days_received_to_accepted", "days_accepted_to_first_conversation", "conversations_attended", "conversations_missed",
        "ended", "ended_month", "end_reason", "finished_treatment",
        "first_phq9", "last_phq9", "first_gad7", "last_gad7", "first_swemwbs_metric", "last_swemwbs_metric",
        "caseness_at_start", "recovered", "reliably_improved", "reliably_deteriorated", "reliably_recovered", "wellbeing_change",
        "employment_start", "employment_end", "housing_start", "housing_end", "money_start", "money_end",
        "someone_to_turn_to_start", "someone_to_turn_to_end", "community_start", "community_end",
        "working_start_to_end", "working_start_to_latest_follow_up", "secure_housing_start_to_end", "meets_basic_needs_start_to_end",
        "follow_ups_due", "follow_ups_done", "follow_ups_missed", "relapsed", "recurred", "sustained_recovery", "returned",
        // Added later, at the end so that a reader by position keeps working.
        "paired_scores", "secure_housing_start_to_latest_follow_up", "meets_basic_needs_start_to_latest_follow_up",
        "someone_to_turn_to_start_to_end", "someone_to_turn_to_start_to_latest_follow_up", "community_start_to_end", "community_start_to_latest_follow_up",
    ];

    public static string Header => string.Join(',', Columns);

    /// <summary>
    /// Pure: one row. Every value is a code or a number, so quoting is only defensive. An outcome that was not judged
    /// is empty, not 0: recovery and reliable change without paired scores, and caseness at the start when a first
    /// score is missing and the other is below caseness (measures.md: a missing GAD-7 is never read as below caseness).
    /// </summary>
    public static string Row(int row, EpisodeOutcome o)
    {
        static string F(bool b) => b ? "1" : "0";
        static string N(decimal? d) => d?.ToString(CultureInfo.InvariantCulture) ?? "";
        static string Month(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture) ?? "";
        static string Days(DateTimeOffset? from, DateTimeOffset? to) =>
            from is { } f && to is { } t ? ((int)Math.Floor((t - f).TotalDays)).ToString(CultureInfo.InvariantCulture) : "";
        static string B(bool? b) => b is null ? "" : F(b.Value);

        var s = o.CircumstancesAtStart;
        var e = o.CircumstancesAtEnd;
        var judged = o.Measurable != false;
        string Judged(bool flag) => judged ? F(flag) : "";
        var caseness = o.CasenessAtStart ? "1" : o.FirstPhq9 is null || o.FirstGad7 is null ? "" : "0";
        string[] values =
        [
            row.ToString(CultureInfo.InvariantCulture), o.PartnerId.ToString(), Month(o.ReceivedAt), o.AgeBand ?? "", o.Programme ?? "",
            F(o.Accepted), F(o.Declined), F(o.Waitlisted), F(o.Withdrawn),
            Days(o.ReceivedAt, o.AcceptedAt), Days(o.AcceptedAt, o.FirstConversationAt),
            o.ConversationsHeld.ToString(CultureInfo.InvariantCulture), o.ConversationsMissed.ToString(CultureInfo.InvariantCulture),
            F(o.Ended), Month(o.EndedAt), o.EndReason ?? "", F(o.FinishedTreatment),
            N(o.FirstPhq9), N(o.LastPhq9), N(o.FirstGad7), N(o.LastGad7), N(o.FirstSwemwbsMetric), N(o.LastSwemwbsMetric),
            caseness, Judged(o.Recovered), Judged(o.ReliablyImproved), Judged(o.ReliablyDeteriorated), Judged(o.ReliablyRecovered), o.WellbeingChange ?? "",
            s?.Employment ?? "", e?.Employment ?? "", s?.Housing ?? "", e?.Housing ?? "", s?.Money ?? "", e?.Money ?? "",
            B(s?.HasSomeoneToTurnTo), B(e?.HasSomeoneToTurnTo), B(s?.TakesPartInCommunity), B(e?.TakesPartInCommunity),
            o.StartToEnd?.Working ?? "", o.StartToLatestFollowUp?.Working ?? "", o.StartToEnd?.SecureHousing ?? "", o.StartToEnd?.MeetsBasicNeeds ?? "",
            o.FollowUpsDue.ToString(CultureInfo.InvariantCulture), o.FollowUpsDone.ToString(CultureInfo.InvariantCulture),
            o.FollowUpsMissed.ToString(CultureInfo.InvariantCulture), F(o.Relapsed), F(o.Recurred), F(o.SustainedRecovery), F(o.Returned),
            B(o.Measurable), o.StartToLatestFollowUp?.SecureHousing ?? "", o.StartToLatestFollowUp?.MeetsBasicNeeds ?? "",
            o.StartToEnd?.SomeoneToTurnTo ?? "", o.StartToLatestFollowUp?.SomeoneToTurnTo ?? "", o.StartToEnd?.Community ?? "", o.StartToLatestFollowUp?.Community ?? "",
        ];
        return string.Join(',', values.Select(Quote));
    }

    private static string Quote(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public static async Task<Results<PushStreamHttpResult, ValidationProblem>> Handle(
        [FromQuery(Name = "from")] string? fromDate, [FromQuery(Name = "to")] string? toDate, string? partnerId, string? groupBy,
        IQuerySession session, TimeProvider clock, CancellationToken ct)
    {
        var (query, problem) = ReportQuery.Parse(fromDate, toDate, partnerId, groupBy, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), grouping: false);
        if (query is null) return problem!;

        var fileName = FormattableString.Invariant($"episode-outcomes-{query.From:yyyy-MM-dd}-to-{query.To:yyyy-MM-dd}.csv");
        return TypedResults.Stream(async body =>
        {
            var from = query.FromInstant;
            var to = query.ToExclusive;
            var episodes = session.Query<EpisodeOutcome>().Where(x => x.ReceivedAt >= from && x.ReceivedAt < to);
            if (query.PartnerId is { } partner) episodes = episodes.Where(x => x.PartnerId == partner);

            await using var writer = new StreamWriter(body, new UTF8Encoding(false), leaveOpen: true);
            await writer.WriteLineAsync(Header.AsMemory(), ct);
            var row = 0;
            // Ordered by receipt so that two exports of one period line up; the dates themselves appear only as months.
            await foreach (var episode in QueryableExtensions.ToAsyncEnumerable(episodes.OrderBy(x => x.ReceivedAt), ct))
            {
                await writer.WriteLineAsync(Row(++row, episode).AsMemory(), ct);
            }

            await writer.FlushAsync(ct);
        }, "text/csv; charset=utf-8", fileName);
    }
}
