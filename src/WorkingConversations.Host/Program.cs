using JasperFx;
using WorkingConversations.Host;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = HostSetup.ContentRoot() });
builder.AddWorkingConversations(ModuleList.Composed);

var app = builder.Build();
app.UseWorkingConversations(ModuleList.Composed);

if (HostSetup.IsPlainRun(args))
{
    await app.RunAsync();
    return 0;
}

return await app.RunJasperFxCommands(args);

/// <summary>The entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
