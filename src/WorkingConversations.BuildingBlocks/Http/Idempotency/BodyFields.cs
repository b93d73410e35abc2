using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace WorkingConversations.BuildingBlocks.Http.Idempotency;

/// <summary>
/// Which fields of a JSON body a route does not take (OWASP API3, mass assignment): every property of the document,
/// at any depth, is looked up in the serializer's own contract of the request type, so what is refused is exactly what
/// the route would otherwise have ignored. A field the service sets itself is named as such; any other as unknown.
/// </summary>
public static class BodyFields
{
    /// <summary>Names that are the service's to set on what it stores and answers with: never taken from a client.</summary>
    public static readonly IReadOnlySet<string> ReadOnly = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "id", "status", "statusHistory", "version", "etag", "createdAt", "updatedAt", "receivedAt", "registeredAt", "revokedAt",
        "lastUsedAt", "erasedAt", "participantId", "episodeNumber", "conversationId", "concernId", "referralId", "callbackSecret",
        "key", "hash", "keyId", "certifiedAt", "enrolledAt",
    };

    public const string ReadOnlyRule = "is set by the service and cannot be sent.";
    public const string UnknownRule = "is not a field of this request.";

    /// <summary>Pure: each refused field's path (<c>person.middleName</c>, <c>items[2].id</c>) with its rule; empty when every field is known.</summary>
    public static IReadOnlyDictionary<string, string> NotAccepted<T>(ReadOnlySpan<byte> json, JsonSerializerOptions options)
    {
        var refused = new Dictionary<string, string>(StringComparer.Ordinal);
        using var document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = options.MaxDepth == 0 ? 64 : options.MaxDepth });
        Walk(document.RootElement, options.GetTypeInfo(typeof(T)), "", options, refused);
        return refused;
    }

    private static void Walk(JsonElement element, JsonTypeInfo type, string path, JsonSerializerOptions options, Dictionary<string, string> refused)
    {
        switch (type.Kind)
        {
            case JsonTypeInfoKind.Object when element.ValueKind == JsonValueKind.Object:
                var comparison = options.PropertyNameCaseInsensitive ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
                var properties = type.Properties.Where(p => p.Set is not null || p.AssociatedParameter is not null)
                    .GroupBy(p => p.Name, comparison).ToDictionary(g => g.Key, g => g.First(), comparison);
                foreach (var field in element.EnumerateObject())
                {
                    var at = path.Length == 0 ? field.Name : $"{path}.{field.Name}";
                    if (properties.TryGetValue(field.Name, out var property))
                        Walk(field.Value, options.GetTypeInfo(property.PropertyType), at, options, refused);
                    else
                        refused[at] = ReadOnly.Contains(field.Name) ? ReadOnlyRule : UnknownRule;
                }

                break;
            case JsonTypeInfoKind.Enumerable when element.ValueKind == JsonValueKind.Array && type.ElementType is { } item:
                var itemType = options.GetTypeInfo(item);
                var i = 0;
                foreach (var value in element.EnumerateArray()) Walk(value, itemType, $"{path}[{i++}]", options, refused);
                break;
        }
    }
}
