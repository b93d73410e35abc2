using Marten;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WorkingConversations.Outcomes.Projections;

namespace WorkingConversations.Outcomes.Reporting;

/// <summary>
/// Per report, month of receipt, partner and programme, how many episodes count in each of the report's cells
/// (<see cref="ReportCells"/>), and the same per day of receipt for the edges of a period, folded from the episode rows'
/// <c>report_cells</c> column by statement triggers in the same transaction as the row's write: each statement adds the
/// cells of the rows it wrote and takes away those of the rows' versions it replaced. Like <see cref="MonthlyRollup"/>, it is recounted from the rows at every start and follows a
/// rebuild of the projection (which deletes or truncates the rows).
/// </summary>
internal sealed class ReportCellRollup(IDocumentStore store, ILogger<ReportCellRollup> logger) : IHostedService
{
    public const string Table = "outcomes.episode_outcome_cells";

    /// <summary>The covering indexes the waiting-time percentiles read one bucket through (<see cref="WaitingPercentiles"/>).</summary>
    public static readonly (string Index, string Column)[] WaitIndexes =
    [
        ("mt_doc_episodeoutcome_days_to_accept_cover", "days_to_accept"),
        ("mt_doc_episodeoutcome_days_accept_to_first_cover", "days_accept_to_first"),
        ("mt_doc_episodeoutcome_days_to_first_cover", "days_to_first"),
    ];

    /// <summary>The same cells per day of receipt, for the days at the edges of a period that are not a whole month (<see cref="MonthlyRollup.DailyTable"/>).</summary>
    public const string DailyTable = "outcomes.episode_outcome_cells_daily";

    private static readonly CellGrain[] Grains = [CellGrain.ByMonth(Table), CellGrain.ByDay(DailyTable)];

    /// <summary>The cells of a set of rows (alias <c>r</c>), each with the sign <c>s</c> the rows carry, by the grain's period.</summary>
    private static string Cells(CellGrain g, string rows, int sign) => $"""
        select split_part(f, ':', 1) as report, {g.Of("r.")} as period, r.partner_id,
               coalesce(r.programme, 'none') as programme, substr(f, strpos(f, ':') + 1) as key, {sign} as s
        from {rows} r cross join lateral unnest(r.report_cells) f
        """;

    // Cells are written in key order, the monthly ones first, so two writers adding to the same cells lock them in the
    // same order and never deadlock.
    private static string Fold(CellGrain g, params (string Rows, int Sign)[] rows) => $"""
        insert into {g.Table} as c (report, {g.Column}, partner_id, programme, key, n)
        select report, period, partner_id, programme, key, sum(s)::int from ({string.Join(" union all ", rows.Select(r => Cells(g, r.Rows, r.Sign)))}) d
        group by 1, 2, 3, 4, 5 having sum(s) <> 0 order by 1, 2, 3, 4, 5
        on conflict (report, {g.Column}, partner_id, programme, key) do update set n = c.n + excluded.n;
        """;

    // A cell its last episode left counts nothing: it goes, so the cells are always what a recount makes.
    private static string DeleteEmpty(CellGrain g, string rows) => $"""
        delete from {g.Table} c using (select distinct report, period, partner_id, programme, key from ({Cells(g, rows, -1)}) o) d
        where c.report = d.report and c.{g.Column} = d.period and c.partner_id = d.partner_id and c.programme = d.programme and c.key = d.key and c.n = 0;
        """;

    private static string CreateTable(CellGrain g) => $"""
        create table if not exists {g.Table} (
            report text not null, {g.Column} date not null, partner_id uuid not null, programme text not null, key text not null, n int not null,
            primary key (report, {g.Column}, partner_id, programme, key));
        -- Each cell is updated by every change of an episode in it: room for HOT updates, and vacuum after a thousand dead
        -- row versions (MonthlyRollup).
        alter table {g.Table} set (fillfactor = 50, autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000,
            autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 1000);
        """;

    private static readonly string Ddl = $"""
        {string.Concat(Grains.Select(CreateTable))}

        create or replace function outcomes.episode_outcome_cells_fold() returns trigger language plpgsql as $$
        begin
            -- A rebuild recounts the cells once at its end (RebuildRecount).
            if tg_op <> 'TRUNCATE' and {RebuildRecount.Rebuilding} then
                return null;
            end if;
            if tg_op = 'INSERT' then
                {string.Concat(Grains.Select(g => Fold(g, ("new_rows", 1))))}
            elsif tg_op = 'UPDATE' then
                {string.Concat(Grains.Select(g => Fold(g, ("new_rows", 1), ("old_rows", -1)) + DeleteEmpty(g, "old_rows")))}
            elsif tg_op = 'DELETE' then
                {string.Concat(Grains.Select(g => Fold(g, ("old_rows", -1)) + DeleteEmpty(g, "old_rows")))}
            elsif tg_op = 'TRUNCATE' then
                {CellGrain.TruncateAll(Grains)};
            end if;
            return null;
        end $$;

        drop trigger if exists episode_outcome_cells_insert on {OutcomeQueries.Table};
        create trigger episode_outcome_cells_insert after insert on {OutcomeQueries.Table}
            referencing new table as new_rows for each statement execute function outcomes.episode_outcome_cells_fold();
        drop trigger if exists episode_outcome_cells_update on {OutcomeQueries.Table};
        create trigger episode_outcome_cells_update after update on {OutcomeQueries.Table}
            referencing old table as old_rows new table as new_rows for each statement execute function outcomes.episode_outcome_cells_fold();
        drop trigger if exists episode_outcome_cells_delete on {OutcomeQueries.Table};
        create trigger episode_outcome_cells_delete after delete on {OutcomeQueries.Table}
            referencing old table as old_rows for each statement execute function outcomes.episode_outcome_cells_fold();
        drop trigger if exists episode_outcome_cells_truncate on {OutcomeQueries.Table};
        create trigger episode_outcome_cells_truncate after truncate on {OutcomeQueries.Table}
            for each statement execute function outcomes.episode_outcome_cells_fold();
        {string.Concat(WaitIndexes.Select(w =>
            $"create index if not exists {w.Index} on {OutcomeQueries.Table} ({w.Column}) include (received_at, partner_id, programme) where {w.Column} is not null;\n"))}
        """;

    private static string RecountOf(CellGrain g) => $"""
        truncate {g.Table};
        insert into {g.Table} (report, {g.Column}, partner_id, programme, key, n)
        select report, period, partner_id, programme, key, count(*)::int from ({Cells(g, OutcomeQueries.Table, 1)}) d group by 1, 2, 3, 4, 5;

        """;

    internal static readonly string Recount = $"""
        lock table {OutcomeQueries.Table} in share mode;
        {string.Concat(Grains.Select(RecountOf))}
        """;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Marten fills a new column of an existing row from its JSON, which had no cells: an empty list, where every row
        // written with cells has at least "all:referrals".
        var uncounted = await RollupStart.RunAsync(store, Table, Ddl, Recount,
            $"select count(*) from {OutcomeQueries.Table} where coalesce(cardinality(report_cells), 0) = 0", cancellationToken);

        // Rows written by an earlier version have no cells until the projection is rebuilt (docs/operations.md).
        if (uncounted > 0)
        {
            logger.LogWarning(
                "{Rows} episode outcome rows were written before the report cells existed; the waiting-time, staying-well, wellbeing, circumstances, practitioner-cohort and funnel reports leave them out until the projection is rebuilt: run 'rebuild --projection EpisodeOutcome' or POST /api/v1/admin/projections/EpisodeOutcome/rebuild",
                uncounted);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
