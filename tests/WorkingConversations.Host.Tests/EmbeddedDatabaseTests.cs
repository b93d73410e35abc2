using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using WorkingConversations.BuildingBlocks.Hosting;

namespace WorkingConversations.Host.Tests;

/// <summary>The embedded PostgreSQL is for Development and the test rig only; any other host must be given its database.</summary>
public sealed class EmbeddedDatabaseTests
{
    static EmbeddedDatabaseTests()
    {
        JasperFx.CommandLine.JasperFxEnvironment.AutoStartHost = true;
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public void Outside_development_a_host_without_a_connection_string_stops_at_start_up_naming_the_setting(string environment)
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment(environment);
            b.UseSetting(DatabaseConnection.Setting, "");
            b.UseSetting("Database:EmbeddedDataDirectory", Path.Combine(Path.GetTempPath(), $"wc-never-{Guid.NewGuid():N}"));
        });

        var failure = Assert.ThrowsAny<Exception>(() => factory.Server);

        Assert.Contains(DatabaseConnection.Setting, Messages(failure), StringComparison.Ordinal);
    }

    [Fact]
    public void The_rule_is_the_connections_own_and_holds_for_the_testing_environment_too()
    {
        var configuration = new ConfigurationBuilder().Build();
        var connection = new DatabaseConnection(configuration, new Environment("Testing"), NullLogger<DatabaseConnection>.Instance);

        var refused = Assert.Throws<InvalidOperationException>(() => connection.ConnectionString);
        Assert.Contains("ConnectionStrings:Postgres", refused.Message, StringComparison.Ordinal);
        Assert.Contains("'Testing'", refused.Message, StringComparison.Ordinal);
    }

    private static string Messages(Exception e) =>
        e is AggregateException a ? string.Join(" | ", a.InnerExceptions.Select(Messages)) : e.Message + (e.InnerException is { } inner ? " | " + Messages(inner) : "");

    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;
        public string ApplicationName { get; set; } = "test";
        public string ContentRootPath { get; set; } = "/";
        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = new Microsoft.Extensions.FileProviders.NullFileProvider();
    }
}
