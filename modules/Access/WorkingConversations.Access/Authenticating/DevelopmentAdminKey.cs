using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using WorkingConversations.Access.IssuingApiKeys;
using WorkingConversations.Access.Keys;
using WorkingConversations.BuildingBlocks.Auth;
using WorkingConversations.BuildingBlocks;

namespace WorkingConversations.Access.Authenticating;

/// <summary>
/// In Development with no bootstrap key configured, makes sure an administrator can get in: when no active admin key
/// exists, one is issued and printed once. Later starts find it stored (hashed) and print nothing.
/// </summary>
internal sealed class DevelopmentAdminKey(IDocumentStore store, IConfiguration configuration, IHostEnvironment environment, TimeProvider clock) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!environment.IsDevelopment() || !string.IsNullOrEmpty(configuration["Auth:BootstrapAdminKey"])) return;

        await using var session = store.LightweightSession();
        var hasAdmin = await session.Query<ApiKey>().AnyAsync(k => k.Role == Roles.Admin && k.RevokedAt == null, cancellationToken);
        if (hasAdmin) return;

        var (key, secret) = ApiKeyEndpoints.Create(new IssueApiKeyRequest(Roles.Admin, "development-admin", null, null), Guid.CreateVersion7(), clock.GetUtcNow());
        session.Store(key);
        await session.SaveChangesAsync(cancellationToken);
        Console.WriteLine();
        Console.WriteLine("A development administrator key was created. It is shown only this once; keep it:");
        Console.WriteLine($"    Authorization: Bearer {secret}");
        Console.WriteLine("(Set Auth__BootstrapAdminKey to choose your own instead.)");
        Console.WriteLine();
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
