using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using WorkingConversations.BuildingBlocks.Web.Components;

namespace WorkingConversations.BuildingBlocks.Web;

/// <summary>A page's answers: a component rendered on the server (static, no interactivity), or a redirect after a change.</summary>
public static class PageResult
{
    public static RazorComponentResult Show<TComponent>(object? parameters = null, int status = StatusCodes.Status200OK) where TComponent : IComponent =>
        new RazorComponentResult<TComponent>(parameters ?? new Dictionary<string, object?>()) { StatusCode = status };

    /// <summary>A refused form drawn again: 400 for what the person typed, 409 for a stale or conflicting change, 422 for unmet requirements.</summary>
    public static RazorComponentResult Refused<TComponent>(object parameters, FormErrors errors) where TComponent : IComponent =>
        Show<TComponent>(parameters, errors.Stale ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest);

    public static RazorComponentResult NotFound() => Show<NotFoundPage>(status: StatusCodes.Status404NotFound);

    public static RazorComponentResult Forbidden() => Show<ForbiddenPage>(status: StatusCodes.Status403Forbidden);

    public static RazorComponentResult Message(string title, int status, params string[] paragraphs) =>
        Show<MessagePage>(new Dictionary<string, object?> { ["Title"] = title, ["Paragraphs"] = paragraphs }, status);

    /// <summary>After a change: back to a page (Post/Redirect/Get), which tells the person what was saved.</summary>
    public static RedirectHttpResult SeeOther(string location, string? saved = null) =>
        TypedResults.Redirect(saved is null ? location : $"{location}{(location.Contains('?', StringComparison.Ordinal) ? '&' : '?')}saved={Uri.EscapeDataString(saved)}");

    /// <summary>Only a local path is followed after sign-in, so a link cannot send a person elsewhere.</summary>
    public static string LocalOrHome(string? returnUrl) =>
        returnUrl is { Length: > 1 } url && url[0] == '/' && url[1] is not ('/' or '\\') ? url : "/";
}
