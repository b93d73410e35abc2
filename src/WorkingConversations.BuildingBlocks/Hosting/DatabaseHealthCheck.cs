using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace WorkingConversations.BuildingBlocks.Hosting;

/// <summary>Ready means the database answers.</summary>
public sealed class DatabaseHealthCheck(DatabaseConnection database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = new NpgsqlConnection(database.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("select 1", connection);
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy("The database answers.");
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy("The database does not answer.", e);
        }
    }
}
