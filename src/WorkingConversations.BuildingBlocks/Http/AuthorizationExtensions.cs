using Microsoft.AspNetCore.Builder;

namespace WorkingConversations.BuildingBlocks.Auth;

public static class AuthorizationExtensions
{
    /// <summary>Only keys with one of these roles may use the route; others get a 403 problem.</summary>
    public static TBuilder RequireRoles<TBuilder>(this TBuilder builder, params string[] roles) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(policy => policy.RequireRole(roles));
}
