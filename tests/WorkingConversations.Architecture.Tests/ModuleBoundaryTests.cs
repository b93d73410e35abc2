using System.Reflection;
using NetArchTest.Rules;
using WorkingConversations.BuildingBlocks.Journey;
using WorkingConversations.BuildingBlocks.Modules;
using WorkingConversations.Host;

namespace WorkingConversations.Architecture.Tests;

public sealed class ModuleBoundaryTests
{
    private const string Prefix = "WorkingConversations.";
    private const string BuildingBlocks = "WorkingConversations.BuildingBlocks";

    private static readonly Assembly[] ModuleAssemblies = ModuleList.All
        .Select(m => m.GetType().Assembly)
        .Where(a => a.GetName().Name != BuildingBlocks)
        .Distinct()
        .ToArray();

    private static readonly string[] ModuleNames = ModuleAssemblies.Select(a => a.GetName().Name!).ToArray();

    private static Assembly[] ContractsAssemblies() =>
        ModuleNames.Select(n => Assembly.Load(n + ".Contracts")).ToArray();

    [Fact]
    public void There_are_four_modules_each_with_a_contracts_project()
    {
        Assert.Equal(
            ["WorkingConversations.Conversations", "WorkingConversations.Outcomes", "WorkingConversations.Referrals", "WorkingConversations.VolunteerTraining"],
            ModuleNames.Order().ToArray());
        Assert.Equal(4, ContractsAssemblies().Length);
    }

    [Fact]
    public void A_module_references_only_building_blocks_and_contracts_projects()
    {
        foreach (var module in ModuleAssemblies)
        {
            var ours = module.GetReferencedAssemblies().Select(a => a.Name!).Where(n => n.StartsWith(Prefix, StringComparison.Ordinal));
            var illegal = ours.Where(n => n != BuildingBlocks && !n.EndsWith(".Contracts", StringComparison.Ordinal)).ToArray();
            Assert.True(illegal.Length == 0, $"{module.GetName().Name} references {string.Join(", ", illegal)}: modules may reference only BuildingBlocks and Contracts projects.");
        }
    }

    [Fact]
    public void No_module_type_depends_on_another_modules_namespace()
    {
        foreach (var module in ModuleAssemblies)
        {
            var own = module.GetName().Name!;
            var others = ModuleNames.Where(n => n != own).ToArray();
            // Another module's Contracts types are allowed; any type of the module itself is not.
            var result = Types.InAssembly(module).ShouldNot().HaveDependencyOnAny(others.SelectMany(TypesOf).ToArray()).GetResult();
            Assert.True(result.IsSuccessful, $"{own} depends on another module: {string.Join(", ", result.FailingTypeNames ?? [])}");
        }
    }

    [Fact]
    public void Contracts_reference_nothing_of_ours()
    {
        foreach (var contracts in ContractsAssemblies())
        {
            var ours = contracts.GetReferencedAssemblies().Select(a => a.Name!).Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)).ToArray();
            Assert.True(ours.Length == 0, $"{contracts.GetName().Name} references {string.Join(", ", ours)}");
        }
    }

    [Fact]
    public void Building_blocks_know_no_module()
    {
        var blocks = typeof(IModule).Assembly;
        var ours = blocks.GetReferencedAssemblies().Select(a => a.Name!).Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)).ToArray();
        Assert.Empty(ours);
    }

    [Fact]
    public void Every_journey_event_lives_in_the_contracts_of_the_module_that_registers_it()
    {
        foreach (var module in ModuleList.All)
        {
            var catalog = new JourneyCatalog();
            module.DescribeJourney(catalog);
            var owner = module.GetType().Assembly.GetName().Name!;
            // The journey's own events (erasure) belong to BuildingBlocks, which every module may reference.
            var expected = owner == BuildingBlocks ? BuildingBlocks : owner + ".Contracts";
            foreach (var registration in catalog.Events)
            {
                var assembly = registration.EventType.Assembly.GetName().Name!;
                Assert.True(assembly == expected, $"{registration.EventType.Name} is registered by {module.Name} but lives in {assembly}.");
            }
        }
    }

    [Fact]
    public void Every_message_a_module_handles_from_elsewhere_comes_from_a_contracts_project()
    {
        foreach (var module in ModuleAssemblies)
        {
            var handled = module.GetTypes()
                .Where(t => t.IsClass && (t.Name.EndsWith("Handler", StringComparison.Ordinal) || t.Name.EndsWith("Consumer", StringComparison.Ordinal)))
                .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
                .Where(m => m.Name is "Handle" or "HandleAsync" or "Consume" or "ConsumeAsync")
                .Select(m => m.GetParameters().First().ParameterType)
                .ToArray();
            foreach (var message in handled)
            {
                var from = message.Assembly.GetName().Name!;
                Assert.True(from == module.GetName().Name || from.EndsWith(".Contracts", StringComparison.Ordinal),
                    $"{module.GetName().Name} handles {message.Name} from {from}, which is not a Contracts project.");
            }
        }
    }

    private static IEnumerable<string> TypesOf(string module) =>
        Assembly.Load(module).GetTypes().Where(t => t.IsPublic).Select(t => t.FullName).OfType<string>();
}
