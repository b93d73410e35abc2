using Microsoft.Extensions.Configuration;
using Wolverine;

namespace WorkingConversations.Host.Tests;

public sealed class MessagingSettingsTests
{
    private static MessagingSettings From(bool isProduction, params (string Key, string Value)[] settings) =>
        MessagingSettings.From(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build(), isProduction);

    [Fact]
    public void Without_settings_messages_take_durable_local_queues_one_node_alone_outside_production_and_balanced_in_production()
    {
        var development = From(isProduction: false);
        Assert.Equal(MessagingTransport.Local, development.Transport);
        Assert.Equal(DurabilityMode.Solo, development.DurabilityMode);
        Assert.Equal(DurabilityMode.Balanced, From(isProduction: true).DurabilityMode);
    }

    [Fact]
    public void RabbitMq_with_a_broker_uri_and_a_prefix_is_taken_in_any_case()
    {
        var settings = From(false, ("Messaging:Transport", "rabbitmq"), ("Messaging:RabbitMq:Uri", "amqp://wc:secret@broker:5672/wc"),
            ("Messaging:RabbitMq:Prefix", "staging"), ("Messaging:DurabilityMode", "Balanced"));

        Assert.Equal(MessagingTransport.RabbitMq, settings.Transport);
        Assert.Equal(new Uri("amqp://wc:secret@broker:5672/wc"), settings.RabbitMqUri);
        Assert.Equal("staging", settings.RabbitMqPrefix);
        Assert.Equal(DurabilityMode.Balanced, settings.DurabilityMode);
    }

    [Theory]
    [InlineData("Messaging:Transport", "Kafka", "Messaging:Transport")]
    [InlineData("Messaging:DurabilityMode", "Serverless", "Messaging:DurabilityMode")]
    public void A_value_not_understood_stops_the_host_naming_the_setting(string key, string value, string named)
    {
        var refused = Assert.Throws<InvalidOperationException>(() => From(false, (key, value)));
        Assert.Contains(named, refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("http://broker:15672")]
    [InlineData("not a uri")]
    public void RabbitMq_needs_an_amqp_uri(string? uri)
    {
        var settings = uri is null ? new[] { ("Messaging:Transport", "RabbitMq") } : [("Messaging:Transport", "RabbitMq"), ("Messaging:RabbitMq:Uri", uri)];
        var refused = Assert.Throws<InvalidOperationException>(() => From(false, settings));
        Assert.Contains("Messaging:RabbitMq:Uri", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_prefix_that_a_queue_name_cannot_hold_is_refused()
    {
        var refused = Assert.Throws<InvalidOperationException>(() =>
            From(false, ("Messaging:Transport", "RabbitMq"), ("Messaging:RabbitMq:Uri", "amqp://broker"), ("Messaging:RabbitMq:Prefix", "a b/c")));
        Assert.Contains("Messaging:RabbitMq:Prefix", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_node_timings_are_Wolverines_unless_set_and_a_setting_out_of_range_is_refused()
    {
        var defaults = From(false);
        Assert.Null(defaults.HealthCheckPolling);
        Assert.Null(defaults.StaleNodeTimeout);

        var set = From(false, ("Messaging:Nodes:HealthCheckSeconds", "2"), ("Messaging:Nodes:StaleNodeTimeoutSeconds", "15"));
        var options = new WolverineOptions();
        set.ApplyTo(options);
        Assert.Equal(TimeSpan.FromSeconds(2), options.Durability.HealthCheckPollingTime);
        Assert.Equal(TimeSpan.FromSeconds(15), options.Durability.StaleNodeTimeout);

        var untouched = new WolverineOptions();
        var wolverineDefault = untouched.Durability.StaleNodeTimeout;
        defaults.ApplyTo(untouched);
        Assert.Equal(wolverineDefault, untouched.Durability.StaleNodeTimeout);

        foreach (var bad in new[] { "0", "-5", "1.5", "an hour", "3601" })
        {
            var refused = Assert.Throws<InvalidOperationException>(() => From(false, ("Messaging:Nodes:StaleNodeTimeoutSeconds", bad)));
            Assert.Contains("Messaging:Nodes:StaleNodeTimeoutSeconds", refused.Message, StringComparison.Ordinal);
        }
    }
}
