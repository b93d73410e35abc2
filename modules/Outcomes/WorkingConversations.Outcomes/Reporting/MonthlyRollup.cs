using Marten;
using Microsoft.Extensions.Hosting;
using Npgsql;
using WorkingConversations.Outcomes.Projections;

namespace WorkingConversations.Outcomes.Reporting;

/// <summary>
/// Per month of receipt, partner and programme, the summary's counts, kept in step with the episode outcome rows by a
/// PostgreSQL trigger (every insert, update and delete of a row moves its contribution from its old cell to its new
/// one, in the same transaction). The summary then reads whole months from here and only the days at the edges of the
/// period from the episode rows, so its cost follows the number of months and partners, not of episodes
/// (docs/modules/outcomes.md, "Performance"). Being derived from the projection, it is rebuilt with it: a rebuild
/// deletes or truncates the rows, and the triggers follow.
/// </summary>
internal sealed class MonthlyRollup(IDocumentStore store) : IHostedService
{
    public const string Table = "outcomes.episode_outcome_monthly";

    /// <summary>The cell counts of one episode row, as SQL over a record alias (new or old).</summary>
    private static string Contribution(string r, int sign) => $"""
        (date_trunc('month', {r}.received_at at time zone 'UTC'))::date, {r}.partner_id, coalesce({r}.programme, 'none'),
        {sign}, {sign} * {r}.accepted::int, {sign} * {r}.finished_treatment::int,
        {sign} * ({r}.finished_treatment and {r}.caseness_at_start)::int,
        {sign} * ({r}.finished_treatment and {r}.caseness_at_start and {r}.recovered)::int,
        {sign} * ({r}.finished_treatment and {r}.reliably_improved)::int,
        {sign} * ({r}.finished_treatment and {r}.reliably_deteriorated)::int,
        {sign} * ({r}.finished_treatment and {r}.caseness_at_start and {r}.reliably_recovered)::int
        """;

    /// <summary>
    /// A cell its last episode moved out of counts nothing: it goes, so the cells are always what a recount at start-up
    /// or a rebuild of the projection makes (which never makes an empty one), and a restored or rebuilt database reads the same.
    /// </summary>
    private static string DeleteEmpty(string r) => $"""
        delete from {Table} where month = (date_trunc('month', {r}.received_at at time zone 'UTC'))::date and partner_id = {r}.partner_id
            and programme = coalesce({r}.programme, 'none') and referrals = 0;
        """;

    private const string Columns = "month, partner_id, programme, referrals, accepted, finished, finished_at_caseness, recovered, reliably_improved, reliably_deteriorated, reliably_recovered";

    private const string OnConflict = """
        on conflict (month, partner_id, programme) do update set
            referrals = c.referrals + excluded.referrals, accepted = c.accepted + excluded.accepted, finished = c.finished + excluded.finished,
            finished_at_caseness = c.finished_at_caseness + excluded.finished_at_caseness, recovered = c.recovered + excluded.recovered,
            reliably_improved = c.reliably_improved + excluded.reliably_improved,
            reliably_deteriorated = c.reliably_deteriorated + excluded.reliably_deteriorated,
            reliably_recovered = c.reliably_recovered + excluded.reliably_recovered
        """;

