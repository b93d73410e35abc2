using System.Reflection;
using NetArchTest.Rules;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Journey;
using WorkingConversations.BuildingBlocks.Modules;
using WorkingConversations.Host;

namespace WorkingConversations.Architecture.Tests;

public sealed class ModuleBoundaryTests
{
    private const string Prefix = "WorkingConversations.";
    private const string BuildingBlocksName = "WorkingConversations.BuildingBlocks";

    private static readonly Assembly[] ModuleAssemblies = ModuleList.All
        .Select(m => m.GetType().Assembly)
        .Where(a => a.GetName().Name != BuildingBlocksName)
        .Distinct()
        .ToArray();

    private static readonly string[] ModuleNames = ModuleAssemblies.Select(a => a.GetName().Name!).ToArray();

    /// <summary>Access publishes nothing another module needs (it only checks keys), so it has no Contracts project.</summary>
    private static readonly string[] WithoutContracts = ["WorkingConversations.Access"];

    private static Assembly[] ContractsAssemblies() =>
        ModuleNames.Except(WithoutContracts).Select(n => Assembly.Load(n + ".Contracts")).ToArray();

    [Fact]
    public void There_are_four_domain_modules_and_two_supporting_ones_each_with_a_contracts_project_but_access()
    {
        Assert.Equal(
            ["WorkingConversations.Access", "WorkingConversations.Conversations", "WorkingConversations.Journey", "WorkingConversations.Outcomes",
                "WorkingConversations.Referrals", "WorkingConversations.VolunteerTraining"],
            ModuleNames.Order().ToArray());
        Assert.Equal(5, ContractsAssemblies().Length);
        Assert.All(ModuleList.All, m => Assert.NotEqual(BuildingBlocksName, m.GetType().Assembly.GetName().Name));
    }

    [Fact]
    public void A_module_references_only_building_blocks_and_contracts_projects()
    {
        foreach (var module in ModuleAssemblies)
        {
            var ours = module.GetReferencedAssemblies().Select(a => a.Name!).Where(n => n.StartsWith(Prefix, StringComparison.Ordinal));
            var illegal = ours.Where(n => n != BuildingBlocksName && !n.EndsWith(".Contracts", StringComparison.Ordinal)).ToArray();
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
            var expected = module.GetType().Assembly.GetName().Name! + ".Contracts";
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

    /// <summary>Every type of the module, internal ones too: a module's types are internal by default.</summary>
    private static IEnumerable<string> TypesOf(string module) =>
        Assembly.Load(module).GetTypes().Where(t => !t.IsNested && !t.Name.StartsWith('<')).Select(t => t.FullName).OfType<string>();

    [Fact]
    public void Rule_code_takes_and_gives_no_http_types()
    {
        // The pure rules of every feature (Validate, Decide, and the other static functions that return a Decision or a
        // Refusal) speak of requests, state, events and refusals; the edge turns a refusal into a problem response.
        static bool IsRule(MethodInfo m) =>
            m.Name is "Validate" or "Decide" || m.ReturnType == typeof(BuildingBlocks.Writing.Refusal) ||
            (m.ReturnType.IsGenericType && m.ReturnType.GetGenericTypeDefinition() == typeof(BuildingBlocks.Writing.Decision<>)) ||
            m.ReturnType == typeof(BuildingBlocks.Writing.Decision);
        static bool IsHttp(Type t) =>
            t.Namespace?.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) == true ||
            (t.IsGenericType && t.GetGenericArguments().Any(IsHttp));

        var offending = ModuleAssemblies.SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(IsRule)
            .Where(m => IsHttp(m.ReturnType) || m.GetParameters().Any(p => IsHttp(p.ParameterType)))
            .Select(m => $"{m.DeclaringType!.FullName}.{m.Name}")
            .ToArray();
        Assert.True(offending.Length == 0, "Rules with HTTP types: " + string.Join(", ", offending));
    }
}
