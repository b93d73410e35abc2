using Marten;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WorkingConversations.Access.Authenticating;
using WorkingConversations.Access.IssuingApiKeys;
using WorkingConversations.Access.Keys;
using WorkingConversations.Access.KnownHolders;
using WorkingConversations.BuildingBlocks.Auth;
using WorkingConversations.BuildingBlocks.Http.Idempotency;
using WorkingConversations.BuildingBlocks.Http;
using WorkingConversations.BuildingBlocks.Modules;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Web;
using WorkingConversations.Access.SigningIn;
using WorkingConversations.Access.Volunteers;
using WorkingConversations.BuildingBlocks.Volunteers;

namespace WorkingConversations.Access;

/// <summary>API keys: issued and revoked by administrators, checked on every request.</summary>
public sealed class AccessModule : IModule
{
    public string Name => "Access";
    public string Schema => "access";

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<ApiKeyCache>();
        services.AddSingleton<ApiKeyLookup>();
        services.AddSingleton<FailedKeys>();
        services.AddSingleton<KeyUsage>();
        services.AddHostedService(sp => sp.GetRequiredService<KeyUsage>());
        var authentication = services.AddAuthentication(CallerScheme.Name)
            .AddCallerScheme()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        var oidc = OpenIdConnectSettings.From(configuration);
        services.AddSingleton(new SignInMode(oidc));
        StaffSessions.Add(services, authentication, oidc, KeyRingCertificates.From(configuration));
        services.AddHostedService<DevelopmentAdminKey>();
    }

    public void ConfigureMarten(StoreOptions options)
    {
        options.Schema.For<ApiKey>().DatabaseSchemaName(Schema).UniqueIndex(k => k.Hash);
        options.Schema.For<DataProtectionKey>().DatabaseSchemaName(Schema).Identity(k => k.Id);
        options.Schema.For<KnownHolder>().DatabaseSchemaName(Schema);
    }

    public void DescribeVolunteers(VolunteerCatalog catalog) => VolunteerKeys.Describe(catalog);

    public void DescribeWeb(WebCatalog web) => web.Navigate("API keys", "/api-keys", 20, Roles.Admin);

    public void MapPages(RouteGroupBuilder pages)
    {
        SignInPages.Map(pages);
        ApiKeyPages.Map(pages);
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        var keys = endpoints.MapGroup("/api/v1/api-keys").WithTags("Administration").RequireRoles(Roles.Admin);
        keys.MapPost("", ApiKeyEndpoints.Issue).WithName("IssueApiKey")
            .WithJsonBody<IssueApiKeyRequest>()
            .WithIdempotencyKey()
            .WithSummary("Issue an API key (shown once)")
            .WithDescription("The key is in this answer only; a repeat with the same Idempotency-Key answers without it. " + IdempotencyKeys.Description)
            .Documented<IssuedApiKey>(StatusCodes.Status201Created);
        keys.MapGet("", ApiKeyEndpoints.List).WithName("ListApiKeys").WithSummary("List API keys (never their secrets)").Documented();
        keys.MapPost("/{id:guid}/rotate", ApiKeyEndpoints.Rotate).WithName("RotateApiKey")
            .WithJsonBody<RotateApiKeyRequest>(optional: true)
            .WithSummary("Issue the key's successor (shown once) while the key itself keeps working until it is revoked")
            .WithDescription("The new key has the old one's role, name, partner or practitioner, and replaces: the old key's id. Body " +
                             "{ expiresAt? } for the new key. Revoke the old key (DELETE) once its holder uses the new one.")
            .Documented<IssuedApiKey>(StatusCodes.Status201Created, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        keys.MapDelete("/{id:guid}", ApiKeyEndpoints.Revoke).WithName("RevokeApiKey")
            .WithSummary("Revoke an API key: it stops working at once")
            .Produces(StatusCodes.Status204NoContent).Documented(StatusCodes.Status404NotFound);
    }
}
