using Marten;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using WorkingConversations.Outcomes.Projections;

namespace WorkingConversations.Outcomes.Reporting;

/// <summary>
/// Per month of receipt, partner and programme, the summary's counts, and the same per day of receipt, kept in step with
/// the episode outcome rows by a PostgreSQL trigger (every insert, update and delete of a row moves its contribution from
/// its old cells to its new ones, in the same transaction). The summary then reads whole months from the monthly cells
/// and the days at the edges of the period from the daily ones, so its cost follows the number of months, days and
/// partners, not of episodes (docs/modules/outcomes.md, "Performance"). Being derived from the projection, they are
/// rebuilt with it: a rebuild deletes or truncates the rows, and the triggers follow.
/// </summary>
internal sealed class MonthlyRollup(IDocumentStore store, ILogger<MonthlyRollup> logger) : IHostedService
{
    public const string Table = "outcomes.episode_outcome_monthly";

    /// <summary>
    /// The same counts per day of receipt: the days at the edges of a period that are not a whole month (a year up to
    /// today ends in the current month, which holds the newest and so the most episodes), read as cells rather than rows.
    /// </summary>
    public const string DailyTable = "outcomes.episode_outcome_daily";

    /// <summary>The counted columns of a cell, after its key, in the order <see cref="Counts"/> gives them.</summary>
    public const string CountColumns =
        "referrals, accepted, finished, not_measurable, finished_at_caseness, recovered, reliably_improved, reliably_deteriorated, reliably_recovered";

    private static readonly CellGrain[] Grains = [CellGrain.ByMonth(Table), CellGrain.ByDay(DailyTable)];

    /// <summary>
    /// A cell its last episode moved out of counts nothing: it goes, so the cells are always what a recount at start-up
    /// or a rebuild of the projection makes (which never makes an empty one), and a restored or rebuilt database reads the same.
    /// </summary>
    private static string DeleteEmpty(CellGrain g, string r) => $"""
        delete from {g.Table} where {g.Column} = {g.Of(r + ".")} and partner_id = {r}.partner_id
            and programme = coalesce({r}.programme, 'none') and referrals = 0;
        """;

    /// <summary>One episode row's contribution to each counted column, as SQL over its alias (<c>new.</c>, <c>old.</c> or empty).</summary>
    public static IReadOnlyList<string> Counts(string r) =>
    [
        "1", $"{r}accepted::int", $"{CountedEpisodes.Finished(r)}::int", $"{CountedEpisodes.NotMeasurable(r)}::int",
        $"{CountedEpisodes.FinishedAtCaseness(r)}::int", $"{CountedEpisodes.Recovered(r)}::int",
        $"{CountedEpisodes.ReliablyImproved(r)}::int", $"{CountedEpisodes.ReliablyDeteriorated(r)}::int", $"{CountedEpisodes.ReliablyRecovered(r)}::int",
    ];

    /// <summary>The cell key and counts of one episode row, as SQL over a record alias (new or old), times <paramref name="sign"/>.</summary>
    private static string Contribution(CellGrain g, string r, int sign) =>
        $"{g.Of(r + ".")}, {r}.partner_id, coalesce({r}.programme, 'none'), " +
        string.Join(", ", Counts(r + ".").Select(c => $"{sign} * {c}"));

    private static string Columns(CellGrain g) => $"{g.Column}, partner_id, programme, " + CountColumns;

    private static string OnConflict(CellGrain g) => $"""
        on conflict ({g.Column}, partner_id, programme) do update set
            referrals = c.referrals + excluded.referrals, accepted = c.accepted + excluded.accepted, finished = c.finished + excluded.finished,
            not_measurable = c.not_measurable + excluded.not_measurable,
            finished_at_caseness = c.finished_at_caseness + excluded.finished_at_caseness, recovered = c.recovered + excluded.recovered,
            reliably_improved = c.reliably_improved + excluded.reliably_improved,
            reliably_deteriorated = c.reliably_deteriorated + excluded.reliably_deteriorated,
            reliably_recovered = c.reliably_recovered + excluded.reliably_recovered
        """;

    private static string Add(CellGrain g, string r, int sign) =>
        $"insert into {g.Table} as c ({Columns(g)}) values ({Contribution(g, r, sign)}) {OnConflict(g)};";

