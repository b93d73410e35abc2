using System.Globalization;
using Hl7.Fhir.Model;
using WorkingConversations.Referrals.PostingReferral;

namespace WorkingConversations.Referrals.Fhir;

/// <summary>
/// What a BaRS-style referral message says, as the referral body the JSON route takes, so that the same rules
/// (<see cref="ReferralValidation"/>) and the same decision record it. <see cref="Sources"/> says which element each field
/// of the body came from, so that a rule broken in the body is reported at its FHIRPath.
/// </summary>
internal sealed record BarsReferral(
    string BundleId,
    PostReferralRequest Request,
    IReadOnlyDictionary<string, string> Sources,
    string ServiceRequestPath,
    Identifier? ServiceRequestIdentifier,
    IReadOnlyList<FhirIssue> Issues)
{
    /// <summary>The FHIRPath of the element a body field came from (a field path of <see cref="ReferralValidation"/>).</summary>
    public string SourceOf(string field)
    {
        if (Sources.TryGetValue(field, out var path)) return path;
        // riskIndicators[2] and the like: the closest named parent.
        var parent = field;
        while (parent.LastIndexOfAny(['.', '[']) is var cut and > 0)
        {
            parent = parent[..cut];
            if (Sources.TryGetValue(parent, out path)) return path;
        }

        return ServiceRequestPath;
    }

    /// <summary>The broken rules of the body (field paths of the JSON route) as FHIR issues at their elements.</summary>
    public IEnumerable<FhirIssue> IssuesOf(IReadOnlyDictionary<string, string[]> errors) =>
        errors.SelectMany(e => e.Value.Select(rule => new FhirIssue(SourceOf(e.Key), Describe(e.Key, rule),
            rule.StartsWith("is required", StringComparison.Ordinal) ? OperationOutcome.IssueType.Required : OperationOutcome.IssueType.Value)));

    // The JSON rule's words start after the field name ("must be ..."): the field is named, so the words still read.
    private static string Describe(string field, string rule) => $"{FieldNames.GetValueOrDefault(field, field)} {rule}";

    private static readonly Dictionary<string, string> FieldNames = new(StringComparer.Ordinal)
    {
        ["partnerReference"] = "The ServiceRequest identifier",
        ["person.givenName"] = "The Patient's given name",
        ["person.familyName"] = "The Patient's family name",
        ["person.dateOfBirth"] = "The Patient's birth date",
        ["person.postcode"] = "The Patient's postcode",
        ["person.nhsNumber"] = "The NHS number",
        ["person.email"] = "The Patient's email",
        ["person.phone"] = "The Patient's phone number",
        ["reason"] = "The reason (ServiceRequest.reasonCode or note)",
        ["consent"] = "A Consent resource",
        ["consent.given"] = "The Consent status",
        ["consent.recordedAt"] = "The Consent dateTime",
        ["consent.recordedBy"] = "The Consent performer",
        ["preferredContact"] = "The preferred contact (the telecom of rank 1)",
    };
}

