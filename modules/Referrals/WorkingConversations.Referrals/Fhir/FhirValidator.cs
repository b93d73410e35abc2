using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;

namespace WorkingConversations.Referrals.Fhir;

/// <summary>
/// Validates resources against the base FHIR R4 profiles with Firely's validator, offline: every StructureDefinition,
/// ValueSet and CodeSystem of the base specification comes from <c>specification.zip</c> (the
/// Hl7.Fhir.Specification.Data.R4 package, copied next to the assembly), and codes are checked against the value sets
/// in it, never against a terminology server. Profiles outside the base specification (UK Core, BaRS) are not
/// resolved: a <c>meta.profile</c> naming one is not an error, the base profile of the resource type still applies.
/// </summary>
/// <remarks>
/// Loading the specification and compiling the first schemas takes seconds; the compiled schemas are cached for the
/// life of the process, so later validations take milliseconds. One instance serves the whole process (tests start
/// several hosts in one process). The specification's resources are cached without their source XML
/// (<see cref="DetachedSpecification"/>): loaded, the cache and the schemas hold about 35 MB of heap, and the load
/// itself takes more while it runs. <c>Referrals:Fhir:WarmUpAtStart</c> (the default) loads them at start-up, off the
/// request path; without it the first FHIR request does.
/// </remarks>
internal sealed class FhirValidator
{
    private const string BaseProfiles = "http://hl7.org/fhir/StructureDefinition/";

    private static readonly Lazy<Validator> Shared = new(Create, LazyThreadSafetyMode.ExecutionAndPublication);

    private static Validator Create()
    {
        // As ZipSource.CreateValidationSource() makes it, but harvesting the files' summaries on one thread: the same
        // summaries, and the warm-up does not take both cores of a small node beside the rest of its start-up.
        var zip = new ZipSource(Path.Combine(CommonDirectorySource.SpecificationDirectory, CommonZipSource.SpecificationZipFileName),
            new DirectorySourceSettings { IncludeSubDirectories = true, MultiThreaded = false });
        var specification = new CachedResolver(new DetachedSpecification(zip));
        var settings = new ValidationSettings
        {
            // UK Core and BaRS profiles named in meta.profile are not in the base specification: they are left out (an
            // unresolvable profile would otherwise be an error), and the resource is still checked against its base profile.
            SelectValidationProfiles = (_, profiles, _, _) => profiles.Where(p => p.Uri?.StartsWith(BaseProfiles, StringComparison.Ordinal) == true).ToArray(),
        };
        return new Validator(specification, new LocalTerminologyService(specification), null, settings);
    }

    /// <summary>Compiles the schemas of the resources intake reads, so that the first partner does not wait for it.</summary>
    public static void WarmUp()
    {
        var validator = Shared.Value;
        foreach (var resource in new Resource[] { new Bundle { Type = Bundle.BundleType.Message }, new MessageHeader(), new ServiceRequest(), new Patient(), new Consent() })
        {
            validator.Validate(resource);
        }
    }

    /// <summary>The validator's outcome: an issue for each rule of the base profiles the resource breaks, with its FHIRPath.</summary>
    public OperationOutcome Validate(Resource resource) => Shared.Value.Validate(resource);
}
