using WorkingConversations.Testing;

namespace WorkingConversations.Conversations.Tests;

[CollectionDefinition(Name)]
public sealed class ConversationsCollection : ICollectionFixture<ServiceFixture>
{
    public const string Name = "conversations";
}

/// <summary>A host of its own whose messages between modules travel through RabbitMQ (Messaging:Transport=RabbitMq).</summary>
[CollectionDefinition(Name)]
public sealed class ConversationsOnRabbitMqCollection : ICollectionFixture<RabbitMqServiceFixture>
{
    public const string Name = "conversations-rabbitmq";
}
