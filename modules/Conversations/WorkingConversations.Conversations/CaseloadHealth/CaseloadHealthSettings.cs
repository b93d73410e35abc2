using Microsoft.Extensions.Configuration;

namespace WorkingConversations.Conversations.CaseloadHealth;

/// <summary>The settings of the caseload prompts (section <c>Conversations:CaseloadHealth</c>).</summary>
internal sealed record CaseloadHealthSettings
{
    public static CaseloadHealthSettings Default { get; } = new();

    /// <summary>A participant with no conversation for more than this many weeks is a prompt.</summary>
    public int QuietWeeks { get; init; } = 3;

    /// <summary>How many conversations in a row the scale must be flat or falling for a prompt.</summary>
    public int FlatConversations { get; init; } = 3;

    public static CaseloadHealthSettings From(IConfiguration configuration)
    {
        var settings = configuration.GetSection("Conversations:CaseloadHealth").Get<CaseloadHealthSettings>() ?? Default;
        if (settings.QuietWeeks < 1) throw new InvalidOperationException("Conversations:CaseloadHealth:QuietWeeks must be 1 or more.");
        if (settings.FlatConversations < 2) throw new InvalidOperationException("Conversations:CaseloadHealth:FlatConversations must be 2 or more.");
        return settings;
    }
}
