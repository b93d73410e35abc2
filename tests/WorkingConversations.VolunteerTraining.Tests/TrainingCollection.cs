using System.Net.Http.Json;
using System.Text.Json;
using WorkingConversations.Testing;

namespace WorkingConversations.VolunteerTraining.Tests;

[CollectionDefinition(Name)]
public sealed class TrainingCollection : ICollectionFixture<ServiceFixture>
{
    public const string Name = "training";
}

/// <summary>A host of its own whose messages between modules travel through RabbitMQ (Messaging:Transport=RabbitMq).</summary>
[CollectionDefinition(Name)]
public sealed class TrainingOnRabbitMqCollection : ICollectionFixture<RabbitMqServiceFixture>
{
    public const string Name = "training-rabbitmq";
}

internal static class Json
{
    // As strict as a partner's parser: a member named twice fails the read.
    private static readonly JsonSerializerOptions Strict = new(JsonSerializerDefaults.Web) { AllowDuplicateProperties = false };

    public static async Task<JsonElement> Body(this HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>(Strict);

    public static string[] Strings(this JsonElement array, string property) =>
        [.. array.EnumerateArray().Select(e => e.GetProperty(property).GetString()!)];
}
