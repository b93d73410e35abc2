using System.Globalization;
using System.Text;
using WorkingConversations.Outcomes.Scoring;

namespace WorkingConversations.Outcomes.Pages.Dashboard;

/// <summary>
/// One figure as a table, a chart and the CSV show it: the text, the number it stands for (a count, or a share from 0 to
/// 1), and whether disclosure control suppressed it. A chart draws only a cell with a value; a suppressed cell is written,
/// never drawn (web.md).
/// </summary>
public sealed record DashboardCell(string Text, decimal? Value, bool Suppressed)
{
    internal static DashboardCell Count(CountValue count, DisclosureSettings d) =>
        count.Suppressed ? SuppressedCell(d) : new(count.Value!.Value.ToString("N0", CultureInfo.InvariantCulture), count.Value, false);

    /// <summary>A rate: suppressed when a count it is made from is (the API's null), "none to count" when its denominator is 0.</summary>
    internal static DashboardCell Rate(decimal? rate, DisclosureSettings d, params CountValue[] madeFrom) =>
        rate is { } r ? new(Percent(r), r, false)
        : madeFrom.Any(c => c.Suppressed) ? SuppressedCell(d)
        : new("none to count", null, false);

    public static DashboardCell Words(string text) => new(text, null, false);

    internal static DashboardCell SuppressedCell(DisclosureSettings d) =>
        new(FormattableString.Invariant($"suppressed (fewer than {d.SuppressTo + 1})"), null, true);

    public static string Percent(decimal share) => (share * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";
}

public sealed record DashboardRow(string Header, IReadOnlyList<DashboardCell> Cells);

/// <summary>A data table: its caption, the header of the row-header column, the other columns' headers, and its rows.</summary>
public sealed record DashboardTable(string Caption, string RowHeading, IReadOnlyList<string> Columns, IReadOnlyList<DashboardRow> Rows)
{
    public DashboardCell? Cell(string row, string column)
    {
        var c = Columns.ToList().IndexOf(column);
        return c < 0 ? null : Rows.FirstOrDefault(r => r.Header == row)?.Cells[c];
    }
}

public enum ChartKind
{
    Bars,
    Lines,
}

/// <summary>A reference line at a share, across the bars of one row (or the whole chart when <see cref="Row"/> is null).</summary>
public sealed record ReferenceLine(string Label, decimal Value, string? Row);

/// <summary>A vertical mark between two categories (after the category at <see cref="AfterIndex"/>), such as the meaningful change.</summary>
public sealed record ChartMarker(string Label, int AfterIndex);

/// <summary>
/// A chart of one table: the rows it draws are its categories, the columns its series, so a bar or a point and the
/// table's cell are the same figure by construction. <see cref="Shares"/> charts run from 0 to 100%.
/// </summary>
public sealed record DashboardChart(
    string Title, ChartKind Kind, DashboardTable Table, IReadOnlyList<string> Series, bool Shares,
    IReadOnlyList<string>? Rows = null, IReadOnlyList<ReferenceLine>? References = null, IReadOnlyList<ChartMarker>? Markers = null)
{
    public IReadOnlyList<DashboardRow> Categories => Rows is null ? Table.Rows : [.. Table.Rows.Where(r => Rows.Contains(r.Header))];
}

/// <summary>One section of the dashboard and of the evidence report: what it counts, its charts and its tables.</summary>
public sealed record DashboardSection(string Id, string Title, IReadOnlyList<string> Definitions, IReadOnlyList<DashboardChart> Charts, IReadOnlyList<DashboardTable> Tables)
{
    /// <summary>
    /// The section as CSV, one line per cell of its tables (table, row, column, value), with the same text as the page,
    /// so a spreadsheet can pivot it back into any of the tables.
    /// </summary>
    public string Csv()
    {
        var csv = new StringBuilder("table,row,column,value\r\n");
        foreach (var table in Tables)
        {
            foreach (var row in table.Rows)
            {
                for (var i = 0; i < table.Columns.Count; i++)
                {
                    csv.Append(Field(table.Caption)).Append(',').Append(Field(row.Header)).Append(',').Append(Field(table.Columns[i])).Append(',')
                        .Append(Field(row.Cells[i].Text)).Append("\r\n");
                }
            }
        }

        return csv.ToString();
    }

    private static string Field(string text)
    {
        // A leading =, +, - or @ would make a spreadsheet run the cell as a formula.
        var safe = text.Length > 0 && "=+-@".Contains(text[0], StringComparison.Ordinal) ? "'" + text : text;
        return safe.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + safe.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : safe;
    }
}
