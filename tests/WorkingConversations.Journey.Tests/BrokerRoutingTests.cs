using Wolverine.Runtime;
using Wolverine.Runtime.Routing;
using WorkingConversations.Host;
using WorkingConversations.Testing;

namespace WorkingConversations.Journey.Tests;

/// <summary>With <c>Messaging:Transport=RabbitMq</c>, where each message the modules handle is sent.</summary>
[Collection(RabbitMqJourneyCollection.Name)]
public sealed class BrokerRoutingTests(RabbitMqServiceFixture service)
{
    [Fact]
    public void Every_message_between_modules_goes_to_the_broker_and_a_modules_timers_to_itself_stay_on_durable_local_queues()
    {
        var runtime = service.Services.GetRequiredService<IWolverineRuntime>();
        var handled = service.Services.GetRequiredService<Wolverine.Runtime.Handlers.HandlerGraph>().Chains.Select(c => c.MessageType).Distinct().ToList();
        var published = handled.Where(MessagingSettings.IsPublishedLanguage).ToList();
        Assert.Contains(typeof(Referrals.Contracts.ReferralAccepted), published);
        Assert.Contains(handled, t => !MessagingSettings.IsPublishedLanguage(t));

        foreach (var type in handled)
        {
            var destinations = runtime.RoutingFor(type).Routes.OfType<MessageRoute>().Select(r => r.Sender.Destination).ToList();
            Assert.NotEmpty(destinations);
            var expected = MessagingSettings.IsPublishedLanguage(type) ? "rabbitmq" : "local";
            Assert.All(destinations, d => Assert.True(d.Scheme == expected, $"{type.Name} goes to {d}, not to {expected}"));
            // Durable both ways: the outbox holds what is sent until the broker (or the local inbox) has it.
            Assert.All(runtime.RoutingFor(type).Routes.OfType<MessageRoute>(), r => Assert.True(r.Sender.Endpoint.Mode == Wolverine.Configuration.EndpointMode.Durable, $"{type.Name} to {r.Sender.Destination} is {r.Sender.Endpoint.Mode}"));
        }

        // Every broker queue this node takes the modules' messages from keeps the durable inbox (Wolverine's own reply
        // queue for request/reply, which nothing here uses, is the system's).
        var listeners = runtime.Options.Transports.AllEndpoints()
            .Where(e => e.IsListener && e.Uri.Scheme == "rabbitmq" && e.Role == Wolverine.Configuration.EndpointRole.Application).ToList();
        Assert.NotEmpty(listeners);
        Assert.All(listeners, l => Assert.True(l.Mode == Wolverine.Configuration.EndpointMode.Durable, $"{l.Uri} is {l.Mode}"));
    }
}
