using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace WorkingConversations.Outcomes.Reporting;

/// <summary>
/// What every analyst report endpoint does around its own read: parse the period and filters (<see cref="ReportQuery.Parse"/>),
/// answer a bad query with its problem, and otherwise answer 200 with the report.
/// </summary>
internal static class ReportEndpoint
{
    /// <param name="check">A rule of the report's own on the parsed query (a problem, or null to go on).</param>
    public static async Task<Results<Ok<T>, ValidationProblem>> Run<T>(
        string? from, string? to, string? partnerId, string? programme, string? groupBy, TimeProvider clock, Func<ReportQuery, Task<T>> read,
        bool grouping = false, Func<ReportQuery, ValidationProblem?>? check = null)
    {
        var (query, problem) = ReportQuery.Parse(from, to, partnerId, groupBy, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), grouping, programme);
        if (query is null) return problem!;
        if (check?.Invoke(query) is { } refused) return refused;
        return TypedResults.Ok(await read(query));
    }
}
