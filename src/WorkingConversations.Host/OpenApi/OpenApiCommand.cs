using JasperFx.CommandLine;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.Swagger;

namespace WorkingConversations.Host.OpenApi;

public sealed class OpenApiInput : NetCoreInput
{
    [Description("What to do: write")]
    public string Action { get; set; } = "write";

    [Description("The file to write the OpenAPI document (JSON) to")]
    public string File { get; set; } = "";
}

/// <summary>
/// Writes the OpenAPI document the host serves at /swagger/v1/swagger.json, from the mapped endpoints, without starting
/// the host (no database, no port): <c>openapi write openapi.json</c>. The linters of .ci/run read it.
/// </summary>
[Description("OpenAPI document: openapi write <file.json>", Name = "openapi")]
public sealed class OpenApiCommand : JasperFxAsyncCommand<OpenApiInput>
{
    public override async Task<bool> Execute(OpenApiInput input)
    {
        if (input.Action != "write" || string.IsNullOrWhiteSpace(input.File))
        {
            await Console.Error.WriteLineAsync("Usage: openapi write <file.json>");
            return false;
        }

        var builder = WebApplication.CreateBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Logging:LogLevel:Default"] = "Warning" });
        builder.AddWorkingConversations(ModuleList.All);
        await using var host = builder.Build();
        host.UseWorkingConversations(ModuleList.All);
        // What starting would do for the document: hand the mapped endpoints to routing, where the API explorer reads them.
        // The pipeline itself is never run.
        host.UseRouting();
        host.UseEndpoints(_ => { });

        var document = host.Services.GetRequiredService<ISwaggerProvider>().GetSwagger("v1");
        await using var file = new StreamWriter(input.File);
        document.SerializeAsV3(new OpenApiJsonWriter(file));
        Console.WriteLine($"Wrote the OpenAPI document to {input.File}.");
        return true;
    }
}
