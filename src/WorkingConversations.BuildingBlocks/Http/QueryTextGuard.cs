using Microsoft.AspNetCore.Http;

namespace WorkingConversations.BuildingBlocks;

/// <summary>
/// Answers 400 for a query value that holds a control character (a NUL sent as <c>%00</c>, a line break), naming the
/// parameter, before the endpoint runs. Kestrel refuses them in the path and headers but decodes them in the query;
/// PostgreSQL refuses a NUL in text and JSON with an exception, which a route that searches by a query value would
/// otherwise answer with a 500. No route takes a control character in its query.
/// </summary>
public sealed class QueryTextGuard(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        foreach (var (name, values) in context.Request.Query)
        {
            if (name.Any(char.IsControl))
            {
                return Problem.Validation("query", "a query parameter's name must not contain control characters.").ExecuteAsync(context);
            }

            foreach (var value in values)
            {
                if (value is not null && value.Any(char.IsControl))
                {
                    return Problem.Validation(name, "must not contain control characters.").ExecuteAsync(context);
                }
            }
        }

        return next(context);
    }
}
