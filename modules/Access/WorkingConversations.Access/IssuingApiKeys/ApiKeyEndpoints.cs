using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http;
using WorkingConversations.Access.Authenticating;
using WorkingConversations.Access.Keys;
using WorkingConversations.Access.KnownHolders;
using WorkingConversations.BuildingBlocks.Auth;
using WorkingConversations.BuildingBlocks.Http.Idempotency;
using WorkingConversations.BuildingBlocks.Http;
using WorkingConversations.BuildingBlocks.Writing;
using WorkingConversations.BuildingBlocks;

namespace WorkingConversations.Access.IssuingApiKeys;

internal sealed record IssueApiKeyRequest(string? Role, string? Name, Guid? PartnerId, Guid? PractitionerId, DateTimeOffset? ExpiresAt = null);

internal sealed record RotateApiKeyRequest(DateTimeOffset? ExpiresAt = null);

/// <summary>A new key; <c>key</c> is shown in the first answer only (an idempotent repeat answers without it).</summary>
public sealed record IssuedApiKey(Guid Id, string? Key, string Role, string Name, Guid? PartnerId, Guid? PractitionerId, DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt = null, Guid? Replaces = null);

public sealed record ApiKeyView(Guid Id, string Role, string Name, Guid? PartnerId, Guid? PractitionerId, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt,
    DateTimeOffset? ExpiresAt, DateTimeOffset? LastUsedAt, Guid? Replaces);

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
    public static (ApiKey Stored, string Secret) Create(IssueApiKeyRequest request, Guid id, DateTimeOffset now, Guid? replaces = null)
    {
        var secret = ApiKey.NewSecret();
        return (new ApiKey(id, request.Name!.Trim(), request.Role!, ApiKey.HashOf(secret), request.PartnerId, request.PractitionerId, now,
            ExpiresAt: request.ExpiresAt, Replaces: replaces), secret);
    }

    /// <summary>
    /// Pure: a new key is stored as its hash; the secret is in the result only, to be shown once. Its partner or
    /// practitioner must exist (<paramref name="holderExists"/>), and an expiry must lie ahead.
    /// </summary>
    public static Decision<IssuedApiKey> Decide(IssueApiKeyRequest request, Guid id, DateTimeOffset now, bool holderExists = true, Guid? replaces = null)
    {
        if (request.ExpiresAt is { } expires && expires <= now) return Refusal.Invalid("expiresAt", "must be in the future.");
        if (!holderExists)
        {
            return request.PartnerId is not null
                ? Refusal.Invalid("partnerId", "is not a registered partner (POST /api/v1/partners).")
                : Refusal.Invalid("practitionerId", "is not an enrolled volunteer (POST /api/v1/volunteers).");
        }

        var (key, secret) = Create(request, id, now, replaces);
        return Decision.Of(new IssuedApiKey(key.Id, secret, key.Role, key.Name, key.PartnerId, key.PractitionerId, key.CreatedAt, key.ExpiresAt, key.Replaces))
            .Insert(key);
    }

    public static async Task<IResult> Issue(JsonBody<IssueApiKeyRequest> body, HttpContext http, WriteStep write, IQuerySession session,
        IConfiguration configuration)
    {
        var request = body.Read;
        var v = Validate(request);
        var exists = !v.IsValid || await HolderExists(session, request, Holders.Grace(configuration), http.RequestAborted);
        return await write.RunAsync(http, v, attempt => Decide(request, Guid.CreateVersion7(), attempt.Now, exists),
            issued => Answer.Created($"/api/v1/api-keys/{issued.Id}", issued) with { Repeated = issued with { Key = null } });
    }

    /// <summary>Whether the request's partner or practitioner is one Access knows of (true when it names neither): the API and the page alike.</summary>
    public static Task<bool> HolderExists(IQuerySession session, IssueApiKeyRequest request, TimeSpan grace, CancellationToken ct) =>
        request.PartnerId is { } partner ? Holders.ExistsAsync(session, partner, KnownHolder.Partner, grace, ct)
        : request.PractitionerId is { } practitioner ? Holders.ExistsAsync(session, practitioner, KnownHolder.Volunteer, grace, ct)
        : Task.FromResult(true);

    /// <summary>
    /// Pure: the successor of a working key, for the same holder and role; the old key keeps working until it is revoked,
    /// so its holder can switch without a moment of refusals.
    /// </summary>
    public static Decision<IssuedApiKey> Rotating(ApiKey? old, Guid oldId, RotateApiKeyRequest request, Guid id, DateTimeOffset now)
    {
        if (old is null) return Refusal.NotFound($"No API key has the id {oldId}.");
        if (!old.WorksAt(now)) return Refusal.Conflict("A revoked or expired key has nothing to hand over: issue a new key instead.");
        return Decide(new IssueApiKeyRequest(old.Role, old.Name, old.PartnerId, old.PractitionerId, request.ExpiresAt), id, now, replaces: old.Id);
    }

    public static Task<IResult> Rotate(Guid id, JsonBody<RotateApiKeyRequest> body, HttpContext http, WriteStep write) =>
        write.RunAsync(http, async attempt =>
                Rotating(await attempt.Session.LoadAsync<ApiKey>(id, attempt.Cancellation), id, body.Value ?? new RotateApiKeyRequest(), Guid.CreateVersion7(),
                    attempt.Now),
            issued => Answer.Created($"/api/v1/api-keys/{issued.Id}", issued));

    public static async Task<Ok<ApiKeyView[]>> List(IQuerySession session, CancellationToken ct) => TypedResults.Ok(await AllAsync(session, ct));

    /// <summary>Every key, oldest first, never its secret: the API's list and the administrators' page.</summary>
    public static async Task<ApiKeyView[]> AllAsync(IQuerySession session, CancellationToken ct)
    {
        var keys = await session.Query<ApiKey>().OrderBy(k => k.CreatedAt).ToListAsync(ct);
        return keys.Select(k => new ApiKeyView(k.Id, k.Role, k.Name, k.PartnerId, k.PractitionerId, k.CreatedAt, k.RevokedAt,
            k.ExpiresAt, k.LastUsedAt, k.Replaces)).ToArray();
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
