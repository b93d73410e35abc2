using System.Globalization;
using WorkingConversations.Reliability.Client;
using WorkingConversations.Reliability.Harness;
using WorkingConversations.Reliability.Load;

namespace WorkingConversations.Reliability.Checks;

/// <summary>
/// The promises of a write path under crashes and outages, checked against the store itself: what was acknowledged is
/// stored once, what was sent again made one thing, and what a message or the daemon does downstream happened once.
/// </summary>
public static class ExactlyOnce
{
    private static readonly string[] Types =
    [
        "referral-received", "referral-attached-to-open-episode", "referral-accepted", "practitioner-assigned", "questionnaire-recorded", "conversation-scheduled",
        "conversation-held", "episode-opened", "safeguarding-concern-raised",
    ];

    public static async Task CheckAsync(string scenario, Report report, Store store, Ledger ledger, IReadOnlyList<Case> cases, CallbackReceiver receiver)
    {
        var events = await store.EventsAsync(Types);
        var byType = events.ToLookup(e => e.Type);
        var operations = ledger.Operations.Where(o => o.Kind != OperationKind.Referral || o.Marker.Length > 0).ToArray();

        var acknowledged = operations.Where(o => o.Acknowledged).ToArray();
        var unacknowledged = operations.Where(o => !o.Acknowledged).ToArray();
        report.Figure(scenario, "writes acknowledged", acknowledged.Length.ToString(CultureInfo.InvariantCulture));
        report.Figure(scenario, "writes sent again after no answer or a 5xx", operations.Count(o => o.WasInDoubt).ToString(CultureInfo.InvariantCulture));
        report.Figure(scenario, "attempts in all", operations.Sum(o => o.Attempts).ToString(CultureInfo.InvariantCulture));

        // How many stored records each write made, found by what it wrote.
        // A referral sent again that was not recognised as a repeat makes a second referral, attached to the first one's episode.
        var referrals = byType["referral-received"].Concat(byType["referral-attached-to-open-episode"])
            .CountBy(e => e.TextOf("PartnerReference") ?? "").ToDictionary();
        var accepts = byType["referral-accepted"].CountBy(e => e.StreamId).ToDictionary();
        var assignments = byType["practitioner-assigned"].CountBy(e => e.StreamId).ToDictionary();
        var questionnaires = byType["questionnaire-recorded"].CountBy(e => (e.StreamId, Time(e.TextOf("AdministeredAt")))).ToDictionary();
        var schedules = byType["conversation-scheduled"].CountBy(e => (e.StreamId, Time(e.TextOf("ScheduledFor")))).ToDictionary();
        var held = byType["conversation-held"].CountBy(e => (e.StreamId, e.TextOf("BestHopes") ?? "")).ToDictionary();
        var made = operations.ToDictionary(o => o, o => o.Kind switch
        {
            OperationKind.Referral => referrals.GetValueOrDefault(o.Marker),
            OperationKind.Accept => accepts.GetValueOrDefault(o.ParticipantId),
            OperationKind.Assign => assignments.GetValueOrDefault(o.ParticipantId),
            OperationKind.Questionnaire => questionnaires.GetValueOrDefault((o.ParticipantId, Time(o.Marker))),
            OperationKind.Schedule => schedules.GetValueOrDefault((o.ParticipantId, Time(o.Marker))),
            OperationKind.Record => held.GetValueOrDefault((o.ParticipantId, o.Marker)),
            _ => 0,
        });
        int Made(Operation o) => made[o];

        var lost = acknowledged.Where(o => Made(o) == 0).ToArray();
        var duplicated = operations.Where(o => Made(o) > 1).ToArray();
        report.Figure(scenario, "acknowledged writes lost", lost.Length.ToString(CultureInfo.InvariantCulture));
        report.Figure(scenario, "writes stored more than once", duplicated.Length.ToString(CultureInfo.InvariantCulture));
        report.Check(scenario, "every acknowledged write is stored exactly once",
            lost.Length == 0 && acknowledged.All(o => Made(o) == 1),
            Describe(acknowledged.Where(o => Made(o) != 1), o => $"{o.Kind} {o.Marker}: {Made(o)} stored"));

        var retried = operations.Where(o => o.WasInDoubt).ToArray();
        report.Check(scenario, "every write sent again with the same key made exactly one resource",
            retried.All(o => Made(o) == 1),
            $"{retried.Length} writes sent again; " + Describe(retried.Where(o => Made(o) != 1), o => $"{o.Kind} {o.Marker} ({o.Attempts} attempts): {Made(o)} stored"));

        report.Check(scenario, "every write got an answer in the end", unacknowledged.Length == 0,
            Describe(unacknowledged, o => $"{o.Kind} {o.Marker}: {o.Final?.ToString() ?? "no answer"}"));

        var fiveHundreds = ledger.Count(s => s >= 500 && s != 503);
        report.Check(scenario, "no 500 (or other 5xx but 503) answers", fiveHundreds == 0,
            fiveHundreds == 0 ? "none" : $"{fiveHundreds}: " + string.Join("; ", ledger.ServerErrorSamples.Where(s => !s.Contains(": 503 ", StringComparison.Ordinal)).Take(3)));

        // Downstream: what a message between modules, or the daemon, does once per cause.
        var accepted = cases.Where(c => c.Accepted).ToArray();
        var opened = byType["episode-opened"].ToLookup(e => e.StreamId);
        var wrongOpenings = accepted.Where(c => opened[c.ParticipantId!.Value].Count() != 1).ToArray();
        report.Check(scenario, "an accepted referral opened its episode exactly once", wrongOpenings.Length == 0,
            $"{accepted.Length} accepted; " + Describe(wrongOpenings, c => $"{c.Marker}: {opened[c.ParticipantId!.Value].Count()} openings"));

        var concerns = byType["safeguarding-concern-raised"].Where(e => string.Equals(e.TextOf("Source"), "questionnaire", StringComparison.OrdinalIgnoreCase))
            .ToLookup(e => e.GuidOf("SourceId"));
        var risky = cases.Where(c => c.Risky && c.QuestionnaireId is not null).ToArray();
        var wrongConcerns = risky.Where(c => concerns[c.QuestionnaireId!.Value].Count() != 1).ToArray();
        var unexpectedConcerns = cases.Where(c => !c.Risky && c.QuestionnaireId is { } q && concerns[q].Any()).ToArray();
        report.Check(scenario, "a risk in a questionnaire raised exactly one safeguarding concern", wrongConcerns.Length == 0 && unexpectedConcerns.Length == 0,
            $"{risky.Length} risky questionnaires; " + Describe(wrongConcerns, c => $"{c.Marker}: {concerns[c.QuestionnaireId!.Value].Count()} concerns"));

        var rows = await store.ScalarAsync("select count(*) from outcomes.mt_doc_episodeoutcome");
        var episodes = await store.ScalarAsync("select count(distinct (stream_id, (data->>'EpisodeNumber'))) from events.mt_events where type = 'referral-received'");
        report.Check(scenario, "every episode has exactly one outcome row", rows == episodes, $"{episodes} episodes, {rows} outcome rows");

        var referralIds = cases.Where(c => c.ReferralId is not null).Select(c => c.ReferralId!.Value).ToHashSet();
        var deliveries = receiver.Deliveries.Where(d => referralIds.Contains(d.ReferralId)).ToArray();
        var byChange = deliveries.ToLookup(d => (d.ReferralId, d.Status));
        var expected = cases.SelectMany(c => c.ExpectedCallbacks().Select(s => (c.ReferralId!.Value, s))).ToArray();
        var missing = expected.Where(e => !byChange[e].Any()).ToArray();
        var twoIds = byChange.Where(g => g.Select(d => d.CallbackId).Distinct().Count() > 1).ToArray();
        var repeats = deliveries.Length - deliveries.Select(d => d.CallbackId).Distinct().Count();
        report.Figure(scenario, "partner callbacks received", deliveries.Length.ToString(CultureInfo.InvariantCulture));
        report.Figure(scenario, "callbacks received again with the same id (allowed)", repeats.ToString(CultureInfo.InvariantCulture));
        report.Check(scenario, "every status change reached the partner, under one callback id", missing.Length == 0 && twoIds.Length == 0,
            $"{expected.Length} changes expected; {missing.Length} missing, {twoIds.Length} sent under two ids" +
            (missing.Length > 0 ? $"; e.g. {missing[0]}" : "") + (twoIds.Length > 0 ? $"; e.g. {twoIds[0].Key}" : ""));
        report.Check(scenario, "every callback was signed with the partner's secret", deliveries.All(d => d.SignatureValid),
            $"{deliveries.Count(d => !d.SignatureValid)} bad signatures");
    }

    private static DateTimeOffset Time(string? text) =>
        text is null ? DateTimeOffset.MinValue : DateTimeOffset.Parse(text, CultureInfo.InvariantCulture).ToUniversalTime();

    private static string Describe<T>(IEnumerable<T> items, Func<T, string> describe)
    {
        var list = items.ToArray();
        return list.Length == 0 ? "none wrong" : $"{list.Length} wrong, e.g. " + string.Join("; ", list.Take(3).Select(describe));
    }
}
