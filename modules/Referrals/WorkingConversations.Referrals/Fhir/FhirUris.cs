namespace WorkingConversations.Referrals.Fhir;

/// <summary>The code systems and identifier systems FHIR intake reads and writes (docs/modules/referrals.md, FHIR).</summary>
internal static class FhirUris
{
    public const string BarsEvents = "https://fhir.nhs.uk/CodeSystem/message-events-bars";
    public const string ServiceRequestRequest = "servicerequest-request";
    public const string ServiceRequestResponse = "servicerequest-response";
    public const string NhsNumber = "https://fhir.nhs.uk/Id/nhs-number";

    /// <summary>This service's own systems.</summary>
    public const string Base = "https://working-conversations.example/fhir";

    /// <summary>Codes of <c>ServiceRequest.reasonCode</c> in this system are risk indicators, not the reason.</summary>
    public const string RiskIndicators = Base + "/CodeSystem/risk-indicator";

    /// <summary>The partner's reference of a referral, when it came in without an identifier system of its own.</summary>
    public const string PartnerReference = Base + "/Id/partner-reference";

    /// <summary>The participant a referral belongs to (never the person's identity).</summary>
    public const string Participant = Base + "/Id/participant";

    /// <summary>The referral's status in this service's own words, beside the ServiceRequest status it maps to.</summary>
    public const string ReferralStatusExtension = Base + "/StructureDefinition/referral-status";

    public const string MessageEndpoint = Base + "/R4/$process-message";
}
