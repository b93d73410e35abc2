using WorkingConversations.Testing;

namespace WorkingConversations.Outcomes.Tests.Integration;

[CollectionDefinition(Name)]
public sealed class OutcomesCollection : ICollectionFixture<ServiceFixture>
{
    public const string Name = "outcomes";
}
