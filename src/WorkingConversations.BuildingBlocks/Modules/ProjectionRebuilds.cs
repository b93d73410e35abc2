using JasperFx.Events.Projections;

namespace WorkingConversations.BuildingBlocks.Modules;

/// <summary>
/// How many events the daemon reads at once for every projection, when it catches up and when it rebuilds. Marten's
/// 500 is doubled: a rebuild of every projection over realistic journeys took 7.3 to 7.7 s instead of 8.3 to 8.8 s.
/// Larger pages were faster still (6.0 s at 5,000) but held more in memory: the host's peak under intake load rose from
/// about 245 MB (500) and 262 MB (1,000) to 292 MB (2,000) and 328 MB (5,000), past the 300 MB budget
/// (docs/performance.md).
/// </summary>
public static class ProjectionRebuilds
{
    public const int EventsPerPage = 1_000;

    public static void Tune(AsyncOptions options) => options.BatchSize = EventsPerPage;
}