/// <summary>
/// Pure: reads a parsed, base-valid message Bundle the way the Booking and Referral Standard lays it out (MessageHeader
/// first, its focus the ServiceRequest, the ServiceRequest's subject the Patient), checks the rules of the message itself,
/// and maps what it says onto <see cref="PostReferralRequest"/>. Rules about the referral's content (names, dates, the
/// NHS number's check digit, postcode, consent) are not checked here: the mapped body goes through the JSON route's rules.
/// </summary>
internal static class BarsReferralMapping
{
    public static BarsReferral Map(Bundle bundle)
    {
        var issues = new List<FhirIssue>();
        var sources = new Dictionary<string, string>(StringComparer.Ordinal);

        if (bundle.Type != Bundle.BundleType.Message)
        {
            issues.Add(new FhirIssue("Bundle.type", "must be 'message': referrals come as FHIR messages to $process-message.", OperationOutcome.IssueType.Value));
        }

        if (string.IsNullOrWhiteSpace(bundle.Id))
        {
            issues.Add(new FhirIssue("Bundle.id", "is required: the Bundle id identifies the message, and a repeated id is answered as a duplicate.",
                OperationOutcome.IssueType.Required));
        }

        var header = bundle.Entry.FirstOrDefault()?.Resource as MessageHeader;
        ServiceRequest? request = null;
        var requestPath = "Bundle.entry.resource.ofType(ServiceRequest)";
        if (header is null)
        {
            issues.Add(new FhirIssue("Bundle.entry[0].resource", "must be a MessageHeader: the first entry of a message Bundle is its header.",
                OperationOutcome.IssueType.Structure));
        }
        else
        {
            const string h = "Bundle.entry[0].resource";
            if (header.Event is not Coding { System: FhirUris.BarsEvents, Code: FhirUris.ServiceRequestRequest })
            {
                issues.Add(new FhirIssue($"{h}.event", $"must be the coding {FhirUris.BarsEvents}#{FhirUris.ServiceRequestRequest}: this service takes referrals only.",
                    OperationOutcome.IssueType.NotSupported));
            }

            var focus = header.Focus.Select((f, i) => (Found: Resolve(bundle, f), Index: i)).FirstOrDefault(f => f.Found?.Resource is ServiceRequest);
            if (focus.Found is { } found)
            {
                request = (ServiceRequest)found.Resource;
                requestPath = Entry(found.Index);
            }
            else
            {
                issues.Add(new FhirIssue($"{h}.focus", "must reference the ServiceRequest of the referral, an entry of this Bundle.", OperationOutcome.IssueType.Required));
            }
        }

        sources["partnerReference"] = requestPath + ".identifier";
        sources["reason"] = requestPath + ".reasonCode";
        sources["person"] = "Bundle.entry.resource.ofType(Patient)";
        sources["consent"] = "Bundle.entry.resource.ofType(Consent)";

        if (request is null)
        {
            return new BarsReferral(bundle.Id ?? "", new PostReferralRequest(), sources, requestPath, null, issues);
        }

        var (reason, risks) = ServiceRequestRules(request, requestPath, issues, sources);

        var (patient, patientPath) = Subject(bundle, request, requestPath, issues);
        PersonDetails? person = null;
        string? preferredContact = null;
        if (patient is not null)
        {
            (person, preferredContact) = Person(patient, patientPath!, issues, sources);
        }

        var identifier = request.Identifier.FirstOrDefault(i => !string.IsNullOrWhiteSpace(i.Value));
        if (identifier is not null) sources["partnerReference"] = $"{requestPath}.identifier[{request.Identifier.IndexOf(identifier)}].value";

        var body = new PostReferralRequest
        {
            PartnerReference = identifier?.Value,
            Person = person,
            Reason = reason,
            Consent = patient is null ? null : Consent(bundle, patient, patientPath!, sources),
            RiskIndicators = risks.Count == 0 ? null : [.. risks],
            PreferredContact = preferredContact,
        };
        return new BarsReferral(bundle.Id ?? "", body, sources, requestPath, identifier, issues);
    }

    private static (string? Reason, List<string> Risks) ServiceRequestRules(ServiceRequest request, string path, List<FhirIssue> issues,
        Dictionary<string, string> sources)
    {
        if (request.Status != RequestStatus.Active)
        {
            issues.Add(new FhirIssue($"{path}.status", "must be 'active': a new referral is an active request.", OperationOutcome.IssueType.Value));
        }

        if (request.Intent != RequestIntent.Plan)
        {
            issues.Add(new FhirIssue($"{path}.intent", "must be 'plan', as the Booking and Referral Standard asks of a referral.", OperationOutcome.IssueType.Value));
        }

        if (string.IsNullOrWhiteSpace(request.AuthoredOn))
        {
            issues.Add(new FhirIssue($"{path}.authoredOn", "is required: when the referral was written.", OperationOutcome.IssueType.Required));
        }

        if (request.Requester is null)
        {
            issues.Add(new FhirIssue($"{path}.requester", "is required: who made the referral.", OperationOutcome.IssueType.Required));
        }

        // Codes of this service's risk-indicator system are risk indicators; every other reasonCode (its text, else the
        // display of its first coding) and every note make up the reason, in order.
        var risks = new List<string>();
        var reasons = new List<string>();
        for (var i = 0; i < request.ReasonCode.Count; i++)
        {
            var concept = request.ReasonCode[i];
            var riskCodings = concept.Coding.Select((c, j) => (c, j)).Where(x => x.c.System == FhirUris.RiskIndicators).ToList();
            foreach (var (coding, j) in riskCodings)
            {
                sources[string.Create(CultureInfo.InvariantCulture, $"riskIndicators[{risks.Count}]")] = $"{path}.reasonCode[{i}].coding[{j}].code";
                risks.Add(coding.Code ?? "");
            }

            if (riskCodings.Count == concept.Coding.Count && riskCodings.Count > 0) continue;
            var text = concept.Text ?? concept.Coding.FirstOrDefault(c => c.System != FhirUris.RiskIndicators)?.Display;
            if (!string.IsNullOrWhiteSpace(text))
            {
                if (reasons.Count == 0) sources["reason"] = $"{path}.reasonCode[{i}]";
                reasons.Add(text.Trim());
            }
        }

        for (var i = 0; i < request.Note.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(request.Note[i].Text)) continue;
            if (reasons.Count == 0) sources["reason"] = $"{path}.note[{i}].text";
            reasons.Add(request.Note[i].Text!.Trim());
        }

