using Marten.Events.Projections;
using WorkingConversations.BuildingBlocks.Operations.Projections;
using WorkingConversations.Conversations.Contracts;
using WorkingConversations.Outcomes.Contracts;
using WorkingConversations.Outcomes.Scoring;
using WorkingConversations.Referrals.Contracts;

namespace WorkingConversations.Outcomes.Projections;

/// <summary>
/// Folds the public journey events of every module into one <see cref="EpisodeOutcome"/> per episode. It reads events
/// only (never another module's documents), so a rebuild from the streams gives the same rows. Every Apply ends in
/// <see cref="Classify"/>, which derives all outcome flags from the facts, so the order in which facts arrive does
/// not matter. Every event it folds is on the participant's own stream, so it is rebuilt stream by stream.
/// </summary>
public partial class EpisodeOutcomeProjection : MultiStreamProjection<EpisodeOutcome, string>, IFoldsWithinOneStream
{
    private readonly OutcomeThresholds _thresholds;
    private readonly FollowUpSettings _followUps;

    public EpisodeOutcomeProjection() : this(OutcomeThresholds.Default, FollowUpSettings.Default)
    {
    }

    public EpisodeOutcomeProjection(OutcomeThresholds thresholds, FollowUpSettings followUps)
    {
        _thresholds = thresholds;
        _followUps = followUps;

        // A new referral also reaches the person's previous episode, which it may mark as "returned".
        Identities<ReferralReceived>(e => e.EpisodeNumber > 1
            ? [EpisodeOutcome.KeyOf(e.ParticipantId, e.EpisodeNumber), EpisodeOutcome.KeyOf(e.ParticipantId, e.EpisodeNumber - 1)]
            : [EpisodeOutcome.KeyOf(e.ParticipantId, e.EpisodeNumber)]);
        Identity<ReferralAttachedToOpenEpisode>(e => EpisodeOutcome.KeyOf(e.ParticipantId, e.EpisodeNumber));
        Identity<ReferralAccepted>(e => EpisodeOutcome.KeyOf(e.ParticipantId, e.EpisodeNumber));
        Identity<ReferralDeclined>(e => EpisodeOutcome.KeyOf(e.ParticipantId, e.EpisodeNumber));
        Identity<ReferralWaitlisted>(e => EpisodeOutcome.KeyOf(e.ParticipantId, e.EpisodeNumber));
        Identity<ReferralWithdrawn>(e => EpisodeOutcome.KeyOf(e.ParticipantId, e.EpisodeNumber));
        Identity<PractitionerAssigned>(e => EpisodeOutcome.KeyOf(e.ParticipantId, e.EpisodeNumber));
        Identity<ConversationHeld>(e => EpisodeOutcome.KeyOf(e.ParticipantId, e.EpisodeNumber));
        Identity<ConversationMissed>(e => EpisodeOutcome.KeyOf(e.ParticipantId, e.EpisodeNumber));
        Identity<EpisodeEnded>(e => EpisodeOutcome.KeyOf(e.ParticipantId, e.EpisodeNumber));
        Identity<QuestionnaireRecorded>(e => EpisodeOutcome.KeyOf(e.ParticipantId, e.EpisodeNumber));
        Identity<CircumstancesRecorded>(e => EpisodeOutcome.KeyOf(e.ParticipantId, e.EpisodeNumber));
        Identity<FollowUpsScheduled>(e => EpisodeOutcome.KeyOf(e.ParticipantId, e.EpisodeNumber));
        Identity<FollowUpCheckInDue>(e => EpisodeOutcome.KeyOf(e.ParticipantId, e.EpisodeNumber));
        Identity<FollowUpCheckInMissed>(e => EpisodeOutcome.KeyOf(e.ParticipantId, e.EpisodeNumber));
    }

    public EpisodeOutcome Create(ReferralReceived e) => Classify(new EpisodeOutcome
    {
        Id = EpisodeOutcome.KeyOf(e.ParticipantId, e.EpisodeNumber),
        ParticipantId = e.ParticipantId,
        EpisodeNumber = e.EpisodeNumber,
        ReferralId = e.ReferralId,
        PartnerId = e.PartnerId,
        AgeBand = AgeBands.Of(e.AgeAtReferral),
        ReceivedAt = e.ReceivedAt,
    });

