using System.Diagnostics;
using Npgsql;
using Xunit;
using WorkingConversations.BuildingBlocks.Hosting;

namespace WorkingConversations.Testing;

/// <summary>A plain-text pg_dump of a whole test database: every table of every schema, to search for what must not be left anywhere.</summary>
public static class DatabaseDump
{
    public static async Task<string> Of(string connectionString)
    {
        var connection = new NpgsqlConnectionStringBuilder(connectionString);
        var start = new ProcessStartInfo(PgDump())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "--no-owner", "--no-privileges", "-h", connection.Host!, "-p", connection.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", connection.Username!, connection.Database! })
            start.ArgumentList.Add(argument);
        if (!string.IsNullOrEmpty(connection.Password)) start.Environment["PGPASSWORD"] = connection.Password;

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"pg_dump failed: {await errors}");
        var dump = await output;
        Assert.Contains("mt_events", dump, StringComparison.Ordinal);
        return dump;
    }

    /// <summary>The pg_dump beside the server binaries the tests use (following a symbolic link there), else the newest installed, else PATH's.</summary>
    private static string PgDump()
    {
        var candidates = new List<string>();
        if (EmbeddedPostgres.FindBinDirectory() is { } bin)
        {
            candidates.Add(Path.Combine(bin, "pg_dump"));
            if (new FileInfo(Path.Combine(bin, "pg_ctl")).ResolveLinkTarget(returnFinalTarget: true) is { } target)
                candidates.Add(Path.Combine(Path.GetDirectoryName(target.FullName)!, "pg_dump"));
        }

        if (Directory.Exists("/usr/lib/postgresql"))
            candidates.AddRange(Directory.GetDirectories("/usr/lib/postgresql").OrderDescending(StringComparer.Ordinal).Select(d => Path.Combine(d, "bin", "pg_dump")));
        return candidates.FirstOrDefault(File.Exists) ?? "pg_dump";
    }
}
