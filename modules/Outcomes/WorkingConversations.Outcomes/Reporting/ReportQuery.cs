using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Http;

namespace WorkingConversations.Outcomes.Reporting;

/// <summary>
/// The period and filters of an analyst report. An episode belongs to the period in which its referral was received
/// (measures.md); <see cref="From"/> and <see cref="To"/> are whole days, both included, in UTC.
/// </summary>
internal sealed record ReportQuery(DateOnly From, DateOnly To, Guid? PartnerId, string? GroupBy)
{
    /// <summary>Only episodes of this programme (the programme of the practitioner who held most conversations; <c>none</c> when none was held).</summary>
    public string? Programme { get; init; }

    public static readonly string[] Programmes = ["volunteer", "apprentice", "none"];

    public const string ByMonth = "month";
    public const string ByPartner = "partner";
    public const string ByProgramme = "programme";
    public static readonly string[] Groupings = [ByMonth, ByPartner, ByProgramme];

    public DateTimeOffset FromInstant => new(From.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>The instant after the last day of the period: the query keeps receipts strictly before it.</summary>
    public DateTimeOffset ToExclusive => new(To.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>
    /// Validates the query string. Without dates the period is the twelve months up to and including today; with only
    /// one, the other is twelve months from it.
    /// </summary>
    public static (ReportQuery? Query, ValidationProblem? Problem) Parse(string? from, string? to, string? partnerId, string? groupBy, DateOnly today, bool grouping,
        string? programme = null)
    {
        var v = new Validation();
        var fromDate = ParseDate(v, "from", from);
        var toDate = ParseDate(v, "to", to);
        Guid? partner = null;
        if (partnerId is not null)
        {
            if (Guid.TryParse(partnerId, out var p)) partner = p;
            else v.Add("partnerId", "must be a partner id (a GUID).");
        }

        v.OneOf("programme", programme, Programmes, required: false);
        if (grouping) v.OneOf("groupBy", groupBy, Groupings, required: false);
        else if (groupBy is not null) v.Add("groupBy", "is not supported by this report; only the summary is grouped.");

        if (!v.IsValid) return (null, v.ToProblem());

        var end = toDate ?? (fromDate is { } f ? f.AddYears(1).AddDays(-1) : today);
        var start = fromDate ?? end.AddYears(-1).AddDays(1);
        if (start > end) return (null, Problem.Validation("from", "must be on or before 'to'."));
        return (new ReportQuery(start, end, partner, grouping ? groupBy : null) { Programme = programme }, null);
    }

    private static DateOnly? ParseDate(Validation v, string field, string? text)
    {
        if (text is null) return null;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return date;
        v.Add(field, "must be a date in the form yyyy-MM-dd, such as 2026-01-31.");
        return null;
    }
}
