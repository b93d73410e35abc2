using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http;

namespace WorkingConversations.Referrals.Fhir;

/// <summary><c>GET /fhir/R4/metadata</c>: what the FHIR routes support, as a CapabilityStatement.</summary>
internal static class Metadata
{
    public static IResult Handle(HttpContext http, TimeProvider clock) =>
        FhirAccess.Refuse(http, "CapabilityStatement") ?? new FhirResult(StatusCodes.Status200OK, Capabilities(clock.GetUtcNow()));

    /// <summary>Pure: the service's capabilities; the same document at any moment but its date.</summary>
    public static CapabilityStatement Capabilities(DateTimeOffset now) => new()
    {
        Url = $"{FhirUris.Base}/CapabilityStatement/working-conversations",
        Name = "WorkingConversations",
        Title = "Working Conversations FHIR API",
        Status = PublicationStatus.Active,
        Date = now.ToString("yyyy-MM-dd"),
        Publisher = FhirMessages.SourceName,
        Kind = CapabilityStatementKind.Instance,
        FhirVersion = FHIRVersion.N4_0_1,
        Format = [FhirJson.MediaType],
        Software = new CapabilityStatement.SoftwareComponent { Name = FhirMessages.SourceName },
        Implementation = new CapabilityStatement.ImplementationComponent { Description = "Referrals into working conversations", Url = $"{FhirUris.Base}/R4" },
        Description = new Markdown(
            "Referrals as FHIR R4 messages in the pattern of the NHS Booking and Referral Standard: a message Bundle whose MessageHeader has the event " +
            $"{FhirUris.BarsEvents}#{FhirUris.ServiceRequestRequest}, posted to $process-message with a partner API key. Status changes are sent to " +
            $"a partner registered with callbackFormat 'fhir' as {FhirUris.ServiceRequestResponse} messages, signed like the JSON callbacks."),
        Rest =
        [
            new CapabilityStatement.RestComponent
            {
                Mode = CapabilityStatement.RestfulCapabilityMode.Server,
                Security = new CapabilityStatement.SecurityComponent { Description = "Authorization: Bearer <partner API key>." },
                Resource =
                [
                    new CapabilityStatement.ResourceComponent
                    {
                        Type = "ServiceRequest",
                        Profile = "http://hl7.org/fhir/StructureDefinition/ServiceRequest",
                        Interaction = [new CapabilityStatement.ResourceInteractionComponent { Code = CapabilityStatement.TypeRestfulInteraction.Read }],
                        Documentation = new Markdown("The partner's own referrals. Status: received, accepted and in-conversation are active; waitlisted is " +
                                                     "on-hold; declined and withdrawn are revoked; ended is completed."),
                    },
                ],
                Operation =
                [
                    new CapabilityStatement.OperationComponent
                    {
                        Name = "process-message",
                        Definition = "http://hl7.org/fhir/OperationDefinition/MessageHeader-process-message",
                        Documentation = new Markdown("Takes a referral message (servicerequest-request) and answers with a servicerequest-response message, " +
                                                     "or an OperationOutcome: 400 naming each broken rule's element, 409 'duplicate' for a Bundle id " +
                                                     "received before."),
                    },
                ],
            },
        ],
        Messaging =
        [
            new CapabilityStatement.MessagingComponent
            {
                Documentation = new Markdown($"Receives {FhirUris.ServiceRequestRequest}; sends {FhirUris.ServiceRequestResponse} (answers and status callbacks)."),
            },
        ],
    };
}
