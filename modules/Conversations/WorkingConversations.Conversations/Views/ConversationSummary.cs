using Marten.Events.Projections;
using WorkingConversations.BuildingBlocks.Operations.Projections;
using WorkingConversations.Conversations.Contracts;

namespace WorkingConversations.Conversations.Views;

/// <summary>
/// One conversation without its free text: where a conversation id leads (its participant and episode), and what a
/// caseload needs (when it is, whether it was held). Projected inline, so it is in step with the journey it came from.
/// </summary>
public sealed record ConversationSummary(
    Guid Id, Guid ParticipantId, int EpisodeNumber, Guid PractitionerId, DateTimeOffset ScheduledFor, string Mode, string Status,
    DateTimeOffset ScheduledAt, DateTimeOffset? HeldAt, int? Scale, int? DurationMinutes, string? MissedReason, DateTimeOffset? MissedAt)
{
    /// <summary>The fidelity self-rating, when one was given (codes only: it holds no free text).</summary>
    public FidelityRating? Fidelity { get; init; }
}

public partial class ConversationSummaryProjection : MultiStreamProjection<ConversationSummary, Guid>, IFoldsWithinOneStream
{
    public ConversationSummaryProjection()
    {
        Identity<ConversationScheduled>(e => e.ConversationId);
        Identity<ConversationHeld>(e => e.ConversationId);
        Identity<ConversationMissed>(e => e.ConversationId);
    }

    public ConversationSummary Create(ConversationScheduled e) =>
        new(e.ConversationId, e.ParticipantId, e.EpisodeNumber, e.PractitionerId, e.ScheduledFor, e.Mode, ConversationStatuses.Scheduled,
            e.ScheduledAt, null, null, null, null, null);

    public ConversationSummary Apply(ConversationHeld e, ConversationSummary c) =>
        c with { Status = ConversationStatuses.Held, PractitionerId = e.PractitionerId, HeldAt = e.HeldAt, Scale = e.Scale, DurationMinutes = e.DurationMinutes, Fidelity = e.Fidelity };

    public ConversationSummary Apply(ConversationMissed e, ConversationSummary c) =>
        c with { Status = ConversationStatuses.Missed, MissedReason = e.Reason, MissedAt = e.MissedAt };
}
