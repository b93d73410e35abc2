using JasperFx.Events.Projections;

namespace WorkingConversations.BuildingBlocks.Modules;

/// <summary>
/// How the daemon reads events for every projection when it catches up or rebuilds. Events are small, so a page of
/// thousands costs few round trips and lets each page write a document once for all of its events: a rebuild of
/// realistic journeys took a third of the time with pages of 5,000 instead of Marten's 500 (docs/performance.md).
/// </summary>
public static class ProjectionRebuilds
{
    public const int EventsPerPage = 5_000;

    public static void Tune(AsyncOptions options) => options.BatchSize = EventsPerPage;
}
