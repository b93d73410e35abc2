using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Http;
using WorkingConversations.BuildingBlocks.Http.Idempotency;

namespace WorkingConversations.Referrals.Fhir;

internal static class FhirRoutes
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        // The routes check the key themselves (FhirAccess), so that 401 and 403 are OperationOutcomes too.
        var fhir = endpoints.MapGroup("/fhir/R4").WithTags("FHIR").AllowAnonymous();

        fhir.MapPost("/$process-message", ProcessMessage.Handle).WithName("FhirProcessMessage")
            .WithSummary("Refer a person with a FHIR message (partner)")
            .WithDescription(
                "A FHIR R4 Bundle of type message in the pattern of the NHS Booking and Referral Standard: the first entry a MessageHeader with event " +
                "https://fhir.nhs.uk/CodeSystem/message-events-bars#servicerequest-request whose focus is the ServiceRequest (intent plan, status " +
                "active, subject, authoredOn, requester, reasonCode or note); the ServiceRequest's subject a Patient with the NHS number " +
                "(system https://fhir.nhs.uk/Id/nhs-number, modulus 11), name, birthDate and a postcode; and a Consent resource (status active) " +
                "about the Patient. The resources are validated against the base R4 profiles, then the referral goes through the rules, the " +
                "duplicate-person matching and the triage of POST /api/v1/referrals (docs/modules/referrals.md has the element-by-element " +
                "mapping). 200 answers with a servicerequest-response message whose focus is the new ServiceRequest (Location names it). Every " +
                "refusal is an OperationOutcome whose issues give the FHIRPath of the element and the rule: 400 for a broken rule, 409 with " +
                "issue.code 'duplicate' for a Bundle id this partner sent before, 413 above 64 KB, 415 for another media type. " +
                IdempotencyKeys.Description)
            .Accepts<JsonElement>(FhirJson.MediaType, "application/json")
            .WithMetadata(FhirBody.Limit)
            .AnswersInFhir("Bundle")
            .WithIdempotencyKey()
            .Produces<JsonElement>(StatusCodes.Status200OK, FhirJson.MediaType)
            .Outcomes(400, 401, 403, 409, 413, 415, 422, 429);

        fhir.MapGet("/ServiceRequest/{id}", ReadServiceRequest.Handle).WithName("FhirReadServiceRequest")
            .WithSummary("A referral as a FHIR ServiceRequest (partner: own)")
            .WithDescription("Status mapped from the referral's: received, accepted and in-conversation are active; waitlisted is on-hold; declined " +
                             "and withdrawn are revoked; ended is completed. The extension " + FhirUris.ReferralStatusExtension + " carries the " +
                             "referral's own status. Another partner's referral is 404.")
            .AnswersInFhir("ServiceRequest")
            .Produces<JsonElement>(StatusCodes.Status200OK, FhirJson.MediaType)
            .Outcomes(401, 403, 404, 429);

        fhir.MapGet("/metadata", Metadata.Handle).WithName("FhirMetadata")
            .WithSummary("The FHIR CapabilityStatement (partner)")
            .AnswersInFhir("CapabilityStatement")
            .Produces<JsonElement>(StatusCodes.Status200OK, FhirJson.MediaType)
            .Outcomes(401, 403, 429);
    }

    private static RouteHandlerBuilder Outcomes(this RouteHandlerBuilder route, params int[] statuses)
    {
        foreach (var status in statuses) route.Produces<JsonElement>(status, FhirJson.MediaType);
        return route;
    }
}

/// <summary>Compiles the validator's schemas when the host starts, in the background, so that no partner waits for it.</summary>
internal sealed class FhirValidatorWarmUp(IHostApplicationLifetime lifetime) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() => _ = Task.Run(FhirValidator.WarmUp));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
