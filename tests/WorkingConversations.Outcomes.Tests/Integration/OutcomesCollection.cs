using WorkingConversations.Testing;

namespace WorkingConversations.Outcomes.Tests.Integration;

[CollectionDefinition(Name)]
public sealed class OutcomesCollection : ICollectionFixture<ServiceFixture>
{
    public const string Name = "outcomes";
}

/// <summary>A host of its own whose messages between modules travel through RabbitMQ (Messaging:Transport=RabbitMq).</summary>
[CollectionDefinition(Name)]
public sealed class OutcomesOnRabbitMqCollection : ICollectionFixture<RabbitMqServiceFixture>
{
    public const string Name = "outcomes-rabbitmq";
}
