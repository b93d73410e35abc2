using System.Collections.Immutable;
using System.Text.Json.Serialization;
using Marten;
using WorkingConversations.BuildingBlocks.Journey;
using WorkingConversations.Conversations.Contracts;
using WorkingConversations.Conversations.Safeguarding;

namespace WorkingConversations.Conversations.JourneyParts;

/// <summary>Conversations' piece of each episode in the journey state (api.md): practitioner, conversations, open concerns.</summary>
internal sealed record ConversationsEpisodePart(
    Guid? PractitionerId, int ConversationsHeld, int ConversationsMissed, [property: JsonIgnore] ImmutableHashSet<Guid> OpenConcerns)
{
    public int OpenSafeguardingConcerns => OpenConcerns.Count;

    public static ConversationsEpisodePart Empty(int episode) => new(null, 0, 0, []);
}

/// <summary>What Conversations contributes to the participant journey beyond its events: state, who holds the participant, erasure.</summary>
internal static class ConversationsJourneyParts
{
    public static void Describe(JourneyCatalog catalog)
    {
        catalog
            .AddStatePart(new JourneyStatePart<ConversationsEpisodePart>(ConversationsModule.ModuleName, ConversationsEpisodePart.Empty)
                .On<EpisodeOpened>(e => e.EpisodeNumber, (p, _) => p)
                .On<PractitionerAssigned>(e => e.EpisodeNumber, (p, e) => p with { PractitionerId = e.PractitionerId })
                .On<ConversationHeld>(e => e.EpisodeNumber, (p, _) => p with { ConversationsHeld = p.ConversationsHeld + 1 })
                .On<ConversationMissed>(e => e.EpisodeNumber, (p, _) => p with { ConversationsMissed = p.ConversationsMissed + 1 })
                .On<SafeguardingConcernRaised>(e => e.EpisodeNumber, (p, e) => p with { OpenConcerns = p.OpenConcerns.Add(e.ConcernId) })
                .On<SafeguardingConcernAcknowledged>(e => e.EpisodeNumber, (p, e) => p with { OpenConcerns = p.OpenConcerns.Remove(e.ConcernId) }))
            // A practitioner holds a participant from their assignment until another is assigned or the next episode opens
            // (after an episode ends they keep it, as Conversations' own access rule does).
            .DecidesAssignment<PractitionerAssigned>(e => e.PractitionerId)
            .DecidesAssignment<EpisodeOpened>(_ => null)
            .OnErasure("conversations: safeguarding concerns rebuilt from the masked journey", RebuildConcerns);
    }

    /// <summary>
    /// The concern documents copy the description and the action taken out of the events, so after masking they are
    /// rebuilt from the masked stream with the projection's own Create and Apply methods.
    /// </summary>
    public static async Task RebuildConcerns(IDocumentSession session, Guid participantId, CancellationToken ct)
    {
        var events = await session.Events.FetchStreamAsync(participantId, token: ct);
        foreach (var concern in ReplayConcerns(events.Select(e => e.Data))) session.Store(concern);
    }

    /// <summary>Pure: the concern documents the events make, by the same rules as the inline projection.</summary>
    public static IReadOnlyCollection<SafeguardingConcern> ReplayConcerns(IEnumerable<object> events)
    {
        var projection = new SafeguardingConcernProjection();
        var concerns = new Dictionary<Guid, SafeguardingConcern>();
        foreach (var data in events)
        {
            switch (data)
            {
                case SafeguardingConcernRaised e: concerns[e.ConcernId] = projection.Create(e); break;
                case SafeguardingConcernAcknowledged e when concerns.TryGetValue(e.ConcernId, out var c): concerns[e.ConcernId] = projection.Apply(e, c); break;
            }
        }

        return concerns.Values;
    }
}
