using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace WorkingConversations.BuildingBlocks;

/// <summary>
/// Answers 404 for any route whose id is the all-zero GUID, before the endpoint runs. Nothing is ever given that id,
/// and the event store refuses it as a stream id with an exception, which every route would otherwise have to guard
/// against on its own.
/// </summary>
public sealed class EmptyIdGuard(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        foreach (var (name, value) in context.Request.RouteValues)
        {
            if (value is string text && Guid.TryParse(text, out var id) && id == Guid.Empty)
            {
                return Problem.NotFound($"Nothing has the id {text}: the all-zero id ('{name}') is never given to anything.").ExecuteAsync(context);
            }
        }

        return next(context);
    }
}
