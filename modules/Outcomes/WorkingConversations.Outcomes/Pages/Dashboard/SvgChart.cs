using System.Globalization;
using System.Net;
using System.Text;

namespace WorkingConversations.Outcomes.Pages.Dashboard;

/// <summary>
/// Draws a chart as SVG on the server (ADR 0015): no script, no library, nothing from a CDN, and it prints. Every bar or
/// point carries the row, column and value of the table cell it draws (<c>data-row</c>, <c>data-column</c>,
/// <c>data-value</c>); a suppressed cell is written as "suppressed" where its bar would be, never drawn. Colours and text
/// are presentation attributes, not inline styles, which the pages' Content-Security-Policy forbids.
/// </summary>
internal static class SvgChart
{
    private const int Width = 720, Height = 320, Left = 56, Right = 16, Top = 36, Bottom = 72;
    private static readonly string[] Colours = ["#005eb8", "#768692", "#007f3b", "#ffb81c"];
    private const string ReferenceColour = "#d5281b";

    private static string F(double x) => x.ToString("0.#", CultureInfo.InvariantCulture);

    private static string E(string text) => WebUtility.HtmlEncode(text);

    public static string Render(DashboardChart chart, string id)
    {
        var rows = chart.Categories;
        var columns = chart.Series.Select(s => chart.Table.Columns.ToList().IndexOf(s)).ToArray();
        var values = rows.SelectMany(r => columns.Select(c => r.Cells[c].Value)).Where(v => v is not null).Select(v => (double)v!.Value).ToList();
        var max = chart.Shares ? 1.0 : Nice(values.Count == 0 ? 1 : Math.Max(1, values.Max()));
        double plotW = Width - Left - Right, plotH = Height - Top - Bottom;
        double Y(double v) => Top + plotH - v / max * plotH;
        var band = rows.Count == 0 ? plotW : plotW / rows.Count;

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"wc-chart\" viewBox=\"0 0 {Width} {Height}\" width=\"100%\" role=\"img\" aria-labelledby=\"{id}-title\" data-chart=\"{E(chart.Title)}\" data-table=\"{E(chart.Table.Caption)}\" font-family=\"Frutiger W01, Arial, sans-serif\" font-size=\"12\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title id=\"{id}-title\">{E(chart.Title)}. The figures are in the table “{E(chart.Table.Caption)}”.</title>");

