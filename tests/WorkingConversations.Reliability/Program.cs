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
        var command = "tests/WorkingConversations.Reliability/run.sh" + (options.Form == "full" ? "" : " --form " + options.Form);
        var figures = report.Render(command, started, options.Form);
        Console.WriteLine();
        Console.WriteLine(figures);
        if (output is not null)
        {
            await File.WriteAllTextAsync(output, Splice(File.Exists(output) ? await File.ReadAllTextAsync(output) : "", figures));
            Console.WriteLine($"written to {output}");
        }

        return report.Passed ? 0 : 1;
    }

    /// <summary>Puts the figures between the markers of the document, keeping everything around them.</summary>
    public static string Splice(string document, string figures)
    {
        var block = new StringBuilder().AppendLine(Begin).AppendLine(figures.TrimEnd()).Append(End).ToString();
        var begin = document.IndexOf(Begin, StringComparison.Ordinal);
        var end = document.IndexOf(End, StringComparison.Ordinal);
        if (begin < 0 || end < begin) return document.TrimEnd() + (document.Length > 0 ? "\n\n" : "") + block + "\n";
        return string.Concat(document.AsSpan(0, begin), block, document.AsSpan(end + End.Length));
    }
}