    // Most events change no counted field; skipping those keeps the cells free of needless row locks.
    private static readonly string Ddl = $"""
        create table if not exists {Table} (
            month date not null, partner_id uuid not null, programme text not null,
            referrals int not null, accepted int not null, finished int not null, finished_at_caseness int not null, recovered int not null,
            reliably_improved int not null, reliably_deteriorated int not null, reliably_recovered int not null,
            primary key (month, partner_id, programme));
        -- A few hundred rows, each updated by every change of an episode in its cell: room in each page for the new
        -- row version (HOT updates), and vacuum after a thousand dead versions rather than after a fifth of the table,
        -- so that reading the cells never wades through their history.
        alter table {Table} set (fillfactor = 50, autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000,
            autovacuum_analyze_scale_factor = 0, autovacuum_analyze_threshold = 1000);

        create or replace function outcomes.episode_outcome_monthly_row() returns trigger language plpgsql as $$
        begin
            if tg_op = 'UPDATE' and row(old.received_at, old.partner_id, old.programme, old.accepted, old.finished_treatment, old.caseness_at_start,
                   old.recovered, old.reliably_improved, old.reliably_deteriorated, old.reliably_recovered)
                is not distinct from row(new.received_at, new.partner_id, new.programme, new.accepted, new.finished_treatment, new.caseness_at_start,
                   new.recovered, new.reliably_improved, new.reliably_deteriorated, new.reliably_recovered) then
                return null;
            end if;
            -- Two cells are always locked in key order, so two changes moving episodes between the same cells in
            -- opposite directions wait for each other instead of deadlocking.
            if tg_op = 'UPDATE'
               and row((date_trunc('month', new.received_at at time zone 'UTC'))::date, new.partner_id, coalesce(new.programme, 'none'))
                 < row((date_trunc('month', old.received_at at time zone 'UTC'))::date, old.partner_id, coalesce(old.programme, 'none')) then
                insert into {Table} as c ({Columns}) values ({Contribution("new", 1)}) {OnConflict};
                insert into {Table} as c ({Columns}) values ({Contribution("old", -1)}) {OnConflict};
                {DeleteEmpty("old")}
                return null;
            end if;
            if tg_op in ('UPDATE', 'DELETE') then
                insert into {Table} as c ({Columns}) values ({Contribution("old", -1)}) {OnConflict};
                {DeleteEmpty("old")}
            end if;
            if tg_op in ('INSERT', 'UPDATE') then
                insert into {Table} as c ({Columns}) values ({Contribution("new", 1)}) {OnConflict};
            end if;
            return null;
        end $$;

        create or replace function outcomes.episode_outcome_monthly_truncate() returns trigger language plpgsql as $$
        begin
            truncate {Table};
            return null;
        end $$;

        drop trigger if exists episode_outcome_monthly_row on {OutcomeQueries.Table};
        create trigger episode_outcome_monthly_row after insert or update or delete on {OutcomeQueries.Table}
            for each row execute function outcomes.episode_outcome_monthly_row();
        drop trigger if exists episode_outcome_monthly_truncate on {OutcomeQueries.Table};
        create trigger episode_outcome_monthly_truncate after truncate on {OutcomeQueries.Table}
            for each statement execute function outcomes.episode_outcome_monthly_truncate();
        """;

    // Recounted from the rows at every start, under a lock that holds writers off, so the cells can never drift.
    private static readonly string Recount = $"""
        lock table {OutcomeQueries.Table} in share mode;
        truncate {Table};
        insert into {Table} ({Columns})
        select (date_trunc('month', received_at at time zone 'UTC'))::date, partner_id, coalesce(programme, 'none'),
               count(*), count(*) filter (where accepted), count(*) filter (where finished_treatment),
               count(*) filter (where finished_treatment and caseness_at_start),
               count(*) filter (where finished_treatment and caseness_at_start and recovered),
               count(*) filter (where finished_treatment and reliably_improved),
               count(*) filter (where finished_treatment and reliably_deteriorated),
               count(*) filter (where finished_treatment and caseness_at_start and reliably_recovered)
        from {OutcomeQueries.Table}
        group by 1, 2, 3;
        """;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // This runs before Marten's own start-up migration, so make sure the episode table exists first.
        await store.Storage.Database.EnsureStorageExistsAsync(typeof(EpisodeOutcome), cancellationToken);
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var ddl = new NpgsqlCommand("select pg_advisory_xact_lock(hashtext('outcomes.episode_outcome_monthly'))", connection, transaction))
            await ddl.ExecuteNonQueryAsync(cancellationToken);
        await using (var ddl = new NpgsqlCommand(Ddl, connection, transaction)) await ddl.ExecuteNonQueryAsync(cancellationToken);
        await using (var recount = new NpgsqlCommand(Recount, connection, transaction)) await recount.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
