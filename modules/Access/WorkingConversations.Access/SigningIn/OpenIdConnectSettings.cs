using Microsoft.Extensions.Configuration;

namespace WorkingConversations.Access.SigningIn;

/// <summary>
/// Sign-in with an identity provider instead of staff keys (<c>Web:OpenIdConnect</c>): the provider's authority, this
/// service's client id and secret, and which of the provider's claims carries the person's role and, for a
/// practitioner, their volunteer id. Without an authority, staff sign in with their keys.
/// </summary>
internal sealed record OpenIdConnectSettings(
    string Authority, string ClientId, string? ClientSecret, string RoleClaim, string PractitionerClaim, string NameClaim,
    bool RequireHttpsMetadata, string DisplayName, IReadOnlyList<string> Scopes)
{
    public const string Section = "Web:OpenIdConnect";

    public static OpenIdConnectSettings? From(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        if (string.IsNullOrWhiteSpace(section["Authority"])) return null;
        if (string.IsNullOrWhiteSpace(section["ClientId"])) throw new InvalidOperationException($"{Section}:ClientId is required when {Section}:Authority is set.");
        return new OpenIdConnectSettings(
            section["Authority"]!,
            section["ClientId"]!,
            section["ClientSecret"] is { Length: > 0 } secret ? secret : null,
            section["RoleClaim"] is { Length: > 0 } role ? role : "role",
            section["PractitionerClaim"] is { Length: > 0 } practitioner ? practitioner : "practitioner_id",
            section["NameClaim"] is { Length: > 0 } name ? name : "name",
            section.GetValue("RequireHttpsMetadata", true),
            section["DisplayName"] is { Length: > 0 } display ? display : "your organisation's account",
            [.. section.GetSection("Scopes").GetChildren().Select(c => c.Value).OfType<string>()]);
    }
}

/// <summary>How staff sign in to the pages on this host: with keys, or with the configured identity provider.</summary>
internal sealed record SignInMode(OpenIdConnectSettings? Provider);