    /// <summary>Only the next episode's referral reaches an existing row: the person came back.</summary>
    public EpisodeOutcome Apply(ReferralReceived e, EpisodeOutcome o) =>
        e.EpisodeNumber == o.EpisodeNumber + 1 ? Classify(o with { ReturnedAt = e.ReceivedAt }) : o;

    public EpisodeOutcome Apply(ReferralAttachedToOpenEpisode e, EpisodeOutcome o) => o with { AttachedReferrals = o.AttachedReferrals + 1 };

    public EpisodeOutcome Apply(ReferralAccepted e, EpisodeOutcome o) => o with { Accepted = true, AcceptedAt = o.AcceptedAt ?? e.AcceptedAt };

    public EpisodeOutcome Apply(ReferralDeclined e, EpisodeOutcome o) => o with { Declined = true };

    public EpisodeOutcome Apply(ReferralWaitlisted e, EpisodeOutcome o) => o with { Waitlisted = true };

    public EpisodeOutcome Apply(ReferralWithdrawn e, EpisodeOutcome o) => o with { Withdrawn = true };

    public EpisodeOutcome Apply(PractitionerAssigned e, EpisodeOutcome o)
    {
        var programmes = new Dictionary<Guid, string>(o.PractitionerProgrammes) { [e.PractitionerId] = e.Programme };
        var certified = new Dictionary<Guid, DateTimeOffset>(o.PractitionerCertifiedAt);
        if (e.PractitionerCertifiedAt is { } at) certified[e.PractitionerId] = at;
        return Classify(o with { PractitionerProgrammes = programmes, PractitionerCertifiedAt = certified });
    }

    public EpisodeOutcome Apply(ConversationHeld e, EpisodeOutcome o)
    {
        var byPractitioner = new Dictionary<Guid, int>(o.ConversationsByPractitioner);
        byPractitioner[e.PractitionerId] = byPractitioner.GetValueOrDefault(e.PractitionerId) + 1;
        var scale = new ScorePoint(e.Scale, e.HeldAt);
        var answers = new Dictionary<string, int>(o.FidelityAnswers);
        foreach (var (item, answer) in e.Fidelity?.Answers() ?? []) answers[$"{item}:{answer}"] = answers.GetValueOrDefault($"{item}:{answer}") + 1;
        return Classify(o with
        {
            FirstScale = Earlier(o.FirstScale, scale),
            LastScale = Later(o.LastScale, scale),
            FidelityRated = o.FidelityRated + (e.Fidelity is null ? 0 : 1),
            FidelityAnswers = answers,
            ConversationsHeld = o.ConversationsHeld + 1,
            FirstConversationAt = o.FirstConversationAt is { } first && first <= e.HeldAt ? first : e.HeldAt,
            ConversationsByPractitioner = byPractitioner,
            LastHeldBy = e.PractitionerId,
        });
    }

    public EpisodeOutcome Apply(ConversationMissed e, EpisodeOutcome o) => o with { ConversationsMissed = o.ConversationsMissed + 1 };

    public EpisodeOutcome Apply(EpisodeEnded e, EpisodeOutcome o) => Classify(o with { Ended = true, EndedAt = e.EndedAt, EndReason = e.Reason });

    public EpisodeOutcome Apply(QuestionnaireRecorded e, EpisodeOutcome o)
    {
        o = o with { Questionnaires = o.Questionnaires + 1 };

        // A follow-up belongs after the episode, never to its first or last score. Any instrument makes it a follow-up
        // done; only PHQ-9 and GAD-7 say anything about relapse (measures.md).
        if (e.Timepoint == Timepoints.FollowUp)
        {
            o = o with { FollowUpDates = [.. o.FollowUpDates, e.AdministeredAt] };
            return Classify(e is { Instrument: Instruments.Phq9 or Instruments.Gad7, Total: { } score }
                ? o with { FollowUpScores = [.. o.FollowUpScores, new FollowUpScore(e.Instrument, score, e.AdministeredAt)] }
                : o);
        }

        if (e.Total is not { } total) return o;
        var point = new ScorePoint(e.Instrument == Instruments.Swemwbs ? e.Metric ?? total : total, e.AdministeredAt);
        return Classify(e.Instrument switch
        {
            Instruments.Phq9 => o with { Phq9First = Earlier(o.Phq9First, point), Phq9Last = Later(o.Phq9Last, point), Phq9Questionnaires = o.Phq9Questionnaires + 1 },
            Instruments.Gad7 => o with { Gad7First = Earlier(o.Gad7First, point), Gad7Last = Later(o.Gad7Last, point), Gad7Questionnaires = o.Gad7Questionnaires + 1 },
            Instruments.Swemwbs => o with { SwemwbsFirst = Earlier(o.SwemwbsFirst, point), SwemwbsLast = Later(o.SwemwbsLast, point) },
            _ => o,
        });
    }