        return (reasons.Count == 0 ? null : string.Join("\n\n", reasons), risks);
    }

    private static (Patient? Patient, string? Path) Subject(Bundle bundle, ServiceRequest request, string requestPath, List<FhirIssue> issues)
    {
        if (request.Subject is null)
        {
            issues.Add(new FhirIssue($"{requestPath}.subject", "is required: the Patient referred.", OperationOutcome.IssueType.Required));
            return (null, null);
        }

        if (Resolve(bundle, request.Subject) is { Resource: Patient patient } found) return (patient, Entry(found.Index));
        issues.Add(new FhirIssue(bundle.Entry.Any(e => e.Resource is Patient) ? $"{requestPath}.subject" : "Bundle.entry.resource.ofType(Patient)",
            "must reference a Patient that is an entry of this Bundle: the person referred.", OperationOutcome.IssueType.Required));
        return (null, null);
    }

    private static (PersonDetails Person, string? PreferredContact) Person(Patient patient, string path, List<FhirIssue> issues, Dictionary<string, string> sources)
    {
        var nhs = patient.Identifier.Select((id, i) => (id, i)).FirstOrDefault(x => x.id.System == FhirUris.NhsNumber);
        if (nhs.id is null)
        {
            var systems = patient.Identifier.Select(i => i.System).Where(s => s is not null).ToArray();
            issues.Add(new FhirIssue($"{path}.identifier",
                $"must include the NHS number, an identifier with system {FhirUris.NhsNumber}" +
                (systems.Length == 0 ? "." : $" (the identifiers have the systems {string.Join(", ", systems)})."),
                OperationOutcome.IssueType.Required));
        }
        else
        {
            sources["person.nhsNumber"] = $"{path}.identifier[{nhs.i}].value";
        }

        var nameIndex = patient.Name.FindIndex(n => n.Use == HumanName.NameUse.Official);
        if (nameIndex < 0 && patient.Name.Count > 0) nameIndex = 0;
        var name = nameIndex < 0 ? null : patient.Name[nameIndex];
        var namePath = nameIndex < 0 ? $"{path}.name" : $"{path}.name[{nameIndex}]";
        sources["person.givenName"] = name?.Given.Any() == true ? $"{namePath}.given[0]" : $"{namePath}.given";
        sources["person.familyName"] = $"{namePath}.family";

        sources["person.dateOfBirth"] = $"{path}.birthDate";
        DateOnly? birthDate = null;
        if (patient.BirthDate is { } text)
        {
            if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)) birthDate = parsed;
            else issues.Add(new FhirIssue($"{path}.birthDate", "must be a full date (year, month and day), such as 1990-04-01.", OperationOutcome.IssueType.Value));
        }

        var addressIndex = patient.Address.FindIndex(a => a.Use == Address.AddressUse.Home && !string.IsNullOrWhiteSpace(a.PostalCode));
        if (addressIndex < 0) addressIndex = patient.Address.FindIndex(a => !string.IsNullOrWhiteSpace(a.PostalCode));
        string? postcode = null;
        if (addressIndex < 0)
        {
            issues.Add(new FhirIssue(patient.Address.Count == 0 ? $"{path}.address" : $"{path}.address[0].postalCode",
                "is required: the Patient's home postcode.", OperationOutcome.IssueType.Required));
        }
        else
        {
            postcode = patient.Address[addressIndex].PostalCode;
            sources["person.postcode"] = $"{path}.address[{addressIndex}].postalCode";
        }

        var phone = Telecom(patient, ContactPoint.ContactPointSystem.Phone) ?? Telecom(patient, ContactPoint.ContactPointSystem.Sms);
        var email = Telecom(patient, ContactPoint.ContactPointSystem.Email);
        if (phone is { } p) sources["person.phone"] = $"{path}.telecom[{p.Index}].value";
        if (email is { } e) sources["person.email"] = $"{path}.telecom[{e.Index}].value";

        // The contact the person prefers is the telecom ranked first.
        string? preferred = null;
        var first = patient.Telecom.Select((t, i) => (t, i)).Where(x => x.t.Rank is not null).OrderBy(x => x.t.Rank).FirstOrDefault();
        if (first.t is not null)
        {
            sources["preferredContact"] = $"{path}.telecom[{first.i}].system";
            preferred = first.t.System switch
            {
                ContactPoint.ContactPointSystem.Phone => "phone",
                ContactPoint.ContactPointSystem.Email => "email",
                ContactPoint.ContactPointSystem.Sms => "text",
                var other => other?.ToString().ToLowerInvariant(),
            };
        }

        var person = new PersonDetails
        {
            GivenName = name?.Given.FirstOrDefault(),
            FamilyName = name?.Family,
            DateOfBirth = birthDate,
            Postcode = postcode,
            NhsNumber = nhs.id?.Value,
            Email = email?.Value,
            Phone = phone?.Value,
        };
        return (person, preferred);
    }

    private static (string Value, int Index)? Telecom(Patient patient, ContactPoint.ContactPointSystem system)
    {
        var index = patient.Telecom.FindIndex(t => t.System == system && !string.IsNullOrWhiteSpace(t.Value));
        return index < 0 ? null : (patient.Telecom[index].Value!, index);
    }

    /// <summary>
    /// Consent is a Consent resource about the Patient: status <c>active</c> means given; any other status means not
    /// given. Its dateTime is when it was recorded, and the display of its first performer who recorded it.
    /// </summary>
    private static ConsentDetails? Consent(Bundle bundle, Patient patient, string patientPath, Dictionary<string, string> sources)
    {
        for (var i = 0; i < bundle.Entry.Count; i++)
        {
            if (bundle.Entry[i].Resource is not Consent consent) continue;
            if (consent.Patient is not null && Resolve(bundle, consent.Patient)?.Resource != patient) continue;
            var path = Entry(i);
            sources["consent.given"] = $"{path}.status";
            sources["consent.recordedAt"] = $"{path}.dateTime";
            sources["consent.recordedBy"] = $"{path}.performer[0].display";
            return new ConsentDetails
            {
                Given = consent.Status == Hl7.Fhir.Model.Consent.ConsentState.Active,
                RecordedAt = DateTimeOffset.TryParse(consent.DateTime, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) ? at : null,
                RecordedBy = consent.Performer.FirstOrDefault()?.Display,
            };
        }

        _ = patientPath;
        return null;
    }

    private static string Entry(int index) => string.Create(CultureInfo.InvariantCulture, $"Bundle.entry[{index}].resource");

    /// <summary>The entry a reference points at: by fullUrl (urn:uuid:...), or by type and id (Patient/123).</summary>
    public static (Resource Resource, int Index)? Resolve(Bundle bundle, ResourceReference reference)
    {
        var target = reference.Reference;
        if (string.IsNullOrWhiteSpace(target)) return null;
        for (var i = 0; i < bundle.Entry.Count; i++)
        {
            var entry = bundle.Entry[i];
            if (entry.Resource is null) continue;
            if (entry.FullUrl == target) return (entry.Resource, i);
            if (target == $"{entry.Resource.TypeName}/{entry.Resource.Id}" || (entry.FullUrl is { } url && url.EndsWith("/" + target, StringComparison.Ordinal)))
            {
                return (entry.Resource, i);
            }
        }

        return null;
    }
}
