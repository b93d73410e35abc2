using WorkingConversations.Testing;

namespace WorkingConversations.Conversations.Tests;

[CollectionDefinition(Name)]
public sealed class ConversationsCollection : ICollectionFixture<ServiceFixture>
{
    public const string Name = "conversations";
}
