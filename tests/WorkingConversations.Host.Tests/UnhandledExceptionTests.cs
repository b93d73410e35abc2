using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using WorkingConversations.BuildingBlocks;

namespace WorkingConversations.Host.Tests;

/// <summary>The exception handler the host installs, fed the kinds of exception a request can end in.</summary>
public sealed class UnhandledExceptionTests
{
    private static async Task<(int Status, string ContentType, JsonElement Problem, string Raw)> Handle(Exception exception)
    {
        var services = new ServiceCollection().AddLogging().AddProblemDetails(o => o.CustomizeProblemDetails = ProblemDetailsDefaults.Customize).BuildServiceProvider();
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Path = "/api/v1/referrals";
        context.Response.Body = new MemoryStream();
        var handler = new ProblemExceptionHandler(services.GetRequiredService<Microsoft.AspNetCore.Http.IProblemDetailsService>(), NullLogger<ProblemExceptionHandler>.Instance);

        Assert.True(await handler.TryHandleAsync(context, exception, CancellationToken.None));
        context.Response.Body.Position = 0;
        var raw = await new StreamReader(context.Response.Body).ReadToEndAsync();
        return (context.Response.StatusCode, context.Response.ContentType ?? "", JsonDocument.Parse(raw).RootElement, raw);
    }

    [Fact]
    public async Task An_unexpected_exception_is_a_500_problem_with_a_trace_id_and_nothing_of_the_exception()
    {
        var (status, contentType, problem, raw) = await Handle(new InvalidOperationException("connection string Host=secret;Password=hunter2"));
        Assert.Equal(500, status);
        Assert.StartsWith("application/problem+json", contentType, StringComparison.Ordinal);
        Assert.Equal(ProblemTypes.ServerError, problem.GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("traceId").GetString()));
        Assert.DoesNotContain("hunter2", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", raw, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", raw, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_lost_concurrency_race_is_a_409_problem()
    {
        var (status, _, problem, _) = await Handle(new JasperFx.ConcurrencyException(typeof(object), Guid.NewGuid()));
        Assert.Equal(409, status);
        Assert.Equal(ProblemTypes.Conflict, problem.GetProperty("type").GetString());
        Assert.True(problem.GetProperty("retry").GetBoolean());
    }
}
