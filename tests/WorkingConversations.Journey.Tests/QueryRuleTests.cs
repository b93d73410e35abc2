using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Http;
using WorkingConversations.BuildingBlocks.Journey;
using WorkingConversations.Journey.Auditing;
using WorkingConversations.Journey.ReadingState;

namespace WorkingConversations.Journey.Tests;

/// <summary>The pure query-string rules of the journey routes.</summary>
public sealed class QueryRuleTests
{
    [Theory]
    [InlineData(null, 50, true)]
    [InlineData("1", 1, true)]
    [InlineData("500", 500, true)]
    [InlineData("0", 50, false)]
    [InlineData("501", 50, false)]
    [InlineData("ten", 50, false)]
    [InlineData("-3", 50, false)]
    public void A_list_limit_is_a_whole_number_from_1_to_500_defaulting_to_50(string? limit, int expected, bool valid)
    {
        var v = new Validation();
        Assert.Equal(expected, ListLimit.Read(v, limit));
        Assert.Equal(valid, v.IsValid);
    }

    [Fact]
    public void An_audit_cursor_gives_back_the_position_it_was_made_from_and_a_made_up_one_is_refused()
    {
        var cursor = (ReadAudit.Microseconds(DateTimeOffset.UtcNow), 4201L);
        Assert.Equal(cursor, ListCursor.TimeAndLong(ListCursor.After(cursor.Item1, cursor.Item2)));
        Assert.Null(ListCursor.TimeAndLong("zz"));
        Assert.Null(ListCursor.TimeAndLong("1.2.3"));
        Assert.Null(ListCursor.TimeAndLong($"{long.MaxValue}.1"));
    }

    [Theory]
    [InlineData("2026-11-01T10:00:00Z", null, true)]
    [InlineData("2026-11-01", null, true)]
    [InlineData(null, "3", true)]
    [InlineData(null, null, true)]
    [InlineData("soon", null, false)]
    [InlineData(null, "0", false)]
    [InlineData(null, "1.5", false)]
    [InlineData("2026-11-01T10:00:00Z", "3", false)]
    public void Time_travel_takes_a_moment_or_a_version_but_not_both(string? asOf, string? version, bool valid) =>
        Assert.Equal(valid, GetJourneyState.Validate(asOf, version).Query is not null);
}
