using Marten.Schema;
using WorkingConversations.Outcomes.Scoring;

namespace WorkingConversations.Outcomes.Projections;

/// <summary>
/// One row per episode for the analysts' reports, built only from the published journey events (EpisodeOutcomeProjection),
/// so it can be rebuilt from the streams at any time. It holds no name, date of birth, contact detail or free text:
/// age is a band and every field is a fact, a date, a score or a code.
/// </summary>
public sealed record EpisodeOutcome
{
    /// <summary>
    /// Marten calls this when it maps the document. The reports and the monthly rollup's trigger count and group by
    /// these fields, so they are real columns; nothing filters on them, so unlike Marten's <c>Duplicate</c> they get no
    /// index, which would cost every write of an episode row (and every row of a rebuild) eight index updates for nothing.
    /// </summary>
    public static void ConfigureMarten(DocumentMapping mapping)
    {
        mapping.DuplicateField(nameof(Programme));
        // Nullable, unlike the others: a column added to a table with rows must allow null, and the rows written before
        // it are null until the projection is rebuilt (CountedEpisodes).
        mapping.DuplicateField(nameof(Measurable));
        foreach (var counted in new[] { nameof(Accepted), nameof(FinishedTreatment), nameof(CasenessAtStart), nameof(Recovered),
                     nameof(ReliablyImproved), nameof(ReliablyDeteriorated), nameof(ReliablyRecovered) })
        {
            mapping.DuplicateField(counted, notNull: true);
        }

        // What the report cells are folded from (ReportCellRollup), and the waits whose exact percentiles are read through
        // covering indexes of the rollup's own (WaitingPercentiles), which Marten is told to leave alone.
        mapping.DuplicateField(nameof(ReportCells), pgType: "text[]");
        foreach (var wait in new[] { nameof(DaysToAccept), nameof(DaysAcceptToFirst), nameof(DaysToFirst) }) mapping.DuplicateField(wait);
        foreach (var (index, _) in Reporting.ReportCellRollup.WaitIndexes) mapping.IgnoreIndex(index);
    }

    public string Id { get; init; } = "";
    public Guid ParticipantId { get; init; }
    public int EpisodeNumber { get; init; }
    public Guid ReferralId { get; init; }
    public Guid PartnerId { get; init; }
    public string? AgeBand { get; init; }

    // Referral and triage.
    public DateTimeOffset ReceivedAt { get; init; }
    public bool Accepted { get; init; }
    public DateTimeOffset? AcceptedAt { get; init; }
    public bool Declined { get; init; }
    public bool Waitlisted { get; init; }
    public bool Withdrawn { get; init; }

    /// <summary>Referrals for the same person attached to this episode while it was open (not separate episodes).</summary>
    public int AttachedReferrals { get; init; }

    // Conversations.
    public int ConversationsHeld { get; init; }
    public int ConversationsMissed { get; init; }
    public DateTimeOffset? FirstConversationAt { get; init; }
    public Dictionary<Guid, string> PractitionerProgrammes { get; init; } = [];
    public Dictionary<Guid, int> ConversationsByPractitioner { get; init; } = [];
    public Guid? LastHeldBy { get; init; }

    /// <summary>The 0-10 scale at the earliest and the latest conversation held (the same point when one was held).</summary>
    public ScorePoint? FirstScale { get; init; }
    public ScorePoint? LastScale { get; init; }

    /// <summary>Conversations held with a fidelity self-rating, and how often each item had each answer ("item:answer").</summary>
    public int FidelityRated { get; init; }
    public Dictionary<string, int> FidelityAnswers { get; init; } = [];

    /// <summary>Programme of the practitioner who held most of the conversations (ties: the one who held the latest); null when none was held.</summary>
    public string? Programme { get; init; }

    /// <summary>The practitioner who held most of the conversations (the same rule as <see cref="Programme"/>): whose training cohort the episode counts in.</summary>
    public Guid? PractitionerId { get; init; }

    /// <summary>When each practitioner of the episode was first certified, from their assignment (null on events from before it was carried).</summary>
    public Dictionary<Guid, DateTimeOffset> PractitionerCertifiedAt { get; init; } = [];

    /// <summary>The quarter in which <see cref="PractitionerId"/> was first certified (<c>2026-Q1</c>), null when not known.</summary>
    public string? CertifiedQuarter { get; init; }

