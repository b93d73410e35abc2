namespace WorkingConversations.Web.Tests;

/// <summary>
/// Where the browser tests put their pictures: with <c>WC_SCREENSHOTS=1</c> in the repository's docs/ui (README: "Screenshots"),
/// otherwise in a fresh temporary folder, so that an ordinary run still draws and checks every picture but changes no file
/// of the repository. Any other value is refused rather than read as a folder, so that it means one thing everywhere.
/// </summary>
public static class Screenshots
{
    public const string Setting = "WC_SCREENSHOTS";

    private static readonly Lazy<string> Chosen = new(Choose);

    /// <summary>The folder of this test run, the same for every test that takes pictures.</summary>
    public static string Folder => Chosen.Value;

    /// <summary>Whether this run writes into the repository's docs/ui.</summary>
    public static bool IntoRepository(string? setting) => setting switch
    {
        null or "" or "0" => false,
        "1" => true,
        _ => throw new InvalidOperationException($"{Setting} is 1 (write the pictures into docs/ui) or unset; '{setting}' is neither."),
    };

    private static string Choose()
    {
        if (!IntoRepository(Environment.GetEnvironmentVariable(Setting))) return Directory.CreateTempSubdirectory("wc-ui-").FullName;
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "WorkingConversations.sln"))) directory = directory.Parent;
        var folder = Path.Combine(directory?.FullName ?? throw new InvalidOperationException("No repository above the test's folder."), "docs", "ui");
        Directory.CreateDirectory(folder);
        return folder;
    }
}
