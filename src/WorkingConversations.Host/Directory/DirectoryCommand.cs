using JasperFx.CommandLine;
using WorkingConversations.Referrals.Directory;

namespace WorkingConversations.Host.Directory;

public sealed class DirectoryInput : NetCoreInput
{
    [Description("What to do: import")]
    public string Action { get; set; } = "import";

    [Description("The JSON file: an array of full ORUK service objects")]
    public string File { get; set; } = "";
}

/// <summary>The directory import of <c>POST /api/v1/directory/imports</c>, from a file: <c>directory import services.json</c>.</summary>
[Description("Service directory: directory import <file.json>", Name = "directory")]
public sealed class DirectoryCommand : JasperFxAsyncCommand<DirectoryInput>
{
    public override async Task<bool> Execute(DirectoryInput input)
    {
        if (input.Action != "import" || string.IsNullOrWhiteSpace(input.File))
        {
            Console.Error.WriteLine("Usage: directory import <file.json>");
            return false;
        }

        // The service as configured (its database, its settings), on a loopback port of its own so that a running host keeps its port.
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" });
        builder.AddWorkingConversations(ModuleList.All);
        await using var host = builder.Build();
        host.UseWorkingConversations(ModuleList.All);
        await host.StartAsync();
        try
        {
            await using var scope = host.Services.CreateAsyncScope();
            var report = await DirectoryFileImport.ImportAsync(scope.ServiceProvider, await System.IO.File.ReadAllTextAsync(input.File), CancellationToken.None);
            Console.WriteLine($"Added {report.Added}, changed {report.Changed}, removed {report.Removed}, unchanged {report.Unchanged}, rejected {report.Rejected.Count}.");
            foreach (var problem in report.Rejected) Console.WriteLine($"  {problem}");
            return report.Rejected.Count == 0;
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
