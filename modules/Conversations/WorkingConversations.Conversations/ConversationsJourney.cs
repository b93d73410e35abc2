using System.Collections.Immutable;
using WorkingConversations.BuildingBlocks.Writing;
using WorkingConversations.Conversations.Contracts;

namespace WorkingConversations.Conversations;

/// <summary>
/// The Conversations module's write model of a journey: the current episode, its practitioner and conversations, and
/// every safeguarding concern of the journey (concerns outlive episodes, so they are held beside them).
/// </summary>
internal sealed record ConversationsJourney(Guid Id, EpisodeState? Episode, ImmutableDictionary<Guid, ConcernState> Concerns)
{
    public static ConversationsJourney Create(EpisodeOpened e) => new(e.ParticipantId, EpisodeState.Open(e), ImmutableDictionary<Guid, ConcernState>.Empty);

    // A risk indicated by Outcomes can arrive before this module has opened the episode: the concern must not wait.
    public static ConversationsJourney Create(SafeguardingConcernRaised e) =>
        new(e.ParticipantId, null, ImmutableDictionary<Guid, ConcernState>.Empty.SetItem(e.ConcernId, ConcernState.Raised(e)));

    public ConversationsJourney Apply(EpisodeOpened e) => this with { Episode = EpisodeState.Open(e) };

    public ConversationsJourney Apply(PractitionerAssigned e) => Change(e.EpisodeNumber, s => s with { PractitionerId = e.PractitionerId });

    public ConversationsJourney Apply(ConversationScheduled e) =>
        Change(e.EpisodeNumber, s => s with { Conversations = s.Conversations.SetItem(e.ConversationId, ConversationStatuses.Scheduled) });

    public ConversationsJourney Apply(ConversationHeld e) =>
        Change(e.EpisodeNumber, s => s with { Conversations = s.Conversations.SetItem(e.ConversationId, ConversationStatuses.Held), Held = s.Held + 1 });

    public ConversationsJourney Apply(ConversationMissed e) =>
        Change(e.EpisodeNumber, s => s with { Conversations = s.Conversations.SetItem(e.ConversationId, ConversationStatuses.Missed) });

    public ConversationsJourney Apply(EpisodeEnded e) => Change(e.EpisodeNumber, s => s with { Ended = true });

    public ConversationsJourney Apply(SafeguardingConcernRaised e) => this with { Concerns = Concerns.SetItem(e.ConcernId, ConcernState.Raised(e)) };

    public ConversationsJourney Apply(SafeguardingConcernAcknowledged e) =>
        Concerns.TryGetValue(e.ConcernId, out var concern)
            ? this with { Concerns = Concerns.SetItem(e.ConcernId, concern with { Status = ConcernStatuses.Acknowledged }) }
            : this;

    /// <summary>What a caller is told about a participant whose journey has no episode here, or who is not theirs to see.</summary>
    public static Refusal NoEpisode(Guid participantId) => Refusal.NotFound($"No participant with the id {participantId} has an episode.");

    /// <summary>True when a concern was already raised from this conversation or questionnaire: a redelivery raises nothing new.</summary>
    public bool HasConcernFrom(Guid sourceId) => Concerns.Values.Any(c => c.SourceId == sourceId);

    public int OpenConcerns => Concerns.Values.Count(c => c.Status == ConcernStatuses.Open);

    private ConversationsJourney Change(int episode, Func<EpisodeState, EpisodeState> change) =>
        Episode is { } s && s.EpisodeNumber == episode ? this with { Episode = change(s) } : this;
}

internal sealed record EpisodeState(int EpisodeNumber, Guid ReferralId, Guid? PractitionerId, ImmutableDictionary<Guid, string> Conversations, int Held, bool Ended)
{
    public static EpisodeState Open(EpisodeOpened e) => new(e.EpisodeNumber, e.ReferralId, null, ImmutableDictionary<Guid, string>.Empty, 0, false);

    public string Status => Ended ? EpisodeStatuses.Ended : EpisodeStatuses.Open;
}

internal sealed record ConcernState(int EpisodeNumber, string Source, Guid SourceId, string Status)
{
    public static ConcernState Raised(SafeguardingConcernRaised e) => new(e.EpisodeNumber, e.Source, e.SourceId, ConcernStatuses.Open);
}

internal static class ConversationStatuses
{
    public const string Scheduled = "scheduled";
    public const string Held = "held";
    public const string Missed = "missed";
}

internal static class EpisodeStatuses
{
    public const string Open = "open";
    public const string Ended = "ended";
}

internal static class ConcernStatuses
{
    public const string Open = "open";
    public const string Acknowledged = "acknowledged";

    public static readonly string[] All = [Open, Acknowledged];
}

internal static class ConcernSources
{
    public const string Conversation = "conversation";
    public const string Questionnaire = "questionnaire";
}

/// <summary>The extension members a 409 carries, so a client can see the state it ran into.</summary>
internal static class StateProblems
{
    public static Refusal Episode(Refusal refusal, EpisodeState episode) =>
        refusal.With("episodeStatus", episode.Status).With("episodeNumber", episode.EpisodeNumber);

    public static Refusal Conversation(Refusal refusal, string status) => refusal.With("conversationStatus", status);
}
