using System.Globalization;
using System.Text;
using WorkingConversations.Reliability.Harness;

namespace WorkingConversations.Reliability;

/// <summary>
/// The full form, run by tests/WorkingConversations.Reliability/run.sh:
/// <c>dotnet run -c Release --project tests/WorkingConversations.Reliability -- --host &lt;dll&gt; [--form short|full] [--output docs/reliability.md]</c>.
/// </summary>
public static class Program
{
    public const string Begin = "<!-- figures of the last run: written by the harness -->";
    public const string End = "<!-- end of the figures -->";

    public static async Task<int> Main(string[] args)
    {
        var options = HarnessOptions.Parse(args);
        var started = DateTimeOffset.UtcNow;
        var report = await ReliabilityHarness.RunAsync(options);
        var output = Array.IndexOf(args, "--output") is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        var section = Array.IndexOf(args, "--section") is var j and >= 0 && j + 1 < args.Length ? args[j + 1] : null;
        var command = string.Join(" ", ["tests/WorkingConversations.Reliability/run.sh", .. Shown(args)]);
        var figures = report.Render(command, started, section is null ? options.Form : $"{options.Form} ({section})");
        Console.WriteLine();
        Console.WriteLine(figures);
        if (output is not null)
        {
            var (begin, end) = Markers(section);
            await File.WriteAllTextAsync(output, Splice(File.Exists(output) ? await File.ReadAllTextAsync(output) : "", figures, begin, end));
            Console.WriteLine($"written to {output}");
        }

        return report.Passed ? 0 : 1;
    }

    /// <summary>The arguments that shape the run, as the command to give again (the host and output paths are run.sh's own).</summary>
    private static IEnumerable<string> Shown(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] is "--host" or "--output") i++;
            else yield return args[i];
        }
    }

    /// <summary>The markers of the full form's figures, or of a named section's (<c>--section two-nodes</c>).</summary>
    public static (string Begin, string End) Markers(string? section) => section is null
        ? (Begin, End)
        : ($"<!-- figures of the {section} run: written by the harness -->", $"<!-- end of the {section} figures -->");

    /// <summary>Puts the figures between the markers of the document, keeping everything around them.</summary>
    public static string Splice(string document, string figures, string beginMarker = Begin, string endMarker = End)
    {
        var block = new StringBuilder().AppendLine(beginMarker).AppendLine(figures.TrimEnd()).Append(endMarker).ToString();
        var begin = document.IndexOf(beginMarker, StringComparison.Ordinal);
        var end = document.IndexOf(endMarker, StringComparison.Ordinal);
        if (begin < 0 || end < begin) return document.TrimEnd() + (document.Length > 0 ? "\n\n" : "") + block + "\n";
        return string.Concat(document.AsSpan(0, begin), block, document.AsSpan(end + endMarker.Length));
    }
}
