using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using WorkingConversations.Testing;

namespace WorkingConversations.Host.Tests;

[Collection(HostCollection.Name)]
public sealed class DatabaseConnectionTests(ServiceFixture service)
{
    [Fact]
    public void Without_a_pool_size_of_its_own_the_connection_string_gets_the_configured_maximum()
    {
        var store = new NpgsqlConnectionStringBuilder(HostSetup.StoreConnectionString("Host=db.example;Database=wc", 20));

        Assert.Equal(20, store.MaxPoolSize);
        Assert.True(store.NoResetOnClose);
        Assert.Equal(64, store.MaxAutoPrepare);
        Assert.Equal("db.example", store.Host);
    }

    [Theory]
    [InlineData("Host=db.example;Database=wc;Maximum Pool Size=7")]
    [InlineData("Host=db.example;Database=wc;MaxPoolSize=7")]
    public void A_connection_string_that_sets_its_own_pool_size_keeps_it(string configured) =>
        Assert.Equal(7, new NpgsqlConnectionStringBuilder(HostSetup.StoreConnectionString(configured, 20)).MaxPoolSize);

    [Fact]
    public async Task The_running_service_connects_with_the_pool_size_of_its_connection_string()
    {
        // The test rig's connection string sets 40 of its own.
        var store = service.Services.GetRequiredService<IDocumentStore>();
        await using var connection = store.Storage.Database.CreateConnection();

        Assert.Equal(new NpgsqlConnectionStringBuilder(service.ConnectionString).MaxPoolSize,
            new NpgsqlConnectionStringBuilder(connection.ConnectionString).MaxPoolSize);
    }
}
