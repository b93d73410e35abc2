using Marten;
using Microsoft.Extensions.DependencyInjection;
using WorkingConversations.Access.IssuingApiKeys;
using WorkingConversations.Access.Keys;
using WorkingConversations.BuildingBlocks.Http;
using WorkingConversations.BuildingBlocks.Volunteers;

namespace WorkingConversations.Access.Volunteers;

/// <summary>
/// The keys issued to a practitioner: who acts for the volunteer, their export's list of keys (never a secret or a hash),
/// and on erasure every one of them revoked and its name (often the person's) masked. The key ids stay: they are the
/// pseudonym the audit and the journeys' event stamps keep.
/// </summary>
internal static class VolunteerKeys
{
    public static void Describe(VolunteerCatalog catalog) =>
        catalog
            .ActsFor(async (session, id, ct) => (await Of(session, id, ct)).Select(k => new VolunteerActor(k.Id, k.Name)).ToList())
            .AddExportSection("apiKeys", async (session, subject, ct) => (await Of(session, subject.VolunteerId, ct))
                .Select(k => new ApiKeyView(k.Id, k.Role, k.Name, k.PartnerId, k.PractitionerId, k.CreatedAt, k.RevokedAt, k.ExpiresAt, k.LastUsedAt, k.Replaces))
                .ToList())
            .OnErasure("access: their keys revoked and the keys' names masked", async erasure =>
            {
                var cache = erasure.Services.GetRequiredService<ApiKeyCache>();
                foreach (var key in await Of(erasure.Session, erasure.Subject.VolunteerId, erasure.Cancellation))
                {
                    if (key.Name == ProtectedText.Masked && !key.IsActive) continue;
                    erasure.Session.Store(key with { Name = ProtectedText.Masked, RevokedAt = key.RevokedAt ?? erasure.At });
                    // Evicted here and again by the cache's few seconds: a revoked key is never cached again.
                    cache.Forget(key.Hash);
                }
            });

    private static async Task<IReadOnlyList<ApiKey>> Of(IQuerySession session, Guid practitionerId, CancellationToken ct) =>
        await session.Query<ApiKey>().Where(k => k.PractitionerId == practitionerId).OrderBy(k => k.CreatedAt).ToListAsync(ct);
}
