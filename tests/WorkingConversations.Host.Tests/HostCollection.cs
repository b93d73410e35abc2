using WorkingConversations.Testing;

namespace WorkingConversations.Host.Tests;

[CollectionDefinition(Name)]
public sealed class HostCollection : ICollectionFixture<ServiceFixture>
{
    public const string Name = "host";
}
