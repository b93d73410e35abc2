using Marten.Events.Projections;
using WorkingConversations.BuildingBlocks.Operations.Projections;
using WorkingConversations.Conversations.Contracts;

namespace WorkingConversations.Conversations.Safeguarding;

/// <summary>
/// A safeguarding concern as caseworkers list it (api.md, "Safeguarding concerns"), projected inline from the journey
/// events so that it exists the moment the concern is saved.
/// </summary>
public sealed record SafeguardingConcern(
    Guid Id, Guid ParticipantId, int EpisodeNumber, DateTimeOffset RaisedAt, string Source, Guid SourceId, string Description,
    string Status, DateTimeOffset? AcknowledgedAt, string? ActionTaken);

public partial class SafeguardingConcernProjection : MultiStreamProjection<SafeguardingConcern, Guid>, IFoldsWithinOneStream
{
    public SafeguardingConcernProjection()
    {
        Identity<SafeguardingConcernRaised>(e => e.ConcernId);
        Identity<SafeguardingConcernAcknowledged>(e => e.ConcernId);
    }

    public SafeguardingConcern Create(SafeguardingConcernRaised e) =>
        new(e.ConcernId, e.ParticipantId, e.EpisodeNumber, e.RaisedAt, e.Source, e.SourceId, e.Description, ConcernStatuses.Open, null, null);

    public SafeguardingConcern Apply(SafeguardingConcernAcknowledged e, SafeguardingConcern c) =>
        c with { Status = ConcernStatuses.Acknowledged, AcknowledgedAt = e.AcknowledgedAt, ActionTaken = e.ActionTaken };
}
