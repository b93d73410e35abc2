using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Components;
using WorkingConversations.BuildingBlocks.Web;

namespace WorkingConversations.Journey.Pages;

/// <summary>One row of an episode's summary list: what a person reads, and where it links.</summary>
public sealed record StateRow(string Key, string Value, string? Href = null);

public sealed record EpisodeView(int Number, IReadOnlyList<StateRow> Rows);

public sealed record TimelineRow(long Version, string When, string Summary, string Module, string By);

/// <summary>A participant's page: the journey's state and timeline (now, or as it stood at a moment or version) and the modules' sections.</summary>
public sealed record ParticipantView(
    Guid Id, string Name, string? DateOfBirth, long Version, long CurrentVersion, string? PastLabel, IReadOnlyList<EpisodeView> Episodes,
    IReadOnlyList<TimelineRow> Timeline, string? OlderHref, string? NewestHref, IReadOnlyList<RenderFragment> Sections, bool IsCaseworker)
{
    public bool Past => PastLabel is not null;
}

/// <summary>The timeline's filters as the page's form sent them, to draw the form again.</summary>
public sealed record TimelineFilter(string? Module, string? Type, string Order, IReadOnlyList<Choice> Modules, IReadOnlyList<Choice> Types);

/// <summary>Pure: the journey state's fields as a person reads them.</summary>
internal static class StateRows
{
    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        ["status"] = "Status",
        ["referralId"] = "Referral",
        ["partnerId"] = "Partner",
        ["practitionerId"] = "Practitioner",
        ["conversationsHeld"] = "Conversations held",
        ["conversationsMissed"] = "Conversations missed",
        ["openSafeguardingConcerns"] = "Open safeguarding concerns",
        ["latestScores"] = "Latest scores",
    };

    public static EpisodeView Of(JsonObject episode, IReadOnlyDictionary<Guid, string> practitioners)
    {
        var rows = new List<StateRow>();
        foreach (var (name, node) in episode)
        {
            if (name == "episodeNumber") continue;
            var label = Labels.GetValueOrDefault(name) ?? Words(name);
            rows.Add(name switch
            {
                "referralId" when Id(node) is { } referral => new StateRow(label, "View the referral", $"/referrals/{referral}"),
                "practitionerId" => new StateRow(label, Id(node) is { } p ? practitioners.GetValueOrDefault(p) ?? p.ToString() : "Not assigned yet"),
                "latestScores" => new StateRow(label, node is JsonObject scores && scores.Count > 0
                    ? string.Join(", ", scores.Select(s => $"{s.Key} {s.Value}"))
                    : "None recorded"),
                "status" => new StateRow(label, node?.GetValue<string>() is { } status ? Choice.Words(status) : "Not known"),
                _ => new StateRow(label, node?.ToString() is { Length: > 0 } text ? text : "None"),
            });
        }

        return new EpisodeView(episode["episodeNumber"]?.GetValue<int>() ?? 0, rows);
    }

    public static Guid? Id(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) && Guid.TryParse(s, out var id) ? id : null;

    private static string Words(string camel)
    {
        var chars = new List<char>();
        foreach (var c in camel)
        {
            if (char.IsUpper(c) && chars.Count > 0) chars.Add(' ');
            chars.Add(chars.Count == 0 ? char.ToUpper(c, CultureInfo.InvariantCulture) : char.ToLower(c, CultureInfo.InvariantCulture));
        }

        return new string([.. chars]);
    }
}
