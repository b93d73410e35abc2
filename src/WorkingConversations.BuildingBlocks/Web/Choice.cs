namespace WorkingConversations.BuildingBlocks.Web;

/// <summary>One option of radios or a select: the value the form sends, and what a person reads.</summary>
public sealed record Choice(string Value, string Text, string? Hint = null)
{
    /// <summary>API values ("cancelled-by-participant") as a person reads them ("Cancelled by participant").</summary>
    public static IReadOnlyList<Choice> Of(IEnumerable<string> values) => values.Select(v => new Choice(v, Words(v))).ToList();

    public static string Words(string value) => value.Length == 0 ? value : char.ToUpperInvariant(value[0]) + value[1..].Replace('-', ' ');
}
