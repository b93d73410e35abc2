namespace WorkingConversations.Referrals.Directory;

/// <summary>What an import of a directory file says, for the host's <c>directory import</c> command.</summary>
public sealed record DirectoryFileImportResult(int Added, int Changed, int Removed, int Unchanged, IReadOnlyList<string> Rejected);

/// <summary>
/// The one entry the host's command line needs into the directory import: the same import as
/// <c>POST /api/v1/directory/imports</c>, from the text of a file. Everything behind it stays internal to the module.
/// </summary>
public static class DirectoryFileImport
{
    public static async Task<DirectoryFileImportResult> ImportAsync(IServiceProvider services, string json, CancellationToken ct)
    {
        var report = await ImportDirectory.ImportFileAsync(services, json, ct);
        return new DirectoryFileImportResult(report.Added, report.Changed, report.Removed, report.Unchanged,
            [.. report.Rejected.Select(p => $"{p.Path}: {p.Problem}")]);
    }
}
