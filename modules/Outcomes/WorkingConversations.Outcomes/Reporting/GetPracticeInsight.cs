using System.Text.Json;
using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using NpgsqlTypes;
using WorkingConversations.Conversations.Contracts;
using WorkingConversations.Outcomes.Scoring;

namespace WorkingConversations.Outcomes.Reporting;

/// <summary>
/// How one questionnaire's score moved over the episodes of a scale group: reliably improved, no reliable change,
/// reliably deteriorated (the reliable-change amounts of the outcome settings), and the mean change. Only episodes
/// with paired scores on the instrument count; the mean is suppressed when their count is.
/// </summary>
internal sealed record ScoreChange(CountValue Paired, CountValue ReliablyImproved, CountValue NoReliableChange, CountValue ReliablyDeteriorated, decimal? MeanChange);

/// <summary>Episodes whose 0-10 scale rose, stayed or fell from the first conversation to the last, with their PHQ-9 and GAD-7 change.</summary>
internal sealed record ScaleGroup(string Movement, CountValue Episodes, ScoreChange Phq9, ScoreChange Gad7);

/// <summary>One fidelity item over the rated conversations: each answer's count, and the share answered yes.</summary>
internal sealed record FidelityItemProfile(string Item, CountValue Yes, CountValue Partly, CountValue No, decimal? YesShare);

internal sealed record FidelityProfile(CountValue ConversationsHeld, CountValue ConversationsRated, decimal? RatedShare, IReadOnlyList<FidelityItemProfile> Items);

internal sealed record PracticeGroup(string Key, CountValue EpisodesWithScaleMovement, IReadOnlyList<ScaleGroup> ScaleMovement, FidelityProfile Fidelity);

internal sealed record PracticeReport(DateOnly From, DateOnly To, Guid? PartnerId, IReadOnlyList<PracticeGroup> Groups);

internal static class GetPracticeInsight
{
    public const string Rose = "rose";
    public const string Unchanged = "unchanged";
    public const string Fell = "fell";
    private static readonly string[] Movements = [Rose, Unchanged, Fell];

    /// <summary>The facts of one episode the report needs, read from its row.</summary>
    public sealed record Row(
        string Programme, decimal? FirstScale, decimal? LastScale, int ConversationsHeld, int Phq9Questionnaires, int Gad7Questionnaires,
        decimal? Phq9Change, decimal? Gad7Change, int FidelityRated, IReadOnlyDictionary<string, int> FidelityAnswers);

