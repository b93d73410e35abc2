namespace WorkingConversations.Outcomes.Reporting;

/// <summary>
/// A table of cells and its period: whole months of receipt, or days of receipt for the edges of a report's period that
/// are not a whole month. Both rollups (<see cref="MonthlyRollup"/>, <see cref="ReportCellRollup"/>) keep one table of
/// each from the same episode rows, so each table's SQL is written once, for its grain.
/// </summary>
internal sealed record CellGrain(string Table, string Column, Func<string, string> Of)
{
    /// <summary>Cells by month of receipt (UTC); <see cref="Of"/> takes a record alias with its dot ("new.") or "".</summary>
    public static CellGrain ByMonth(string table) => new(table, "month", r => $"(date_trunc('month', {r}received_at at time zone 'UTC'))::date");

    /// <summary>Cells by day of receipt (UTC).</summary>
    public static CellGrain ByDay(string table) => new(table, "day", r => $"({r}received_at at time zone 'UTC')::date");

    /// <summary>Empties every table of the grains in one statement (a truncate of the episode rows is followed by it).</summary>
    public static string TruncateAll(IEnumerable<CellGrain> grains) => $"truncate {string.Join(", ", grains.Select(g => g.Table))}";
}
