using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;
using WorkingConversations.BuildingBlocks.Journey;
using WorkingConversations.BuildingBlocks.Volunteers;
using WorkingConversations.BuildingBlocks.Web;

namespace WorkingConversations.BuildingBlocks.Modules;

/// <summary>
/// How a module plugs into the one host. The host calls these and nothing else of a module, so the wiring of every
/// module reads the same and the host stays free of module detail.
/// </summary>
public interface IModule
{
    /// <summary>Display name, also the <c>module</c> of its journey events ("Referrals").</summary>
    string Name { get; }

    /// <summary>The PostgreSQL schema that holds the module's documents.</summary>
    string Schema { get; }

    void AddServices(IServiceCollection services, IConfiguration configuration) { }

    void ConfigureMarten(StoreOptions options) { }

    /// <summary>
    /// Marten configuration that depends on this host's settings. Modules are shared by every host in a process (tests
    /// run several), so per-host settings come from the host's own services here, never from fields of the module.
    /// </summary>
    void ConfigureMarten(StoreOptions options, IServiceProvider services) => ConfigureMarten(options);

    void ConfigureWolverine(WolverineOptions options) { }

    void DescribeJourney(JourneyCatalog catalog) { }

    /// <summary>What the module holds about a volunteer, keyed by their practitioner id: for their export and erasure.</summary>
    void DescribeVolunteers(VolunteerCatalog catalog) { }

    /// <summary>What the module adds to pages others compose: navigation, home panels, participant sections, names.</summary>
    void DescribeWeb(WebCatalog web) { }

    void MapEndpoints(IEndpointRouteBuilder endpoints) { }

    /// <summary>The module's staff pages, mapped into the group of every page (staff session, anti-forgery, page errors).</summary>
    void MapPages(RouteGroupBuilder pages) { }
}
