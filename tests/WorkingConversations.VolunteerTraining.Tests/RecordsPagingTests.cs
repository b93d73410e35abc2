using Microsoft.Extensions.Configuration;
using WorkingConversations.BuildingBlocks.Web;
using WorkingConversations.VolunteerTraining.Pages;

namespace WorkingConversations.VolunteerTraining.Tests;

/// <summary>The pages of the administrators' volunteers' records: which numbers the pager offers, and the page size setting.</summary>
public sealed class RecordsPagingTests
{
    public static TheoryData<int, int, int?[]> Pagers => new()
    {
        { 1, 1, [1] },
        { 1, 3, [1, 2, 3] },
        { 2, 3, [1, 2, 3] },
        { 3, 5, [1, 2, 3, 4, 5] },
        { 5, 10, [1, null, 4, 5, 6, null, 10] },
        { 1, 10, [1, 2, null, 10] },
        { 10, 10, [1, null, 9, 10] },
        // Past the last page: the pager still offers the way back.
        { 9, 3, [1, 2, 3] },
    };

    [Theory]
    [MemberData(nameof(Pagers))]
    public void The_pager_offers_the_first_and_last_page_and_the_neighbours_of_this_one_with_a_gap_for_the_rest(int current, int last, int?[] shown) =>
        Assert.Equal(shown, new NumberedPages(current, 10, last * 10).Shown());

    [Fact]
    public void A_page_holds_its_share_of_the_rows_and_an_empty_list_has_one_empty_page()
    {
        Assert.Equal((41, 50), new NumberedPages(5, 10, 95).Rows);
        Assert.Equal((91, 95), new NumberedPages(10, 10, 95).Rows);
        Assert.Equal((0, 0), new NumberedPages(11, 10, 95).Rows);
        Assert.Equal(1, new NumberedPages(1, 50, 0).Last);
        Assert.Equal(int.MaxValue, new NumberedPages(int.MaxValue, 500, 10).Skip);
    }

    [Theory]
    [InlineData(null, 1)]
    [InlineData("", 1)]
    [InlineData("3", 3)]
    [InlineData("0", null)]
    [InlineData("-1", null)]
    [InlineData("2.5", null)]
    [InlineData("second", null)]
    [InlineData("99999999999", null)]
    public void A_page_number_is_a_whole_number_from_one_and_none_is_the_first(string? given, int? read) =>
        Assert.Equal(read, NumberedPages.Read(given));

    [Theory]
    [InlineData("0")]
    [InlineData("501")]
    public void A_page_size_outside_1_to_500_stops_the_host_at_start_up_naming_the_setting(string size)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["VolunteerTraining:RecordsPageSize"] = size }).Build();
        var refused = Assert.Throws<InvalidOperationException>(() => VolunteerDataPages.PagingFrom(configuration));
        Assert.Contains("VolunteerTraining:RecordsPageSize", refused.Message, StringComparison.Ordinal);
        Assert.Equal(50, VolunteerDataPages.PagingFrom(new ConfigurationBuilder().Build()).PageSize);
    }
}
