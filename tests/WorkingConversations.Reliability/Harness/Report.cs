using System.Globalization;
using System.Text;

namespace WorkingConversations.Reliability.Harness;

/// <summary>A promise checked: whether it held, and what was found.</summary>
public sealed record Check(string Scenario, string Promise, bool Held, string Found);

/// <summary>A measured figure of a scenario.</summary>
public sealed record Figure(string Scenario, string What, string Value);

/// <summary>What a harness run found, rendered as the body of docs/reliability.md.</summary>
public sealed class Report
{
    private readonly List<Check> _checks = [];
    private readonly List<Figure> _figures = [];
    private readonly List<string> _notes = [];

    public IReadOnlyList<Check> Checks => _checks;
    public IReadOnlyList<Figure> Figures => _figures;
    public IEnumerable<Check> Failures => _checks.Where(c => !c.Held);
    public bool Passed => _checks.Count > 0 && _checks.All(c => c.Held);

    public void Check(string scenario, string promise, bool held, string found)
    {
        _checks.Add(new Check(scenario, promise, held, found));
        Console.WriteLine($"[{(held ? "held" : "BROKEN")}] {scenario}: {promise}: {found}");
    }

    public void Figure(string scenario, string what, string value)
    {
        _figures.Add(new Figure(scenario, what, value));
        Console.WriteLine($"[figure] {scenario}: {what}: {value}");
    }

    public void Figure(string scenario, string what, double value, string unit) =>
        Figure(scenario, what, value.ToString("0.#", CultureInfo.InvariantCulture) + unit);

    public void Note(string note)
    {
        _notes.Add(note);
        Console.WriteLine($"[note] {note}");
    }

    public string Render(string command, DateTimeOffset at, string form)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"Last {form} run: {at:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, with `{command}`.");
        md.AppendLine(CultureInfo.InvariantCulture, $"Result: **{(Passed ? "every promise held" : $"{Failures.Count()} promise(s) broken")}**.");
        md.AppendLine();
        foreach (var scenario in _checks.Select(c => c.Scenario).Concat(_figures.Select(f => f.Scenario)).Distinct())
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"### {scenario}");
            md.AppendLine();
            var figures = _figures.Where(f => f.Scenario == scenario).ToArray();
            if (figures.Length > 0)
            {
                md.AppendLine("| figure | value |");
                md.AppendLine("|---|---|");
                foreach (var f in figures) md.AppendLine(CultureInfo.InvariantCulture, $"| {f.What} | {f.Value} |");
                md.AppendLine();
            }

            var checks = _checks.Where(c => c.Scenario == scenario).ToArray();
            if (checks.Length > 0)
            {
                md.AppendLine("| promise | held | found |");
                md.AppendLine("|---|---|---|");
                foreach (var c in checks) md.AppendLine(CultureInfo.InvariantCulture, $"| {c.Promise} | {(c.Held ? "yes" : "**no**")} | {c.Found.Replace("|", "\\|", StringComparison.Ordinal)} |");
                md.AppendLine();
            }
        }

        if (_notes.Count > 0)
        {
            md.AppendLine("### Notes");
            md.AppendLine();
            foreach (var n in _notes) md.AppendLine(CultureInfo.InvariantCulture, $"- {n}");
            md.AppendLine();
        }

        return md.ToString();
    }
}
