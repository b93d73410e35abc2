using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace WorkingConversations.BuildingBlocks.Auth;

public sealed record IssueApiKeyRequest(string? Role, string? Name, Guid? PartnerId, Guid? PractitionerId);

public sealed record IssuedApiKey(Guid Id, string Key, string Role, string Name, Guid? PartnerId, Guid? PractitionerId, DateTimeOffset CreatedAt);

public sealed record ApiKeyView(Guid Id, string Role, string Name, Guid? PartnerId, Guid? PractitionerId, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

public static class ApiKeyEndpoints
{
    public static Validation Validate(IssueApiKeyRequest request)
    {
        var v = new Validation();
        v.OneOf("role", request.Role, Roles.All.ToArray());
        v.RequiredText("name", request.Name, 200);
        if (request.Role == Roles.Partner && request.PartnerId is null) v.Add("partnerId", "is required for a partner key.");
        if (request.Role == Roles.Practitioner && request.PractitionerId is null) v.Add("practitionerId", "is required for a practitioner key.");
        if (request.Role != Roles.Partner && request.PartnerId is not null) v.Add("partnerId", "is only allowed on a partner key.");
        if (request.Role != Roles.Practitioner && request.PractitionerId is not null) v.Add("practitionerId", "is only allowed on a practitioner key.");
        return v;
    }

    /// <summary>Pure: the stored key and the one-time secret for a valid request.</summary>
    public static (ApiKey Stored, string Secret) Create(IssueApiKeyRequest request, Guid id, DateTimeOffset now)
    {
        var secret = ApiKey.NewSecret();
        return (new ApiKey(id, request.Name!.Trim(), request.Role!, ApiKey.HashOf(secret), request.PartnerId, request.PractitionerId, now), secret);
    }

    public static async Task<Results<Created<IssuedApiKey>, ValidationProblem>> Issue(
        IssueApiKeyRequest request, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var v = Validate(request);
        if (!v.IsValid) return v.ToProblem();

        var (key, secret) = Create(request, Guid.CreateVersion7(), clock.GetUtcNow());
        session.Store(key);
        await session.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/api-keys/{key.Id}",
            new IssuedApiKey(key.Id, secret, key.Role, key.Name, key.PartnerId, key.PractitionerId, key.CreatedAt));
    }

    public static async Task<Ok<ApiKeyView[]>> List(IQuerySession session, CancellationToken ct)
    {
        var keys = await session.Query<ApiKey>().OrderBy(k => k.CreatedAt).ToListAsync(ct);
        return TypedResults.Ok(keys.Select(k => new ApiKeyView(k.Id, k.Role, k.Name, k.PartnerId, k.PractitionerId, k.CreatedAt, k.RevokedAt)).ToArray());
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> Revoke(Guid id, IDocumentSession session, ApiKeyCache cache, TimeProvider clock, CancellationToken ct)
    {
        var key = await session.LoadAsync<ApiKey>(id, ct);
        if (key is null) return Problem.NotFound($"No API key has the id {id}.");
        if (key.IsActive)
        {
            session.Store(key with { RevokedAt = clock.GetUtcNow() });
            await session.SaveChangesAsync(ct);
            cache.Forget(key.Hash);
        }

        return TypedResults.NoContent();
    }
}
