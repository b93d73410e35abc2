using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace WorkingConversations.Deploy.Tests;

/// <summary>deploy/compose.yaml: its services, its profile, and that what it builds and mounts is in the repository.</summary>
public sealed class ComposeTests
{
    private static readonly string ComposeFile = Path.Combine(Repository.Deploy, "compose.yaml");

    /// <summary>The file as compose reads it, anchors and merge keys (<c>&lt;&lt;: *host</c>) resolved.</summary>
    private static Dictionary<string, object> Compose()
    {
        using var reader = new StringReader(File.ReadAllText(ComposeFile));
        return new DeserializerBuilder().Build().Deserialize<Dictionary<string, object>>(new MergingParser(new Parser(reader)));
    }

    private static Dictionary<object, object> Map(object? value) => Assert.IsType<Dictionary<object, object>>(value);

    private static List<object> List(object? value) => Assert.IsType<List<object>>(value);

    private static Dictionary<object, object> Services() => Map(Compose()["services"]);

    /// <summary>The first word of the command of each service built from the repository's Dockerfile.</summary>
    public static IEnumerable<string> HostCommands() =>
        Services().Values.Select(Map).Where(s => s.ContainsKey("build") && s.ContainsKey("command")).Select(s => (string)List(s["command"])[0]);

    [Fact]
    public void It_runs_PostgreSQL_RabbitMQ_a_db_apply_job_and_two_host_replicas_and_keeps_the_collector_and_trace_viewer_in_a_profile()
    {
        var services = Services();
        Assert.Equal(["db-apply", "host", "jaeger", "otel-collector", "postgres", "rabbitmq"], services.Keys.Cast<string>().Order());

        var host = Map(services["host"]);
        Assert.Equal("2", Map(host["deploy"])["replicas"].ToString());
        var hostDependsOn = Map(host["depends_on"]);
        Assert.Equal("service_completed_successfully", Map(hostDependsOn["db-apply"])["condition"]);
        Assert.Equal("service_healthy", Map(hostDependsOn["rabbitmq"])["condition"]);

        var job = Map(services["db-apply"]);
        Assert.Equal(["db-apply"], List(job["command"]).Cast<string>());
        Assert.Equal("no", job["restart"]);
        Assert.Equal("service_healthy", Map(Map(job["depends_on"])["postgres"])["condition"]);
        Assert.Equal(host["image"], job["image"]);

        foreach (var name in new[] { "otel-collector", "jaeger" })
            Assert.Equal(["observability"], List(Map(services[name])["profiles"]).Cast<string>());
        foreach (var name in new[] { "postgres", "rabbitmq", "db-apply", "host" })
            Assert.False(Map(services[name]).ContainsKey("profiles"), $"{name} must run without a profile");
        Assert.True(Map(services["postgres"]).ContainsKey("healthcheck"));
        Assert.True(Map(services["rabbitmq"]).ContainsKey("healthcheck"));
    }

    [Fact]
    public void The_hosts_are_built_from_the_repositorys_Dockerfile_and_talk_to_the_compose_services_in_Production_and_Balanced_mode()
    {
        var services = Services();
        foreach (var name in new[] { "host", "db-apply" })
        {
            var service = Map(services[name]);
            var build = Map(service["build"]);
            var context = Path.GetFullPath(Path.Combine(Repository.Deploy, (string)build["context"]));
            Assert.Equal(Repository.Root.TrimEnd('/'), context.TrimEnd('/'));
            Assert.True(File.Exists(Path.Combine(context, (string)build["dockerfile"])), $"{build["dockerfile"]} is not in the repository");

            var environment = Map(service["environment"]).ToDictionary(e => (string)e.Key, e => e.Value?.ToString() ?? "");
            Assert.Equal("Production", environment["ASPNETCORE_ENVIRONMENT"]);
            Assert.Equal("RabbitMq", environment["Messaging__Transport"]);
            Assert.Equal("Balanced", environment["Messaging__DurabilityMode"]);
            Assert.Contains("Host=postgres;", environment["ConnectionStrings__Postgres"], StringComparison.Ordinal);
            Assert.Contains("@rabbitmq:5672/", environment["Messaging__RabbitMq__Uri"], StringComparison.Ordinal);
            Assert.StartsWith("amqp://", environment["Messaging__RabbitMq__Uri"], StringComparison.Ordinal);
            // Keys are never written into the file: compose stops when they are not given.
            foreach (var key in new[] { "Referrals__MatchKey", "Referrals__IdentityEncryptionKey" })
                Assert.Matches(@"^\$\{[A-Z_]+:\?", environment[key]);
            Assert.Matches(@"^\$\{OTEL_EXPORTER_OTLP_ENDPOINT:-\}$", environment["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        }
    }

    [Fact]
    public void The_collector_reads_a_config_of_the_repository_that_sends_traces_to_the_trace_viewer()
    {
        var collector = Map(Services()["otel-collector"]);
        var mount = List(collector["volumes"]).Cast<string>().Single();
        var file = Path.GetFullPath(Path.Combine(Repository.Deploy, mount.Split(':')[0]));
        Assert.True(File.Exists(file), $"{file} is not in the repository");
        Assert.Contains($"--config={mount.Split(':')[1]}", List(collector["command"]).Cast<string>());

        using var reader = new StringReader(File.ReadAllText(file));
        var config = new DeserializerBuilder().Build().Deserialize<Dictionary<string, object>>(reader);
        var traces = Map(Map(Map(config["service"])["pipelines"])["traces"]);
        Assert.Contains("otlp", List(traces["receivers"]).Cast<string>());
        var exporter = List(traces["exporters"]).Cast<string>().Single();
        Assert.Equal("jaeger:4317", Map(Map(config["exporters"])[exporter])["endpoint"]);
        Assert.True(Services().ContainsKey("jaeger"));
        var grpc = Map(Map(Map(Map(config["receivers"])["otlp"])["protocols"])["grpc"]);
        Assert.EndsWith(":4317", (string)grpc["endpoint"], StringComparison.Ordinal);
    }
}