    public bool Ended { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public string? EndReason { get; init; }

    // Scores: first = earliest administered in the episode, last = latest (follow-ups excluded).
    public int Questionnaires { get; init; }
    public ScorePoint? Phq9First { get; init; }
    public ScorePoint? Phq9Last { get; init; }
    public ScorePoint? Gad7First { get; init; }
    public ScorePoint? Gad7Last { get; init; }
    public ScorePoint? SwemwbsFirst { get; init; }
    public ScorePoint? SwemwbsLast { get; init; }

    /// <summary>How many PHQ-9 and GAD-7 questionnaires the episode has (follow-ups excluded): paired scores need two of each.</summary>
    public int Phq9Questionnaires { get; init; }
    public int Gad7Questionnaires { get; init; }
    public decimal? FirstPhq9 => Phq9First?.Value;
    public decimal? LastPhq9 => Phq9Last?.Value;
    public decimal? FirstGad7 => Gad7First?.Value;
    public decimal? LastGad7 => Gad7Last?.Value;
    public decimal? FirstSwemwbsMetric => SwemwbsFirst?.Value;
    public decimal? LastSwemwbsMetric => SwemwbsLast?.Value;

    // Classification (EpisodeClassification).
    public bool Engaged { get; init; }
    public bool FinishedTreatment { get; init; }

    /// <summary>
    /// Paired scores on PHQ-9 and GAD-7 (measures.md): without them recovery and reliable change are not judged. Null on
    /// a row the projection wrote before the rule existed, until the projection is rebuilt.
    /// </summary>
    public bool? Measurable { get; init; }

    public bool CasenessAtStart { get; init; }
    public bool Recovered { get; init; }
    public bool ReliablyImproved { get; init; }
    public bool ReliablyDeteriorated { get; init; }
    public bool ReliablyRecovered { get; init; }
    public decimal? Phq9Change { get; init; }
    public decimal? Gad7Change { get; init; }
    public decimal? SwemwbsChange { get; init; }
    public string? WellbeingChange { get; init; }

    // Circumstances.
    public CircumstancesSnapshot? CircumstancesAtStart { get; init; }
    public CircumstancesSnapshot? CircumstancesAtEnd { get; init; }
    public List<CircumstancesSnapshot> CircumstancesAtFollowUps { get; init; } = [];
    public CircumstanceTransitions? StartToEnd { get; init; }
    public CircumstanceTransitions? StartToLatestFollowUp { get; init; }

    /// <summary>The follow-up circumstances that fall in the 12-month check-in's window (the latest of them), and the transitions to them from the start.</summary>
    public CircumstancesSnapshot? CircumstancesAt12Months { get; init; }
    public CircumstanceTransitions? StartTo12Months { get; init; }

    // After the episode (FollowUpClassification).
    public List<FollowUpCheckInState> CheckIns { get; init; } = [];
    /// <summary>PHQ-9 and GAD-7 recorded at follow-ups: what relapse is judged on.</summary>
    public List<FollowUpScore> FollowUpScores { get; init; } = [];

    /// <summary>When every follow-up was recorded (questionnaires of any instrument, and circumstances): what a check-in is kept by.</summary>
    public List<DateTimeOffset> FollowUpDates { get; init; } = [];

    public int FollowUpsDue { get; init; }
    public int FollowUpsDone { get; init; }
    public int FollowUpsMissed { get; init; }
    public bool Relapsed { get; init; }
    public DateOnly? FirstRelapseOn { get; init; }
    public bool Recurred { get; init; }
    public bool SustainedRecovery { get; init; }
    public bool Returned { get; init; }

    /// <summary>The staying-well curve's status at each check-in (months after the end), for an episode that ended recovered (<see cref="StayingWellCurve"/>).</summary>
    public Dictionary<int, string> StayingWellAt { get; init; } = [];
    public DateTimeOffset? ReturnedAt { get; init; }

    /// <summary>The analyst report cells this episode counts in (<see cref="Reporting.ReportCells"/>), derived from the fields above.</summary>
    public string[] ReportCells => Reporting.ReportCells.Of(this);

    /// <summary>Days from the referral's receipt to its acceptance, as the waiting-time report counts them.</summary>
    public double? DaysToAccept => Days(ReceivedAt, AcceptedAt);

    /// <summary>Days from acceptance to the first conversation held (both known).</summary>
    public double? DaysAcceptToFirst => AcceptedAt is { } accepted && FirstConversationAt is { } first
        ? ((first.UtcTicks + 5) / 10 - (accepted.UtcTicks + 5) / 10) / 86_400_000_000.0
        : null;

    /// <summary>Days from the referral's receipt to the first conversation held.</summary>
    public double? DaysToFirst => Days(ReceivedAt, FirstConversationAt);

    // PostgreSQL keeps times to the microsecond, so the days are counted as it counts them from the stored times: the
    // receipt's column is written cut to the microsecond, the other times are read from the JSON rounded to it.
    private static double? Days(DateTimeOffset received, DateTimeOffset? to) =>
        to is { } t ? ((t.UtcTicks + 5) / 10 - received.UtcTicks / 10) / 86_400_000_000.0 : null;

    public static string KeyOf(Guid participantId, int episode) => $"{participantId:N}:{episode}";
}

/// <summary>A score and when its questionnaire was administered.</summary>
public sealed record ScorePoint(decimal Value, DateTimeOffset At);

/// <summary>One instrument's score at a follow-up.</summary>
public sealed record FollowUpScore(string Instrument, decimal Total, DateTimeOffset At);

/// <summary>A scheduled check-in: due date, whether it came due, and whether it was missed.</summary>
public sealed record FollowUpCheckInState(int Months, DateTimeOffset DueOn, bool Due, bool Missed);
