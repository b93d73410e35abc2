namespace WorkingConversations.Web.Tests;

/// <summary><c>WC_SCREENSHOTS</c> means one thing for every test that takes pictures: 1 writes them into docs/ui.</summary>
public sealed class ScreenshotsSettingTests
{
    [Theory]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("0", false)]
    [InlineData("1", true)]
    public void One_writes_the_pictures_into_docs_ui_and_unset_or_0_into_a_temporary_folder(string? setting, bool intoRepository) =>
        Assert.Equal(intoRepository, Screenshots.IntoRepository(setting));

    [Fact]
    public void A_folder_named_in_the_setting_is_refused_rather_than_written_to()
    {
        var refused = Assert.Throws<InvalidOperationException>(() => Screenshots.IntoRepository("/tmp/somewhere"));
        Assert.Contains("WC_SCREENSHOTS is 1", refused.Message, StringComparison.Ordinal);
    }
}