    public EpisodeOutcome Apply(CircumstancesRecorded e, EpisodeOutcome o)
    {
        var snapshot = new CircumstancesSnapshot(e.Timepoint, e.Housing, e.Employment, e.Money, e.HasSomeoneToTurnTo, e.TakesPartInCommunity, e.RecordedAt);
        return Classify(e.Timepoint switch
        {
            // The first start record stands (a correction is a new record at the end or a follow-up); the latest end stands.
            Timepoints.Start => o with { CircumstancesAtStart = o.CircumstancesAtStart ?? snapshot },
            Timepoints.End => o with { CircumstancesAtEnd = snapshot },
            // Circumstances alone make a follow-up done (measures.md).
            _ => o with { CircumstancesAtFollowUps = [.. o.CircumstancesAtFollowUps, snapshot], FollowUpDates = [.. o.FollowUpDates, e.RecordedAt] },
        });
    }

    public EpisodeOutcome Apply(FollowUpsScheduled e, EpisodeOutcome o) => o with
    {
        CheckIns = [.. e.Months.Select((m, i) => new FollowUpCheckInState(m, e.DueOn[i], false, false))],
    };

    public EpisodeOutcome Apply(FollowUpCheckInDue e, EpisodeOutcome o) =>
        Classify(o with { CheckIns = [.. o.CheckIns.Select(c => c.Months == e.Months ? c with { Due = true } : c)] });

    public EpisodeOutcome Apply(FollowUpCheckInMissed e, EpisodeOutcome o) =>
        Classify(o with { CheckIns = [.. o.CheckIns.Select(c => c.Months == e.Months ? c with { Due = true, Missed = true } : c)] });

    /// <summary>The quarter of a certification in UTC, as the reports write it: <c>2026-Q1</c>.</summary>
    internal static string Quarter(DateTimeOffset at) =>
        FormattableString.Invariant($"{at.UtcDateTime.Year}-Q{(at.UtcDateTime.Month - 1) / 3 + 1}");

    private static ScorePoint Earlier(ScorePoint? current, ScorePoint candidate) => current is not null && current.At <= candidate.At ? current : candidate;

    private static ScorePoint Later(ScorePoint? current, ScorePoint candidate) => current is not null && current.At > candidate.At ? current : candidate;