    /// <summary>
    /// Pure: by programme, the scale movement of episodes with two or more conversations held against their PHQ-9 and
    /// GAD-7 change, and the share of conversations with a fidelity rating and each item's answers; disclosure-controlled
    /// (counts suppressed from 1 to 7 and rounded, shares and means from the true counts unless a count is suppressed).
    /// </summary>
    public static IReadOnlyList<PracticeGroup> Decide(IEnumerable<Row> rows, OutcomeThresholds thresholds, DisclosureSettings disclosure)
    {
        CountValue Count(int n) => DisclosureControl.Count(n, disclosure);
        return [.. rows.GroupBy(r => r.Programme).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            var moved = g.Where(r => r.ConversationsHeld >= 2 && r.FirstScale is not null && r.LastScale is not null).ToList();
            var scaleGroups = Movements.Select(movement =>
            {
                var members = moved.Where(r => Movement(r.LastScale!.Value - r.FirstScale!.Value) == movement).ToList();
                return new ScaleGroup(movement, Count(members.Count),
                    Change([.. members.Where(r => r.Phq9Questionnaires >= 2).Select(r => r.Phq9Change ?? 0)], thresholds.Phq9ReliableChange, disclosure),
                    Change([.. members.Where(r => r.Gad7Questionnaires >= 2).Select(r => r.Gad7Change ?? 0)], thresholds.Gad7ReliableChange, disclosure));
            }).ToList();

            var held = g.Sum(r => r.ConversationsHeld);
            var rated = g.Sum(r => r.FidelityRated);
            int Answered(string item, string answer) => g.Sum(r => r.FidelityAnswers.GetValueOrDefault($"{item}:{answer}"));
            var items = FidelityItems.All.Select(item =>
            {
                var yes = Answered(item, FidelityItems.Yes);
                return new FidelityItemProfile(item, Count(yes), Count(Answered(item, FidelityItems.Partly)), Count(Answered(item, FidelityItems.No)),
                    DisclosureControl.Rate(yes, rated, disclosure));
            }).ToList();
            return new PracticeGroup(g.Key, Count(moved.Count), scaleGroups,
                new FidelityProfile(Count(held), Count(rated), DisclosureControl.Rate(rated, held, disclosure), items));
        })];
    }

    private static string Movement(decimal change) => change > 0 ? Rose : change < 0 ? Fell : Unchanged;

    private static ScoreChange Change(IReadOnlyList<decimal> changes, int reliable, DisclosureSettings disclosure)
    {
        var mean = changes.Count == 0 || DisclosureControl.IsSuppressed(changes.Count, disclosure)
            ? (decimal?)null
            : Math.Round(changes.Average(), 1, MidpointRounding.AwayFromZero);
        return new ScoreChange(DisclosureControl.Count(changes.Count, disclosure),
            DisclosureControl.Count(changes.Count(c => c <= -reliable), disclosure),
            DisclosureControl.Count(changes.Count(c => c > -reliable && c < reliable), disclosure),
            DisclosureControl.Count(changes.Count(c => c >= reliable), disclosure),
            mean);
    }

    private const string EmptyObject = "'{}'::jsonb";

    public static async Task<IReadOnlyList<Row>> RowsAsync(IQuerySession session, ReportQuery query, CancellationToken ct)
    {
        var sql = $"""
            select coalesce(programme, 'none'),
                   (data -> 'FirstScale' ->> 'Value')::numeric, (data -> 'LastScale' ->> 'Value')::numeric,
                   coalesce((data ->> 'ConversationsHeld')::int, 0), coalesce((data ->> 'Phq9Questionnaires')::int, 0),
                   coalesce((data ->> 'Gad7Questionnaires')::int, 0), (data ->> 'Phq9Change')::numeric, (data ->> 'Gad7Change')::numeric,
                   coalesce((data ->> 'FidelityRated')::int, 0), coalesce(data -> 'FidelityAnswers', {EmptyObject})::text
            from {OutcomeQueries.Table}
            {OutcomeQueries.Where(query)} and coalesce((data ->> 'ConversationsHeld')::int, 0) > 0
            """;
        var rows = new List<Row>();
        await using var connection = session.Database.CreateConnection();
        await connection.OpenAsync(ct);
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("from", NpgsqlDbType.TimestampTz, query.FromInstant.UtcDateTime);
        command.Parameters.AddWithValue("to", NpgsqlDbType.TimestampTz, query.ToExclusive.UtcDateTime);
        if (query.PartnerId is { } partner) command.Parameters.AddWithValue("partner", NpgsqlDbType.Uuid, partner);
        await using var reader = await command.ExecuteReaderAsync(ct);
        decimal? Number(int i) => reader.IsDBNull(i) ? null : reader.GetDecimal(i);
        while (await reader.ReadAsync(ct))
        {
            rows.Add(new Row(reader.GetString(0), Number(1), Number(2), reader.GetInt32(3), reader.GetInt32(4), reader.GetInt32(5), Number(6), Number(7),
                reader.GetInt32(8), JsonSerializer.Deserialize<Dictionary<string, int>>(reader.GetString(9)) ?? []));
        }

        return rows;
    }

    public static Task<Results<Ok<PracticeReport>, ValidationProblem>> Handle(
        [FromQuery(Name = "from")] string? fromDate, [FromQuery(Name = "to")] string? toDate, string? partnerId,
        IQuerySession session, OutcomeThresholds thresholds, DisclosureSettings disclosure, TimeProvider clock, CancellationToken ct) =>
        ReportEndpoint.Run(fromDate, toDate, partnerId, null, null, clock,
            async q => new PracticeReport(q.From, q.To, q.PartnerId, Decide(await RowsAsync(session, q, ct), thresholds, disclosure)));
}
