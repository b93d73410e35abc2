using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace WorkingConversations.Deploy.Tests;

/// <summary>
/// deploy/Dockerfile read against the repository: no Docker engine is needed (nor present in CI), so the image is not
/// built here; what it copies, builds, checks and runs is.
/// </summary>
public sealed partial class DockerfileTests
{
    private static readonly string[] Lines = JoinContinuations(File.ReadAllLines(Path.Combine(Repository.Deploy, "Dockerfile")));
    private static readonly string HostProject = Repository.PathOf("src", "WorkingConversations.Host", "WorkingConversations.Host.csproj");

    private static string[] JoinContinuations(string[] lines)
    {
        var joined = new List<string>();
        var current = "";
        foreach (var raw in lines.Where(l => !l.TrimStart().StartsWith('#')))
        {
            current += raw.TrimEnd().TrimEnd('\\') + " ";
            if (!raw.TrimEnd().EndsWith('\\'))
            {
                if (current.Trim().Length > 0) joined.Add(current.Trim());
                current = "";
            }
        }

        return [.. joined];
    }

    private static IEnumerable<string> Stage(int index)
    {
        var starts = Lines.Select((l, i) => (l, i)).Where(x => x.l.StartsWith("FROM ", StringComparison.Ordinal)).Select(x => x.i).ToList();
        var from = starts[index < 0 ? starts.Count + index : index];
        var to = starts.FirstOrDefault(s => s > from, Lines.Length);
        return Lines[from..to];
    }

    [Fact]
    public void It_builds_the_host_in_Release_on_the_SDK_and_runs_it_on_the_ASP_NET_runtime_as_a_non_root_user()
    {
        var froms = Lines.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ToList();
        Assert.True(froms.Count >= 2, "multi-stage");
        Assert.StartsWith("FROM mcr.microsoft.com/dotnet/sdk:10.0", froms[0], StringComparison.Ordinal);

        var runtime = Stage(-1).ToList();
        Assert.StartsWith("FROM mcr.microsoft.com/dotnet/aspnet:10.0", runtime[0], StringComparison.Ordinal);
        Assert.DoesNotContain(runtime, l => l.Contains("/sdk", StringComparison.Ordinal) && l.StartsWith("FROM", StringComparison.Ordinal));
        Assert.DoesNotContain(runtime, l => l.StartsWith("RUN dotnet", StringComparison.Ordinal));
        var user = Assert.Single(runtime, l => l.StartsWith("USER ", StringComparison.Ordinal));
        Assert.DoesNotMatch(@"^USER\s+(root|0)(:|\s|$)", user);
        Assert.Contains(runtime, l => l.StartsWith("COPY --from=build /app", StringComparison.Ordinal));
        Assert.Contains(runtime, l => l.Contains("ASPNETCORE_ENVIRONMENT=Production", StringComparison.Ordinal));

        var publish = Assert.Single(Lines, l => l.StartsWith("RUN dotnet publish", StringComparison.Ordinal));
        Assert.Contains("--configuration Release", publish, StringComparison.Ordinal);
        Assert.Contains("--output /app", publish, StringComparison.Ordinal);
        Assert.True(File.Exists(Repository.PathOf(publish.Split(' ')[3].Split('/'))), $"{publish.Split(' ')[3]} is not in the repository");

        var entrypoint = Assert.Single(runtime, l => l.StartsWith("ENTRYPOINT", StringComparison.Ordinal));
        Assert.Equal($"ENTRYPOINT [\"dotnet\", \"{Path.GetFileNameWithoutExtension(HostProject)}.dll\"]", entrypoint);
    }

    [Fact]
    public void Everything_it_copies_is_in_the_repository_and_covers_every_project_the_host_is_built_from()
    {
        var copies = Lines.Where(l => l.StartsWith("COPY ", StringComparison.Ordinal) && !l.Contains("--from", StringComparison.Ordinal))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..^1]).SelectMany(s => s).ToList();
        Assert.NotEmpty(copies);
        foreach (var source in copies)
            Assert.True(File.Exists(Repository.PathOf(source.TrimEnd('/'))) || Directory.Exists(Repository.PathOf(source.TrimEnd('/'))), $"COPY {source}: not in the repository");

        var copiedFolders = copies.Where(c => c.EndsWith('/')).Select(c => Repository.PathOf(c.TrimEnd('/')) + Path.DirectorySeparatorChar).ToList();
        foreach (var project in ProjectsOf(HostProject))
            Assert.True(copiedFolders.Any(f => project.StartsWith(f, StringComparison.Ordinal)), $"{project} is built into the host but not copied into the image");

        // The build settings every project reads.
        foreach (var file in new[] { "global.json", "Directory.Build.props", "Directory.Packages.props" }) Assert.Contains(file, copies);

        // What the build context leaves out must not hide what the build needs.
        var ignored = File.ReadAllLines(Path.Combine(Repository.Deploy, "Dockerfile.dockerignore")).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        Assert.Contains("**/bin/", ignored);
        Assert.Contains("**/obj/", ignored);
        Assert.DoesNotContain(ignored, i => i.TrimEnd('/') is "src" or "modules" || i.Contains("Generated", StringComparison.Ordinal));
    }

    [Fact]
    public void The_pre_generated_handler_code_it_insists_on_is_committed()
    {
        var check = Assert.Single(Lines, l => l.StartsWith("RUN test -f ", StringComparison.Ordinal));
        var file = check.Split(' ')[3];
        Assert.StartsWith("src/WorkingConversations.Host/Internal/Generated/", file, StringComparison.Ordinal);
        Assert.True(File.Exists(Repository.PathOf(file.Split('/'))), $"{file} is not in the repository");
    }

    [Fact]
    public void The_commands_the_compose_file_and_the_migration_job_run_are_commands_of_the_host()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var dll = Repository.PathOf("src", "WorkingConversations.Host", "bin", configuration, "net10.0", "WorkingConversations.Host.dll");
        var (_, output, _) = Repository.Run("dotnet", dll, "help");
        var commands = CommandLine().Matches(output).Select(m => m.Groups[1].Value).ToHashSet();
        Assert.Contains("db-apply", commands);

        // The services built from this Dockerfile, and the migration Job on the same image.
        var used = ComposeTests.HostCommands().ToList();
        used.AddRange(UsedCommand().Matches(File.ReadAllText(Path.Combine(Repository.Kubernetes, "base", "migration-job.yaml"))).Select(m => m.Groups[1].Value));
        Assert.Contains("db-apply", used);
        Assert.All(used, c => Assert.Contains(c, commands));
    }

    /// <summary>The host project and every project it references, directly or not, as full paths.</summary>
    private static HashSet<string> ProjectsOf(string project)
    {
        var found = new HashSet<string>();
        var pending = new Stack<string>([Path.GetFullPath(project)]);
        while (pending.TryPop(out var current))
        {
            if (!found.Add(current)) continue;
            foreach (var reference in XDocument.Load(current).Descendants("ProjectReference"))
                pending.Push(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(current)!, reference.Attribute("Include")!.Value)));
        }

        return found;
    }

    [GeneratedRegex(@"^\s{2}([a-z][a-z-]+)\s{2,}", RegexOptions.Multiline)]
    private static partial Regex CommandLine();

    [GeneratedRegex(@"args: \[""([a-z-]+)""")]
    private static partial Regex UsedCommand();
}
