using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using WorkingConversations.Testing;

namespace WorkingConversations.Web.Tests;

/// <summary>
/// The analyst's dashboard and the funders' evidence report over an exact cohort with the service's own disclosure
/// control (suppress 1 to 7, round to 5): one partner's 12 referrals, 10 of them seen at once, finished and recovered
/// reliably (PHQ-9 15 to 5, GAD-7 9 to 3) with one volunteer, 2 declined. Every table is checked cell by cell, every
/// chart against its table, every CSV against the tables, every page with axe-core, the report's PDF by its text, and
/// every response for the cohort's names and postcode.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class DashboardTests(WebFixture service)
{
    private const string Suppressed = "suppressed (fewer than 8)";
    private static readonly int?[] Phq9Start = [2, 2, 2, 2, 2, 2, 2, 1, 0], Phq9End = [1, 1, 1, 1, 1, 0, 0, 0, 0];
    private static readonly int?[] Gad7Start = [2, 2, 2, 1, 1, 1, 0], Gad7End = [1, 1, 1, 0, 0, 0, 0];

    private sealed record Table(string Caption, IReadOnlyList<string> Columns, IReadOnlyList<(string Row, IReadOnlyList<string> Cells)> Rows)
    {
        public string Cell(string row, string column) => Rows.Single(r => r.Row == row).Cells[Columns.ToList().IndexOf(column)];
    }

    private static async Task<List<Table>> Tables(IPage page, string section)
    {
        var tables = new List<Table>();
        foreach (var table in await page.Locator($"section#{section} table").AllAsync())
        {
            var caption = (await table.Locator("caption").InnerTextAsync()).Trim();
            var headers = (await table.Locator("thead th").AllInnerTextsAsync()).Select(h => h.Trim()).ToList();
            var rows = new List<(string, IReadOnlyList<string>)>();
            foreach (var row in await table.Locator("tbody tr").AllAsync())
            {
                rows.Add(((await row.Locator("th").InnerTextAsync()).Trim(), (await row.Locator("td").AllInnerTextsAsync()).Select(c => c.Trim()).ToList()));
            }

            tables.Add(new Table(caption, headers.Skip(1).ToList(), rows));
        }

        return tables;
    }

    private async Task<(Guid PartnerId, Person[] People)> Cohort()
    {
        var scenario = new Scenario(service);
        var (partnerId, _) = await scenario.Partner();
        var caseworker = await scenario.Caseworker();
        var volunteer = await scenario.ClearedPractitioner(20);
        var people = Enumerable.Range(0, 12).Select(_ => Person.Distinctive()).ToArray();
        async Task Questionnaire(Guid participant, string instrument, string timepoint, int?[] answers, DateTimeOffset at) =>
            await Scenario.Expect(await caseworker.PostAsJsonAsync($"/api/v1/participants/{participant}/questionnaires",
                new { instrument, timepoint, answers, administeredAt = at }), System.Net.HttpStatusCode.Created);

        foreach (var person in people[..10])
        {
            var p = await scenario.Referred(person).Accepted().Assigned(practitioner: volunteer).InConversation().InConversation();
            var now = service.Clock.GetUtcNow();
            await Questionnaire(p.ParticipantId, "PHQ-9", "start", Phq9Start, now.AddHours(-1));
            await Questionnaire(p.ParticipantId, "GAD-7", "start", Gad7Start, now.AddHours(-1));
            await Questionnaire(p.ParticipantId, "PHQ-9", "end", Phq9End, now);
            await Questionnaire(p.ParticipantId, "GAD-7", "end", Gad7End, now);
            await p.Ended();
        }

        foreach (var person in people[10..])
        {
            var p = await scenario.Referred(person);
            await service.WaitForMessages(async () => await Scenario.Expect(
                await caseworker.PostAsJsonAsync($"/api/v1/referrals/{p.ReferralId}/decline", new { reason = "Needs a clinical service" }), System.Net.HttpStatusCode.OK));
        }

        return (partnerId, people);
    }

    [Fact]
    public async Task The_dashboard_and_the_evidence_report_show_the_cohorts_exact_figures_suppressed_cells_as_suppressed_and_no_names()
    {
        var (partnerId, people) = await Cohort();
        var today = DateOnly.FromDateTime(service.Clock.GetUtcNow().UtcDateTime);
        var (from, to) = (today.AddDays(-30), today.AddDays(1));
        var filters = FormattableString.Invariant($"?from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}&partnerId={partnerId}");
        var (_, _, key) = await service.ClientFor("analyst");
        var analyst = await service.SignedIn(key);
        var bodies = new List<(string Url, string Body)>();
        analyst.Response += async (_, response) =>
        {
            try { bodies.Add((response.Url, await response.TextAsync())); }
            catch (PlaywrightException) { } // a redirect has no body
        };

        Assert.Equal("Outcomes", await Pages.Heading(analyst));
        await Pages.Follow(analyst, "Open the dashboard");
        await analyst.GetByLabel("From date").FillAsync(from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await analyst.GetByLabel("To date").FillAsync(to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await analyst.GetByLabel("Partner").SelectOptionAsync(partnerId.ToString());
        await Pages.Submit(analyst, "Show the figures");
        Assert.EndsWith($"/dashboard{filters}&programme=", analyst.Url, StringComparison.Ordinal);

        // Exact tables: 12 referred shows as 10 (rounded to 5); the 2 declined are suppressed; rates from the true counts.
        var funnel = Assert.Single(await Tables(analyst, "funnel"));
        Assert.Equal([
            "Referred: 10 | 100%", "Accepted: 10 | 83.3%", "Engaged (one conversation held): 10 | 83.3%", "Finished treatment: 10 | 83.3%",
            "Recovered: 10 | 83.3%", "Sustained at 12 months: 0 | 0%",
        ], funnel.Rows.Select(r => $"{r.Row}: {string.Join(" | ", r.Cells)}").ToArray());
        var outcomes = Assert.Single(await Tables(analyst, "outcomes"));
        Assert.Equal(["10", "10", "100%", "10", "83.3%"], Row(outcomes, "Recovery")[..5]);
        Assert.Equal(["10", "10", "100%", "10", "83.3%"], Row(outcomes, "Reliable improvement")[..5]);
        Assert.Equal(["0", "10", "0%", "10", "0%", "none"], Row(outcomes, "Reliable deterioration"));
        Assert.StartsWith("48.4% (", outcomes.Cell("Reliable recovery", "National figure"), StringComparison.Ordinal);
        Assert.Contains("April 2025", outcomes.Cell("Reliable recovery", "National figure"), StringComparison.Ordinal);
        var waiting = await Tables(analyst, "waiting");
        Assert.Equal(["10", "0", "0", "0", "0", "0", Suppressed], waiting[0].Rows.Select(r => r.Cells[0]).ToArray());
        Assert.Equal(["10", "100%", "83.3%"], Row(waiting[1], "Within 6 weeks"));
        var cohorts = Assert.Single(await Tables(analyst, "cohorts"));
        Assert.Equal(["10", "10", "10", "100%", "100%", "100%", "100%"], Row(cohorts, "Volunteers"));
        Assert.Equal([Suppressed, "0", "0", "none to count", Suppressed, "none to count", Suppressed], Row(cohorts, "No conversation held"));

        // Every chart agrees with its table: each bar or point is a cell's value, each suppressed cell is a label and no bar.
        var sections = await analyst.Locator("section.wc-section").EvaluateAllAsync<string[]>("s => s.map(x => x.id)");
        Assert.Equal(["funnel", "outcomes", "trend", "waiting", "staying-well", "wellbeing", "circumstances", "cohorts"], sections);
        var drawn = 0;
        foreach (var section in sections)
        {
            var tables = await Tables(analyst, section);
            foreach (var figure in await analyst.Locator($"section#{section} svg").AllAsync())
            {
                var caption = await figure.GetAttributeAsync("data-table");
                var table = tables.Single(t => t.Caption == caption);
                foreach (var mark in await figure.Locator("rect[data-row], circle[data-row]").AllAsync())
                {
                    var cell = table.Cell((await mark.GetAttributeAsync("data-row"))!, (await mark.GetAttributeAsync("data-column"))!);
                    var value = decimal.Parse((await mark.GetAttributeAsync("data-value"))!, CultureInfo.InvariantCulture);
                    Assert.Equal(cell, cell.EndsWith('%') ? (value * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%" : value.ToString("N0", CultureInfo.InvariantCulture));
                    drawn++;
                }

                foreach (var mark in await figure.Locator("[data-suppressed]").AllAsync())
                {
                    Assert.Equal(Suppressed, table.Cell((await mark.GetAttributeAsync("data-row"))!, (await mark.GetAttributeAsync("data-column"))!));
                    Assert.Equal("suppressed", await mark.TextContentAsync());
                }

                // Every table cell of a drawn column is either a mark or written as suppressed or empty, never both.
                var marks = await figure.Locator("[data-row][data-column]").CountAsync();
                Assert.True(marks > 0, $"{section}: a chart without marks");
            }
        }

        Assert.True(drawn >= 20, $"only {drawn} marks were checked");
        Assert.Equal(0, await analyst.Locator("section#waiting svg rect[data-row='Not seen (yet)']").CountAsync());
        Assert.Equal(1, await analyst.Locator("section#waiting svg [data-suppressed][data-row='Not seen (yet)']").CountAsync());
        Assert.Equal(3, await analyst.Locator("section#outcomes svg line[data-reference]").CountAsync());
        Assert.Equal("0.484", await analyst.Locator("section#outcomes svg line[data-reference][data-row='Reliable recovery']").GetAttributeAsync("data-value"));
        Assert.Equal(2, await analyst.Locator("section#wellbeing svg line[data-marker]").CountAsync());

        // Each section's CSV is its tables, cell for cell.
        foreach (var section in sections)
        {
            var tables = await Tables(analyst, section);
            var response = await analyst.APIRequest.GetAsync($"/dashboard/csv/{section}{filters}");
            Assert.Equal(200, response.Status);
            Assert.StartsWith("text/csv", response.Headers["content-type"], StringComparison.Ordinal);
            var csv = await response.TextAsync();
            bodies.Add((response.Url, csv));
            var expected = tables.SelectMany(t => t.Rows.SelectMany(r => r.Cells.Select((c, i) => (t.Caption, r.Row, t.Columns[i], c)))).ToList();
            var lines = Csv(csv);
            Assert.Equal(["table", "row", "column", "value"], lines[0]);
            Assert.Equal(expected, lines.Skip(1).Select(l => (l[0], l[1], l[2], l[3])).ToList());
        }

        Directory.CreateDirectory(Screens);
        await analyst.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screens, "dashboard.png"), FullPage = false });
        await analyst.Locator("section#outcomes").ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(Screens, "dashboard-recovery.png") });

        // The evidence report: its own document, printed to PDF by Chromium, one section a page.
        await Pages.Follow(analyst, "Open the printable evidence report for this period");
        Assert.Equal("Working Conversations: evidence report", await Pages.Heading(analyst));
        var pdfPath = Path.Combine(Path.GetTempPath(), $"evidence-{Guid.NewGuid():N}.pdf");
        await analyst.PdfAsync(new PagePdfOptions { Path = pdfPath, Format = "A4", PrintBackground = true });
        var text = Run("pdftotext", $"-layout {pdfPath} -");
        var pages = text.Split('\f', StringSplitOptions.RemoveEmptyEntries).Where(p => p.Trim().Length > 0).ToList();
        Assert.True(pages.Count >= 9, $"the report printed on {pages.Count} pages");
        var period = $"{from.ToString("d MMMM yyyy", CultureInfo.GetCultureInfo("en-GB"))} to {to.ToString("d MMMM yyyy", CultureInfo.GetCultureInfo("en-GB"))}";
        Assert.All(pages, p => Assert.Contains(period, p.Replace("\n", " ", StringComparison.Ordinal), StringComparison.Ordinal));
        Assert.All(pages, p => Assert.Contains("generated", p, StringComparison.Ordinal));
        Assert.Contains("83.3%", pages[0], StringComparison.Ordinal);
        Assert.Contains("NHS Talking Therapies denominator", pages[0], StringComparison.Ordinal);
        Assert.Contains("Funnel", pages[1], StringComparison.Ordinal);
        var png = Path.Combine(Path.GetTempPath(), $"evidence-{Guid.NewGuid():N}");
        Run("pdftoppm", $"-png -r 60 -f 1 -l 2 {pdfPath} {png}");
        var first = Directory.GetFiles(Path.GetTempPath(), Path.GetFileName(png) + "*.png").Order().ToArray();
        Assert.Equal(2, first.Length);
        Assert.All(first, f => Assert.True(new FileInfo(f).Length > 5_000, $"{f} is nearly empty"));
        File.Copy(first[1], Path.Combine(Screens, "evidence-report-page-2.png"), overwrite: true);

        // Nothing anyone was given names a person of the cohort, or their postcode.
        Assert.True(bodies.Count >= 10, "the pages' responses were not read");
        foreach (var (url, body) in bodies)
        {
            foreach (var person in people)
            {
                foreach (var identifying in person.IdentifyingStrings.Append(person.Postcode))
                {
                    Assert.False(body.Contains(identifying, StringComparison.OrdinalIgnoreCase), $"{url} shows {identifying}");
                }
            }
        }

        Assert.DoesNotContain(people[0].FamilyName, text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_dashboard_passes_axe_at_wcag_2_2_aa_and_names_a_bad_date_in_the_error_summary()
    {
        var (_, _, key) = await service.ClientFor("analyst");
        var analyst = await service.SignedIn(key);
        await Pages.Open(analyst, "/dashboard");
        await Pages.Open(analyst, "/dashboard/report");
        var response = await analyst.GotoAsync("/dashboard?from=2026-13-01");
        Assert.Equal(400, response!.Status);
        await Pages.Accessible(analyst);
        Assert.Equal(["From date must be a date in the form yyyy-MM-dd, such as 2026-01-31."], await Pages.ErrorSummary(analyst));
        Assert.Equal(0, await analyst.Locator("section.wc-section").CountAsync());
    }

    private static string[] Row(Table table, string row) => [.. table.Rows.Single(r => r.Row == row).Cells];

    private static string Screens => Screenshots.Folder;

    private static string Run(string program, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })
            ?? throw new InvalidOperationException($"{program} did not start");
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} {arguments} failed: {error}");
        return output;
    }

    /// <summary>RFC 4180, as the section's CSV is written.</summary>
    private static List<string[]> Csv(string text)
    {
        var rows = new List<string[]>();
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
            else if (c == '\n') { fields.Add(field.ToString().TrimEnd('\r')); field.Clear(); rows.Add([.. fields]); fields.Clear(); }
            else field.Append(c);
        }

        return rows;
    }
}
