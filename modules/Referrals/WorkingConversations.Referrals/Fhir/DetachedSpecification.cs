using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Hl7.Fhir.Specification.Source;

namespace WorkingConversations.Referrals.Fhir;

/// <summary>
/// The specification's resources as the validator's cache keeps them: each one the source reads is written out and read
/// back as FHIR JSON, so the copy kept is the resource alone, without the parsed XML it came from.
/// </summary>
/// <remarks>
/// Firely's directory and zip sources build a resource from its XML through a typed-element tree and leave every
/// element of the result annotated with the node it was read from, so a cached StructureDefinition or ValueSet keeps
/// its whole parsed XML document (<c>FhirXmlNode</c>, <c>XElement</c>) and an annotation dictionary per element, several
/// times the resource itself (docs/adr/0018-fhir-specification-without-its-source-xml.md). The copy is read strictly:
/// of the R4 package's 4,531 resources, every one read back equals its original (<c>IsExactly</c>, and the same JSON
/// written again); the strict reader refuses two (a code system's concept without a code, a property's URI that is
/// not one), and those are kept as the source read them, source and all. The origin (the file a resource came from)
/// is kept, as the source sets it.
/// </remarks>
internal sealed class DetachedSpecification(IAsyncResourceResolver source) : IAsyncResourceResolver
{
    public async Task<ResolverResult> TryResolveByUriAsync(string uri) => Detached(await source.TryResolveByUriAsync(uri).ConfigureAwait(false));

    public async Task<ResolverResult> TryResolveByCanonicalUriAsync(string uri) =>
        Detached(await source.TryResolveByCanonicalUriAsync(uri).ConfigureAwait(false));

    // The interface's older members, as the zip source answers them: the resource of a successful try, or null.
    public async Task<Resource?> ResolveByUriAsync(string uri) => (await TryResolveByUriAsync(uri).ConfigureAwait(false)).Value;

    public async Task<Resource?> ResolveByCanonicalUriAsync(string uri) => (await TryResolveByCanonicalUriAsync(uri).ConfigureAwait(false)).Value;

    /// <summary>A resource found is replaced by its copy; a failure (not found, unreadable) goes on unchanged.</summary>
    private static ResolverResult Detached(ResolverResult result) => result.Success && result.Value is { } read ? new ResolverResult(Detached(read)) : result;

    private static Resource Detached(Resource read)
    {
        Resource copy;
        try
        {
            copy = JsonSerializer.Deserialize<Resource>(FhirJson.SerializeToUtf8Bytes(read), FhirJson.Options)!;
        }
        catch (DeserializationFailedException)
        {
            return read;
        }
        if (read.GetOrigin() is { } origin) copy.SetOrigin(origin);
        return copy;
    }
}
