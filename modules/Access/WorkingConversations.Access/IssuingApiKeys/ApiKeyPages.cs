using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using WorkingConversations.Access.Keys;
using WorkingConversations.Access.KnownHolders;
using WorkingConversations.BuildingBlocks.Auth;
using WorkingConversations.BuildingBlocks.Web;
using WorkingConversations.BuildingBlocks.Writing;

namespace WorkingConversations.Access.IssuingApiKeys;

/// <summary>The administrators' pages of API keys: the list, issuing one (shown once), revoking one.</summary>
internal static class ApiKeyPages
{
    public static readonly IReadOnlyDictionary<string, FieldLabel> Labels = new Dictionary<string, FieldLabel>
    {
        ["role"] = new("Role"),
        ["name"] = new("Name"),
        ["partnerId"] = new("Partner id"),
        ["practitionerId"] = new("Practitioner id"),
    };

    public static void Map(RouteGroupBuilder pages)
    {
        var keys = pages.MapGroup("/api-keys").RequireRoles(Roles.Admin);
        keys.MapGet("", List).WithName("ApiKeysPage");
        keys.MapGet("/new", New).WithName("IssueApiKeyPage");
        keys.MapPost("/new", Issue).WithName("IssueApiKeyForm");
        keys.MapGet("/{id:guid}/revoke", ConfirmRevoke).WithName("RevokeApiKeyPage");
        keys.MapPost("/{id:guid}/revoke", Revoke).WithName("RevokeApiKeyForm");
    }

    private static async Task<IResult> List(IQuerySession session, string? saved, CancellationToken ct) =>
        PageResult.Show<ApiKeysPage>(new Dictionary<string, object?> { ["Keys"] = await ApiKeyEndpoints.AllAsync(session, ct), ["Saved"] = saved });

    private static IResult New(string? role, string? partnerId, string? practitionerId) =>
        PageResult.Show<IssueKeyPage>(new Dictionary<string, object?>
        {
            ["Form"] = new PostedForm(new Dictionary<string, string?> { ["role"] = role, ["partnerId"] = partnerId, ["practitionerId"] = practitionerId }
                .Where(v => v.Value is not null).Select(v => new KeyValuePair<string, string>(v.Key, v.Value!))),
        });

    private static async Task<IResult> Issue(HttpContext http, WriteStep write, IQuerySession session, IConfiguration configuration)
    {
        var form = await PostedForm.ReadAsync(http.Request);
        var request = new IssueApiKeyRequest(form.Text("role"), form.Text("name"), Id(form, "partnerId"), Id(form, "practitionerId"));
        var validation = form.With(ApiKeyEndpoints.Validate(request));
        var exists = !validation.IsValid || await ApiKeyEndpoints.HolderExists(session, request, Holders.Grace(configuration), http.RequestAborted);
        var outcome = await write.DecideAsync(http, null, validation,
            attempt => ApiKeyEndpoints.Decide(request, Guid.CreateVersion7(), attempt.Now, exists));
        if (outcome.Refusal is { } refusal)
        {
            return PageResult.Refused<IssueKeyPage>(new Dictionary<string, object?> { ["Form"] = form, ["Errors"] = refusal.ToErrors(Labels) }, refusal.ToErrors(Labels));
        }

        // Shown here once, never stored or sent again: the page is not cached (no-store), and the list shows no secret.
        return PageResult.Show<IssuedKeyPage>(new Dictionary<string, object?> { ["Key"] = outcome.Result }, StatusCodes.Status201Created);
    }

    private static Guid? Id(PostedForm form, string field)
    {
        var text = form.Text(field);
        if (text is null) return null;
        if (Guid.TryParse(text, out var id)) return id;
        form.Problems.Add(field, "must be an id like 0193a3c2-8f4e-7b1a-9c3d-2e5f6a7b8c9d.");
        return null;
    }

    private static async Task<IResult> ConfirmRevoke(Guid id, IQuerySession session, CancellationToken ct) =>
        await session.LoadAsync<ApiKey>(id, ct) is { } key
            ? PageResult.Show<RevokeKeyPage>(new Dictionary<string, object?> { ["Key"] = key })
            : PageResult.NotFound();

    private static async Task<IResult> Revoke(Guid id, HttpContext http, WriteStep write, ApiKeyCache cache)
    {
        var revoking = new ApiKeyEndpoints.Revocation(id, cache);
        var outcome = await write.DecideAsync(http, null, new BuildingBlocks.Validation(), revoking.Decide, revoking.Options);
        if (outcome.Refusal is { } refusal) return PageRefusals.IsNotFound(refusal) ? PageResult.NotFound() : PageResult.Message("The key was not revoked", 409, refusal.Detail);
        return PageResult.SeeOther("/api-keys", $"The key {outcome.Result!.Name} is revoked. It no longer works for the API, and its sessions have ended.");
    }
}
