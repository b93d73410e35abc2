using System.Net.Http.Json;
using System.Text.Json;
using WorkingConversations.Testing;

namespace WorkingConversations.VolunteerTraining.Tests;

[CollectionDefinition(Name)]
public sealed class TrainingCollection : ICollectionFixture<ServiceFixture>
{
    public const string Name = "training";
}

internal static class Json
{
    public static async Task<JsonElement> Body(this HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    public static string[] Strings(this JsonElement array, string property) =>
        [.. array.EnumerateArray().Select(e => e.GetProperty(property).GetString()!)];
}
