using System.Text.Json.Nodes;
using System.Text.Json;
using WorkingConversations.BuildingBlocks.Journey;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.Journey.Contracts;

namespace WorkingConversations.Journey.ReadingState;

/// <summary>The journey's state (api.md, "Journey state"): each episode with the fields every module contributes.</summary>
internal sealed record JourneyStateView(Guid ParticipantId, long Version, DateTimeOffset AsOf, IReadOnlyList<JsonObject> Episodes);

internal static class JourneyState
{
    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    /// <summary>
    /// Pure: folds the events, oldest first, through every module's registered state part, and merges the parts of
    /// each episode into one object. An episode exists once any part has heard of it; a part that has not shows its
    /// empty value, so every episode carries every field.
    /// </summary>
    public static IReadOnlyList<JsonObject> Fold(JourneyCatalog catalog, IEnumerable<object> events)
    {
        var parts = catalog.StateParts;
        var episodes = new SortedDictionary<int, object?[]>();
        foreach (var data in events)
        {
            for (var i = 0; i < parts.Count; i++)
            {
                var part = parts[i];
                if (!part.Handles(data.GetType())) continue;
                var episode = part.EpisodeOf(data);
                if (!episodes.TryGetValue(episode, out var state)) episodes[episode] = state = new object?[parts.Count];
                state[i] = part.Apply(state[i] ?? part.Empty(episode), data);
            }
        }

        return episodes.Select(pair =>
        {
            var merged = new JsonObject { ["episodeNumber"] = pair.Key };
            for (var i = 0; i < parts.Count; i++)
            {
                var value = pair.Value[i] ?? parts[i].Empty(pair.Key);
                if (JsonSerializer.SerializeToNode(value, value.GetType(), Json) is not JsonObject fields) continue;
                foreach (var (name, node) in fields.ToList())
                {
                    fields.Remove(name);
                    merged[name] = node;
                }
            }

            return merged;
        }).ToList();
    }
}
