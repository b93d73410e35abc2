using System.Collections.Immutable;
using WorkingConversations.Conversations.Contracts;

namespace WorkingConversations.Conversations;

/// <summary>The Conversations module's write model of a journey: the current episode, its practitioner and conversations.</summary>
public sealed record ConversationsJourney(Guid Id, EpisodeState? Episode)
{
    public static ConversationsJourney Create(EpisodeOpened e) => new(e.ParticipantId, EpisodeState.Open(e));

    public ConversationsJourney Apply(EpisodeOpened e) => this with { Episode = EpisodeState.Open(e) };

    public ConversationsJourney Apply(PractitionerAssigned e) => Change(e.EpisodeNumber, s => s with { PractitionerId = e.PractitionerId });

    public ConversationsJourney Apply(ConversationScheduled e) =>
        Change(e.EpisodeNumber, s => s with { Conversations = s.Conversations.SetItem(e.ConversationId, ConversationStatuses.Scheduled) });

    public ConversationsJourney Apply(ConversationHeld e) =>
        Change(e.EpisodeNumber, s => s with { Conversations = s.Conversations.SetItem(e.ConversationId, ConversationStatuses.Held), Held = s.Held + 1 });

    public ConversationsJourney Apply(ConversationMissed e) =>
        Change(e.EpisodeNumber, s => s with { Conversations = s.Conversations.SetItem(e.ConversationId, ConversationStatuses.Missed) });

    public ConversationsJourney Apply(EpisodeEnded e) => Change(e.EpisodeNumber, s => s with { Ended = true });

    private ConversationsJourney Change(int episode, Func<EpisodeState, EpisodeState> change) =>
        Episode is { } s && s.EpisodeNumber == episode ? this with { Episode = change(s) } : this;
}

public sealed record EpisodeState(int EpisodeNumber, Guid ReferralId, Guid? PractitionerId, ImmutableDictionary<Guid, string> Conversations, int Held, bool Ended)
{
    public static EpisodeState Open(EpisodeOpened e) => new(e.EpisodeNumber, e.ReferralId, null, ImmutableDictionary<Guid, string>.Empty, 0, false);
}

public static class ConversationStatuses
{
    public const string Scheduled = "scheduled";
    public const string Held = "held";
    public const string Missed = "missed";
}