    // Two cells of a table are always locked in key order, and the monthly cells before the daily ones, so two changes
    // moving episodes between the same cells in opposite directions wait for each other instead of deadlocking.
    private static string Move(CellGrain g) => $"""
            if tg_op = 'UPDATE'
               and row({g.Of("new.")}, new.partner_id, coalesce(new.programme, 'none'))
                 < row({g.Of("old.")}, old.partner_id, coalesce(old.programme, 'none')) then
                {Add(g, "new", 1)}
                {Add(g, "old", -1)}
                {DeleteEmpty(g, "old")}
            else
                if tg_op in ('UPDATE', 'DELETE') then
                    {Add(g, "old", -1)}
                    {DeleteEmpty(g, "old")}
                end if;
                if tg_op in ('INSERT', 'UPDATE') then
                    {Add(g, "new", 1)}
                end if;
            end if;
        """;

    private static string CreateTable(CellGrain g) => $"""
        create table if not exists {g.Table} (
            {g.Column} date not null, partner_id uuid not null, programme text not null,
            referrals int not null, accepted int not null, finished int not null, finished_at_caseness int not null, recovered int not null,
            reliably_improved int not null, reliably_deteriorated int not null, reliably_recovered int not null,
            primary key ({g.Column}, partner_id, programme));
        -- Added with the paired-scores rule; the recount below fills it.
        alter table {g.Table} add column if not exists not_measurable int not null default 0;
        -- Each row is updated by every change of an episode in its cell: room in each page for the new row version (HOT
        -- updates), and vacuum after a thousand dead versions rather than after a fifth of the table, so that reading the
        -- cells never wades through their history.
        alter table {g.Table} set (fillfactor = 50, autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000,
            autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 1000);
        """;

    // Most events change no counted field; skipping those keeps the cells free of needless row locks.
    private static readonly string Ddl = $"""
        {string.Concat(Grains.Select(CreateTable))}

        create or replace function outcomes.episode_outcome_monthly_row() returns trigger language plpgsql as $$
        begin
            -- A rebuild recounts the cells once at its end (RebuildRecount).
            if {RebuildRecount.Rebuilding} then
                return null;
            end if;
            if tg_op = 'UPDATE' and row(old.received_at, old.partner_id, old.programme, old.accepted, old.finished_treatment, old.measurable,
                   old.caseness_at_start, old.recovered, old.reliably_improved, old.reliably_deteriorated, old.reliably_recovered)
                is not distinct from row(new.received_at, new.partner_id, new.programme, new.accepted, new.finished_treatment, new.measurable,
                   new.caseness_at_start, new.recovered, new.reliably_improved, new.reliably_deteriorated, new.reliably_recovered) then
                return null;
            end if;
            {string.Concat(Grains.Select(Move))}
            return null;
        end $$;

        create or replace function outcomes.episode_outcome_monthly_truncate() returns trigger language plpgsql as $$
        begin
            {CellGrain.TruncateAll(Grains)};
            return null;
        end $$;

        drop trigger if exists episode_outcome_monthly_row on {OutcomeQueries.Table};
        create trigger episode_outcome_monthly_row after insert or update or delete on {OutcomeQueries.Table}
            for each row execute function outcomes.episode_outcome_monthly_row();
        drop trigger if exists episode_outcome_monthly_truncate on {OutcomeQueries.Table};
        create trigger episode_outcome_monthly_truncate after truncate on {OutcomeQueries.Table}
            for each statement execute function outcomes.episode_outcome_monthly_truncate();
        """;

    private static string RecountOf(CellGrain g) => $"""
        truncate {g.Table};
        insert into {g.Table} ({Columns(g)})
        select {g.Of("")}, partner_id, coalesce(programme, 'none'), {string.Join(", ", Counts("").Select(c => $"sum({c})"))}
        from {OutcomeQueries.Table}
        group by 1, 2, 3;

        """;

    // Recounted from the rows at every start, under a lock that holds writers off, so the cells can never drift.
    internal static readonly string Recount = $"""
        lock table {OutcomeQueries.Table} in share mode;
        {string.Concat(Grains.Select(RecountOf))}
        """;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var unjudged = await RollupStart.RunAsync(store, "outcomes.episode_outcome_monthly", Ddl, Recount,
            $"select count(*) from {OutcomeQueries.Table} where measurable is null", cancellationToken);

        // Rows the projection wrote before the paired-scores rule lack what today's rules need (how many questionnaires,
        // when each follow-up was), so their figures are not today's until the projection is rebuilt
        // (docs/modules/outcomes.md, "Rebuilding the episode rows").
        if (unjudged > 0)
        {
            logger.LogWarning(
                "{Rows} episode outcome rows were written under earlier outcome rules; the reports do not give today's figures for them until the projection is rebuilt: stop the service and run 'projections rebuild -p EpisodeOutcome'",
                unjudged);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
