namespace WorkingConversations.BuildingBlocks.Auth;

/// <summary>The roles an API key can carry (api.md, Conventions). Each is also the name of its authorization policy.</summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string Caseworker = "caseworker";
    public const string Practitioner = "practitioner";
    public const string Trainer = "trainer";
    public const string Analyst = "analyst";
    public const string Partner = "partner";

    public static readonly IReadOnlyList<string> All = [Admin, Caseworker, Practitioner, Trainer, Analyst, Partner];
}

public static class WcClaims
{
    public const string KeyId = "wc:key_id";
    public const string KeyName = "wc:key_name";
    public const string PartnerId = "wc:partner_id";
    public const string PractitionerId = "wc:practitioner_id";
}