    /// <summary>Every derived field, from the facts alone (EpisodeClassification and FollowUpClassification).</summary>
    internal EpisodeOutcome Classify(EpisodeOutcome o)
    {
        var flags = EpisodeClassification.Classify(
            new EpisodeFacts(o.FirstPhq9, o.LastPhq9, o.FirstGad7, o.LastGad7, o.ConversationsHeld, o.Ended, o.Phq9Questionnaires, o.Gad7Questionnaires),
            _thresholds);

        Guid? mainPractitioner = o.ConversationsByPractitioner.Count == 0 ? null
            : o.ConversationsByPractitioner
                .OrderByDescending(p => p.Value)
                .ThenByDescending(p => p.Key == o.LastHeldBy)
                .Select(p => p.Key)
                .First();
        var programme = mainPractitioner is { } main ? o.PractitionerProgrammes.GetValueOrDefault(main) : null;

        var latestFollowUpCircumstances = o.CircumstancesAtFollowUps.OrderBy(c => c.RecordedAt).LastOrDefault();
        o = o with
        {
            Engaged = o.ConversationsHeld >= 1,
            Programme = programme,
            PractitionerId = mainPractitioner,
            CertifiedQuarter = mainPractitioner is { } held && o.PractitionerCertifiedAt.TryGetValue(held, out var certifiedAt) ? Quarter(certifiedAt) : null,
            FinishedTreatment = flags.FinishedTreatment,
            Measurable = flags.Measurable,
            CasenessAtStart = flags.CasenessAtStart,
            Recovered = flags.Recovered,
            ReliablyImproved = flags.ReliablyImproved,
            ReliablyDeteriorated = flags.ReliablyDeteriorated,
            ReliablyRecovered = flags.ReliablyRecovered,
            Phq9Change = flags.Phq9Change,
            Gad7Change = flags.Gad7Change,
            SwemwbsChange = o.LastSwemwbsMetric - o.FirstSwemwbsMetric,
            WellbeingChange = EpisodeClassification.ClassifyWellbeingChange(o.FirstSwemwbsMetric, o.LastSwemwbsMetric, _thresholds),
            StartToEnd = CircumstanceTransitions.Between(o.CircumstancesAtStart, o.CircumstancesAtEnd),
            StartToLatestFollowUp = CircumstanceTransitions.Between(o.CircumstancesAtStart, latestFollowUpCircumstances),
        };

        if (o.EndedAt is not { } endedAt) return o;

        var end = DateOnly.FromDateTime(endedAt.UtcDateTime);
        static DateOnly Day(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime);
        var scoresByDay = o.FollowUpScores.Where(f => f.At >= endedAt).ToLookup(f => Day(f.At));
        decimal? Latest(DateOnly day, string instrument) =>
            scoresByDay[day].Where(f => f.Instrument == instrument).OrderBy(f => f.At).Select(f => (decimal?)f.Total).LastOrDefault();
        var followUps = o.FollowUpDates
            .Where(at => at >= endedAt)
            .Select(Day)
            .Distinct()
            .Select(day => new FollowUpScores(day, Latest(day, Instruments.Phq9), Latest(day, Instruments.Gad7)))
            .ToList();

        // Like the episode flags, this does not depend on a denominator: the reports count it among finished episodes.
        var endedInRecovery = flags.Recovered;
        var after = FollowUpClassification.Classify(end, endedInRecovery, o.LastPhq9, o.LastGad7, followUps, _thresholds, _followUps);
        var kept = FollowUpClassification.CheckIns(end, followUps.Select(f => f.Date), end, _followUps)
            .Where(c => c.Status == CheckInStatus.Done).Select(c => c.Months).ToHashSet();
        var returned = o.ReturnedAt is { } back && FollowUpClassification.Returned(end, [Day(back)], _followUps);
        var statuses = o.CheckIns.Select(c => (c.Months,
            kept.Contains(c.Months) ? CheckInStatus.Done : c.Missed ? CheckInStatus.Missed : CheckInStatus.Pending));
        var stayingWell = StayingWellCurve.Points(end, endedInRecovery, statuses, after.FirstRelapseDate, _followUps);

        // Start to 12 months: circumstances recorded in the window of the check-in due at the end of the relapse window.
        var twelve = end.AddMonths(_followUps.RelapseWindowMonths);
        var at12 = o.CircumstancesAtFollowUps
            .Where(c => Day(c.RecordedAt) >= twelve.AddDays(-_followUps.GraceDays) && Day(c.RecordedAt) <= twelve.AddDays(_followUps.GraceDays))
            .OrderBy(c => c.RecordedAt).LastOrDefault();

        // Done comes from the follow-ups recorded, under today's rule; missed is the handler's word that the window
        // closed, unless the follow-ups show the check-in kept after all (the rule the handler went by may have been
        // narrower), so a rebuild gives every old episode today's figures.
        return o with
        {
            Relapsed = after.Relapsed,
            FirstRelapseOn = after.FirstRelapseDate,
            Recurred = after.Recurred,
            SustainedRecovery = after.SustainedRecovery,
            FollowUpsDue = o.CheckIns.Count(c => c.Due),
            FollowUpsMissed = o.CheckIns.Count(c => c.Missed && !kept.Contains(c.Months)),
            FollowUpsDone = kept.Count,
            Returned = returned,
            StayingWellAt = new Dictionary<int, string>(stayingWell),
            CircumstancesAt12Months = at12,
            StartTo12Months = CircumstanceTransitions.Between(o.CircumstancesAtStart, at12),
        };
    }
}
