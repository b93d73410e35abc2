using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http;
using WorkingConversations.Access.Authenticating;
using WorkingConversations.Access.Keys;
using WorkingConversations.BuildingBlocks.Auth;
using WorkingConversations.BuildingBlocks.Http.Idempotency;
using WorkingConversations.BuildingBlocks.Http;
using WorkingConversations.BuildingBlocks.Writing;
using WorkingConversations.BuildingBlocks;

namespace WorkingConversations.Access.IssuingApiKeys;

internal sealed record IssueApiKeyRequest(string? Role, string? Name, Guid? PartnerId, Guid? PractitionerId);

/// <summary>A new key; <c>key</c> is shown in the first answer only (an idempotent repeat answers without it).</summary>
public sealed record IssuedApiKey(Guid Id, string? Key, string Role, string Name, Guid? PartnerId, Guid? PractitionerId, DateTimeOffset CreatedAt);

public sealed record ApiKeyView(Guid Id, string Role, string Name, Guid? PartnerId, Guid? PractitionerId, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

internal static class ApiKeyEndpoints
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

    /// <summary>Pure: a new key is stored as its hash; the secret is in the result only, to be shown once.</summary>
    public static Decision<IssuedApiKey> Decide(IssueApiKeyRequest request, Guid id, DateTimeOffset now)
    {
        var (key, secret) = Create(request, id, now);
        return Decision.Of(new IssuedApiKey(key.Id, secret, key.Role, key.Name, key.PartnerId, key.PractitionerId, key.CreatedAt)).Insert(key);
    }

    public static Task<IResult> Issue(JsonBody<IssueApiKeyRequest> body, HttpContext http, WriteStep write) =>
        write.RunAsync(http, Validate(body.Read), attempt => Decide(body.Read, Guid.CreateVersion7(), attempt.Now),
            issued => Answer.Created($"/api/v1/api-keys/{issued.Id}", issued) with { Repeated = issued with { Key = null } });

    public static async Task<Ok<ApiKeyView[]>> List(IQuerySession session, CancellationToken ct) => TypedResults.Ok(await AllAsync(session, ct));

    /// <summary>Every key, oldest first, never its secret: the API's list and the administrators' page.</summary>
    public static async Task<ApiKeyView[]> AllAsync(IQuerySession session, CancellationToken ct)
    {
        var keys = await session.Query<ApiKey>().OrderBy(k => k.CreatedAt).ToListAsync(ct);
        return keys.Select(k => new ApiKeyView(k.Id, k.Role, k.Name, k.PartnerId, k.PractitionerId, k.CreatedAt, k.RevokedAt)).ToArray();
    }

    /// <summary>Pure: an active key is revoked from now on; revoking a revoked key changes nothing.</summary>
    public static Decision<ApiKey> Revoking(ApiKey? key, Guid id, DateTimeOffset now)
    {
        if (key is null) return Refusal.NotFound($"No API key has the id {id}.");
        return key.IsActive ? Decision.Of(key).Store(key with { RevokedAt = now }) : Decision.Of(key);
    }

    public static Task<IResult> Revoke(Guid id, HttpContext http, WriteStep write, ApiKeyCache cache)
    {
        var revoking = new Revocation(id, cache);
        return write.RunAsync(http, revoking.Decide, _ => Answer.NoContent, revoking.Options);
    }

    /// <summary>The write of a revocation, for the API and the page alike: the decision, and the cache eviction after it commits.</summary>
    public sealed class Revocation(Guid id, ApiKeyCache cache)
    {
        private string? _revoked;

        public async Task<Decision<ApiKey>> Decide(WriteAttempt attempt)
        {
            var decision = Revoking(await attempt.Session.LoadAsync<ApiKey>(id, attempt.Cancellation), id, attempt.Now);
            _revoked = decision.Result?.Hash;
            return decision;
        }

        // Only once the revocation is committed: evicted earlier, a request in between could cache the key again.
        public WriteOptions Options => new()
        {
            AfterCommit = _ =>
            {
                if (_revoked is not null) cache.Forget(_revoked);
                return Task.CompletedTask;
            },
        };
    }
}
