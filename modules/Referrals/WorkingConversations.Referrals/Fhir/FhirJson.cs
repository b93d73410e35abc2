using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace WorkingConversations.Referrals.Fhir;

/// <summary>FHIR R4 JSON as the Firely SDK reads and writes it, and the media type FHIR routes answer with.</summary>
internal static class FhirJson
{
    public const string MediaType = "application/fhir+json";

    /// <summary>
    /// Strict: an unknown element, a value of the wrong type or an unknown resource type is an error with the element's
    /// path, not something silently dropped. Every error of the document is collected before the reader gives up.
    /// </summary>
    public static readonly JsonSerializerOptions Options = new JsonSerializerOptions().ForFhir(ModelInfo.ModelInspector);

    public static string Serialize(Resource resource) => JsonSerializer.Serialize(resource, resource.GetType(), Options);

    public static byte[] SerializeToUtf8Bytes(Resource resource) => JsonSerializer.SerializeToUtf8Bytes(resource, resource.GetType(), Options);
}
