namespace WorkingConversations.Testing;

/// <summary>The service's clock in tests: real time plus an offset the test can move, so nothing waits for real.</summary>
public sealed class TestClock : TimeProvider
{
    private TimeSpan _offset;

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + _offset;

    public void Advance(TimeSpan by) => _offset += by;

    public void Set(DateTimeOffset now) => _offset = now - base.GetUtcNow();
}