        // Axis and gridlines.
        for (var i = 0; i <= 4; i++)
        {
            var v = max * i / 4;
            var y = Y(v);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{F(y)}\" y2=\"{F(y)}\" stroke=\"#d8dde0\" stroke-width=\"1\"/>");
            var label = chart.Shares ? F(v * 100) + "%" : F(v);
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{F(y + 4)}\" text-anchor=\"end\" fill=\"#4c6272\">{label}</text>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{F(Y(0))}\" y2=\"{F(Y(0))}\" stroke=\"#212b32\" stroke-width=\"1\"/>");

        // Category labels, wrapped onto up to three lines.
        for (var r = 0; r < rows.Count; r++)
        {
            var x = Left + band * r + band / 2;
            var lines = Wrap(rows[r].Header, Math.Max(8, (int)(band / 6.5)));
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(x)}\" y=\"{Height - Bottom + 16}\" text-anchor=\"middle\" fill=\"#212b32\">");
            for (var l = 0; l < lines.Count; l++) svg.Append(CultureInfo.InvariantCulture, $"<tspan x=\"{F(x)}\" dy=\"{(l == 0 ? 0 : 14)}\">{E(lines[l])}</tspan>");
            svg.Append("</text>");
        }

        if (chart.Kind == ChartKind.Bars)
        {
            var barW = Math.Min(48, band * 0.8 / Math.Max(1, columns.Length));
            for (var r = 0; r < rows.Count; r++)
            {
                var start = Left + band * r + (band - barW * columns.Length) / 2;
                for (var s = 0; s < columns.Length; s++)
                {
                    var cell = rows[r].Cells[columns[s]];
                    var x = start + barW * s;
                    var data = $"data-row=\"{E(rows[r].Header)}\" data-column=\"{E(chart.Series[s])}\"";
                    if (cell.Value is { } value)
                    {
                        var y = Y((double)value);
                        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{F(x)}\" y=\"{F(y)}\" width=\"{F(barW - 2)}\" height=\"{F(Y(0) - y)}\" fill=\"{Colours[s % Colours.Length]}\" {data} data-value=\"{value.ToString(CultureInfo.InvariantCulture)}\"><title>{E(rows[r].Header)}, {E(chart.Series[s])}: {E(cell.Text)}</title></rect>");
                        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(x + (barW - 2) / 2)}\" y=\"{F(y - 4)}\" text-anchor=\"middle\" font-size=\"11\" fill=\"#212b32\">{E(cell.Text)}</text>");
                    }
                    else
                    {
                        var note = cell.Suppressed ? "suppressed" : "none";
                        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(x + (barW - 2) / 2)}\" y=\"{F(Y(0) - 6)}\" text-anchor=\"start\" font-size=\"10\" fill=\"#4c6272\" transform=\"rotate(-90 {F(x + (barW - 2) / 2)} {F(Y(0) - 6)})\" {data}{(cell.Suppressed ? " data-suppressed=\"true\"" : " data-empty=\"true\"")}>{note}</text>");
                    }
                }
            }
        }
        else
        {
            for (var s = 0; s < columns.Length; s++)
            {
                var points = new List<(double X, double Y)?>();
                for (var r = 0; r < rows.Count; r++)
                {
                    var cell = rows[r].Cells[columns[s]];
                    var x = Left + band * r + band / 2;
                    var data = $"data-row=\"{E(rows[r].Header)}\" data-column=\"{E(chart.Series[s])}\"";
                    if (cell.Value is { } value)
                    {
                        var y = Y((double)value);
                        points.Add((x, y));
                        svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{F(x)}\" cy=\"{F(y)}\" r=\"4\" fill=\"{Colours[s % Colours.Length]}\" {data} data-value=\"{value.ToString(CultureInfo.InvariantCulture)}\"><title>{E(rows[r].Header)}, {E(chart.Series[s])}: {E(cell.Text)}</title></circle>");
                    }
                    else
                    {
                        points.Add(null);
                        if (cell.Suppressed)
                        {
                            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(x)}\" y=\"{F(Y(0) - 6 - 12 * s)}\" text-anchor=\"middle\" font-size=\"10\" fill=\"{Colours[s % Colours.Length]}\" {data} data-suppressed=\"true\">suppressed</text>");
                        }
                    }
                }

                // A line joins neighbouring points only: a suppressed or empty month is a gap, not a guess.
                for (var i = 1; i < points.Count; i++)
                {
                    if (points[i - 1] is { } a && points[i] is { } b)
                        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(a.X)}\" y1=\"{F(a.Y)}\" x2=\"{F(b.X)}\" y2=\"{F(b.Y)}\" stroke=\"{Colours[s % Colours.Length]}\" stroke-width=\"2\"/>");
                }
            }
        }

        foreach (var reference in chart.References ?? [])
        {
            var index = reference.Row is null ? -1 : rows.ToList().FindIndex(r => r.Header == reference.Row);
            double x1 = index < 0 ? Left : Left + band * index + 4, x2 = index < 0 ? Width - Right : Left + band * (index + 1) - 4;
            var y = Y((double)reference.Value);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(x1)}\" x2=\"{F(x2)}\" y1=\"{F(y)}\" y2=\"{F(y)}\" stroke=\"{ReferenceColour}\" stroke-width=\"2\" stroke-dasharray=\"6 3\" data-reference=\"{E(reference.Label)}\" data-value=\"{reference.Value.ToString(CultureInfo.InvariantCulture)}\"{(reference.Row is null ? "" : $" data-row=\"{E(reference.Row)}\"")}><title>{E(reference.Label)}</title></line>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(x1)}\" y=\"{F(y - 4)}\" font-size=\"10\" fill=\"{ReferenceColour}\">{E(DashboardCell.Percent(reference.Value))} national</text>");
        }

        foreach (var marker in chart.Markers ?? [])
        {
            var x = Left + band * (marker.AfterIndex + 1);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(x)}\" x2=\"{F(x)}\" y1=\"{Top - 8}\" y2=\"{F(Y(0))}\" stroke=\"{ReferenceColour}\" stroke-width=\"2\" stroke-dasharray=\"4 3\" data-marker=\"{E(marker.Label)}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(x + 4)}\" y=\"{Top - 10}\" font-size=\"11\" fill=\"{ReferenceColour}\">{E(marker.Label)}</text>");
        }

        // Legend.
        if (columns.Length > 1 || chart.References is { Count: > 0 })
        {
            var lx = (double)Left;
            for (var s = 0; s < columns.Length; s++)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{F(lx)}\" y=\"8\" width=\"12\" height=\"12\" fill=\"{Colours[s % Colours.Length]}\"/><text x=\"{F(lx + 16)}\" y=\"18\" fill=\"#212b32\">{E(chart.Series[s])}</text>");
                lx += 24 + chart.Series[s].Length * 6.2;
            }

            if (chart.References is { Count: > 0 })
                svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{F(lx)}\" x2=\"{F(lx + 16)}\" y1=\"14\" y2=\"14\" stroke=\"{ReferenceColour}\" stroke-width=\"2\" stroke-dasharray=\"6 3\"/><text x=\"{F(lx + 20)}\" y=\"18\" fill=\"#212b32\">national figure</text>");
        }

        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>A round top for a count axis: 1, 2 or 5 times a power of ten, at or above the largest value.</summary>
    private static double Nice(double max)
    {
        var power = Math.Pow(10, Math.Floor(Math.Log10(max)));
        foreach (var step in new[] { 1.0, 2.0, 5.0, 10.0 })
        {
            if (step * power >= max) return step * power;
        }

        return 10 * power;
    }

    private static List<string> Wrap(string text, int width)
    {
        var lines = new List<string>();
        var line = "";
        foreach (var word in text.Split(' '))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                lines.Add(line);
                line = word;
            }
            else line = line.Length == 0 ? word : line + " " + word;
        }

        if (line.Length > 0) lines.Add(line);
        return lines.Count <= 3 ? lines : [lines[0], lines[1], string.Join(' ', lines.Skip(2))];
    }
}
