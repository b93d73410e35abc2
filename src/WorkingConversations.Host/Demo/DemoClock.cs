namespace WorkingConversations.Host.Demo;

/// <summary>The demo's simulated time: the seeder moves it day by day so that journeys spread over months.</summary>
public sealed class DemoClock : TimeProvider
{
    private long _ticks = DateTimeOffset.UtcNow.UtcTicks;

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Set(DateTimeOffset now) => Interlocked.Exchange(ref _ticks, now.UtcTicks);
}
