using System.Security.Claims;

namespace WorkingConversations.BuildingBlocks.Auth;

/// <summary>
/// Who did something: the role and the API key that acted, and the partner or practitioner the key acts for.
/// Stamped on every journey event as Marten's user name, in the compact form of <see cref="ToString"/>.
/// </summary>
public sealed record Actor(string Role, Guid KeyId, string Name, Guid? PartnerId = null, Guid? PractitionerId = null)
{
    /// <summary>The actor for work the service does on its own (scheduled messages, start-up tasks).</summary>
    public static readonly Actor System = new("system", Guid.Empty, "system");

    public bool IsIn(string role) => string.Equals(Role, role, StringComparison.Ordinal);

    public static Actor From(ClaimsPrincipal user)
    {
        var role = user.FindFirstValue(ClaimTypes.Role) ?? "anonymous";
        _ = Guid.TryParse(user.FindFirstValue(WcClaims.KeyId), out var keyId);
        var name = user.FindFirstValue(WcClaims.KeyName) ?? "";
        return new Actor(role, keyId, name, ParseGuid(user.FindFirstValue(WcClaims.PartnerId)), ParseGuid(user.FindFirstValue(WcClaims.PractitionerId)));
    }

    /// <summary><c>role|keyId|name</c>: parsed back by <see cref="Parse"/> for timelines and audits.</summary>
    public override string ToString() => $"{Role}|{KeyId}|{Name}";

    public static Actor Parse(string? stamped)
    {
        if (string.IsNullOrEmpty(stamped)) return System;
        var parts = stamped.Split('|', 3);
        return parts.Length == 3 && Guid.TryParse(parts[1], out var id)
            ? new Actor(parts[0], id, parts[2])
            : new Actor("unknown", Guid.Empty, stamped);
    }

    private static Guid? ParseGuid(string? value) => Guid.TryParse(value, out var g) ? g : null;
}
