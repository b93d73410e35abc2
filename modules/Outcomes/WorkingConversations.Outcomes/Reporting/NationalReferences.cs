using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Configuration;

namespace WorkingConversations.Outcomes.Reporting;

/// <summary>
/// A national figure the dashboard draws as a reference line beside the service's rate (web.md): the rate it compares
/// with (<c>recoveryRate</c>, <c>reliableImprovementRate</c>, <c>reliableRecoveryRate</c>), the value as a fraction, what
/// it measures and over whom, its source and the year (or month) it is from. Settings, so that a new national report
/// changes a line without a release.
/// </summary>
internal sealed record NationalReference(string Rate, decimal Value, string Description, string Source, string Year);

internal sealed record NationalReferencesReport(IReadOnlyList<NationalReference> References);

/// <summary>The host's national reference lines, read once from settings.</summary>
internal sealed record NationalReferenceSettings(IReadOnlyList<NationalReference> All)
{
    public NationalReference? For(string rate) => All.FirstOrDefault(r => r.Rate == rate);
}

internal static class NationalReferences
{
    public const string Section = "Outcomes:NationalReferences";

    /// <summary>The defaults of web.md (NHS Talking Therapies).</summary>
    public static IReadOnlyList<NationalReference> Defaults { get; } =
    [
        new("reliableRecoveryRate", 0.484m, "Reliable recovery of people finishing treatment at caseness", "NHS Talking Therapies monthly statistics", "April 2025"),
        new("recoveryRate", 0.5m, "Recovery standard for people finishing treatment at caseness", "NHS Talking Therapies recovery standard", "2025"),
        new("reliableImprovementRate", 0.67m, "Reliable improvement of people finishing treatment", "NHS Talking Therapies standard", "2025"),
    ];

    /// <summary>
    /// Reads <c>Outcomes:NationalReferences:&lt;rate&gt;:Value</c>, <c>:Description</c>, <c>:Source</c> and <c>:Year</c>, each
    /// falling back to the default. A value outside 0 to 1 stops the start-up naming it, rather than drawing a line off the chart.
    /// </summary>
    public static NationalReferenceSettings From(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        return new([.. Defaults.Select(d =>
        {
            var s = section.GetSection(d.Rate);
            var r = new NationalReference(d.Rate, s.GetValue("Value", d.Value), s["Description"] ?? d.Description, s["Source"] ?? d.Source, s["Year"] ?? d.Year);
            if (r.Value is < 0 or > 1) throw new InvalidOperationException($"{Section}:{d.Rate}:Value is {r.Value}; it must be a fraction from 0 to 1 (0.484 for 48.4%).");
            return r;
        })]);
    }

    public static Ok<NationalReferencesReport> Handle(NationalReferenceSettings references) => TypedResults.Ok(new NationalReferencesReport(references.All));
}
