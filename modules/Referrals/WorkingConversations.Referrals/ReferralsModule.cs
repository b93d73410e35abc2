using JasperFx.Events.Projections;
using Marten;
using Marten.Schema;
using Marten.Services;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Auth;
using WorkingConversations.BuildingBlocks.Http;
using WorkingConversations.BuildingBlocks.Http.Idempotency;
using WorkingConversations.BuildingBlocks.Journey;
using WorkingConversations.BuildingBlocks.Modules;
using WorkingConversations.BuildingBlocks.Web;
using WorkingConversations.Referrals.Callbacks;
using WorkingConversations.Referrals.Contracts;
using WorkingConversations.Referrals.Directory;
using WorkingConversations.Referrals.Fhir;
using WorkingConversations.Referrals.Identity;
using WorkingConversations.Referrals.Partners;
using WorkingConversations.Referrals.PostingReferral;
using WorkingConversations.Referrals.Triage;
using WorkingConversations.Referrals.Views;

namespace WorkingConversations.Referrals;

public sealed class ReferralsModule : IModule
{
    public const string ModuleName = "Referrals";
    public string Name => ModuleName;
    public string Schema => "referrals";

    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        var settings = ReferralsSettings.From(configuration);
        services.AddSingleton(settings);
        services.AddHostedService<ProductionSecretsCheck>();
        services.AddSingleton<PartnerCallbackSender>();
        services.AddSingleton<PartnerCallbackDirectory>();
        services.AddSingleton<FhirValidator>();
        services.AddSingleton<DirectoryFetcher>();
        // Loading the validator's specification and compiled schemas puts 60 to 120 MB on the host's resident set for the
        // life of the process (docs/operations.md, Memory). A host loads them at start-up, so that no partner's first FHIR
        // message waits seconds for them; a node that takes no FHIR can leave them to the first request and keep the memory.
        if (configuration.GetValue("Referrals:Fhir:WarmUpAtStart", true)) services.AddHostedService<FhirValidatorWarmUp>();
        // Before the host's AddProblemDetails adds the framework's writer, so that this one is asked first.
        services.AddSingleton<IProblemDetailsWriter, FhirProblemWriter>();
        // Marten's serializer only: API output (the subject access export) keeps writing identity fields in plain text.
        services.ConfigureMarten(options =>
        {
            if (options.Serializer() is not SystemTextJsonSerializer json)
            {
                throw new InvalidOperationException("Identity encryption needs Marten's System.Text.Json serializer.");
            }

            json.Configure(o => o.Converters.Add(new IdentitySealingConverter(new IdentityCipher(settings.IdentityEncryptionKey))));
        });
    }

    public void ConfigureMarten(StoreOptions options, IServiceProvider services)
    {
        options.Schema.For<Partner>().DatabaseSchemaName(Schema);
        // Unique, so that two referrals of the same new person at the same moment cannot make two participants: the
        // second fails and is told to retry, and the retry joins the first one's journey.
        options.Schema.For<ParticipantIdentity>().DatabaseSchemaName(Schema)
            .UniqueIndex(UniqueIndexType.Computed, "uidx_participant_nhs_key", x => x.NhsKey!)
            .UniqueIndex(UniqueIndexType.Computed, "uidx_participant_demographic_key", x => x.DemographicKey!)
            .Index(x => x.SearchKey!);
        options.Schema.For<ReferralView>().DatabaseSchemaName(Schema)
            .Index(x => x.PartnerId)
            .Index(x => x.Status)
            .Index(x => x.ReceivedAt);
        options.Schema.For<DirectoryService>().DatabaseSchemaName(Schema);
        options.Schema.For<FhirMessageReceipt>().DatabaseSchemaName(Schema).Index(x => x.ReferralId);
        options.Projections.LiveStreamAggregation<ReferralsJourney>();
        options.Projections.Add(new ReferralViewProjection(services.GetRequiredService<PartnerCallbackDirectory>()), ProjectionLifecycle.Inline,
            ProjectionRebuilds.Tune);
        // The view's projection publishes ReferralStatusChanged as a side effect, in the transaction of the change.
        // This is a store-wide switch; it changes nothing for projections that raise no side effects.
        options.Events.EnableSideEffectsOnInlineProjections = true;
    }

    public void DescribeJourney(JourneyCatalog catalog)
    {
        catalog
            .Add<ReferralReceived>(ModuleName, "referral-received", e => $"Referral {e.PartnerReference} received (episode {e.EpisodeNumber})")
            .Add<ReferralAttachedToOpenEpisode>(ModuleName, "referral-attached-to-open-episode", e => $"Referral {e.PartnerReference} attached to open episode {e.EpisodeNumber}")
            .Add<ReferralAccepted>(ModuleName, "referral-accepted", e => $"Referral accepted (episode {e.EpisodeNumber})")
            .Add<ReferralDeclined>(ModuleName, "referral-declined", e => $"Referral declined (episode {e.EpisodeNumber})" + (e.SignpostedTo is null ? "" : $", signposted to {e.SignpostedTo}"))
            .Add<ReferralWaitlisted>(ModuleName, "referral-waitlisted", e => $"Referral waitlisted (episode {e.EpisodeNumber})")
            .Add<ReferralWithdrawn>(ModuleName, "referral-withdrawn", e => $"Referral withdrawn (episode {e.EpisodeNumber})")
            .Protect<ReferralReceived>(e => e with { Reason = ProtectedText.Masked })
            .Protect<ReferralAttachedToOpenEpisode>(e => e with { Reason = ProtectedText.Masked })
            .Protect<ReferralDeclined>(e => e with { Reason = ProtectedText.Masked, SignpostedTo = e.SignpostedTo is null ? null : ProtectedText.Masked })
            .Protect<ReferralWaitlisted>(e => e with { Reason = e.Reason is null ? null : ProtectedText.Masked })
            .Protect<ReferralWithdrawn>(e => e with { Reason = ProtectedText.Masked });
        JourneyParts.ReferralsJourneyParts.Describe(catalog);
    }

    public void DescribeWeb(WebCatalog web) => Pages.ReferralPages.Describe(web);

    public void MapPages(RouteGroupBuilder pages) => Pages.ReferralPages.Map(pages);

    public void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        var partners = endpoints.MapGroup("/api/v1/partners").WithTags("Administration").RequireRoles(Roles.Admin);
        partners.MapPost("", RegisterPartner.Handle).WithName("RegisterPartner").WithSummary("Register a partner organisation")
            .WithJsonBody<RegisterPartnerRequest>()
            .WithIdempotencyKey()
            .WithDescription("The callbackSecret is in this answer only; a repeat with the same Idempotency-Key answers without it. " + IdempotencyKeys.Description)
            .Documented<RegisteredPartner>(StatusCodes.Status201Created);
        partners.MapGet("", RegisterPartner.List).WithName("ListPartners").WithSummary("List partner organisations").Documented();

        FhirRoutes.Map(endpoints);

        var directory = endpoints.MapGroup("/api/v1/directory").WithTags("Directory");
        directory.MapPost("/imports", ImportDirectory.Handle).RequireRoles(Roles.Admin).WithName("ImportDirectory")
            .WithSummary("Import an Open Referral UK dataset into the service directory (admin)")
            .WithDescription(
                "The body is a JSON array of full ORUK (HSDS 3.0 UK profile) service objects, as ORUK's GET /services/{id} answers them " +
                "(organization, service_at_locations with their location and its addresses, attributes with their taxonomy_term nested), or " +
                "{ \"url\": \"<ORUK API base URL>\" }, whose /services pages are read and each service fetched whole. Idempotent by service " +
                "id: the answer counts the services added, changed, removed (no longer in the dataset) and unchanged, and lists each rejected " +
                "record's problems with their path ([3].status); a rejected record leaves the stored service of its id as it was. At most 16 MB.")
            .WithJsonBody<System.Text.Json.Nodes.JsonNode>(ImportDirectory.MaxBytes)
            .Documented<DirectoryImportReport>(StatusCodes.Status200OK);
        directory.MapGet("/services", SearchDirectory.Handle).RequireRoles(Roles.Caseworker, Roles.Practitioner).WithName("SearchDirectory")
            .WithSummary("Search the service directory (caseworker, practitioner)")
            .WithDescription(
                "Active services, as full ORUK service objects in an ORUK page (total_items, total_pages, page_number, size, first_page, " +
                "last_page, empty, contents). search: every word must appear in the name, description, organisation or a taxonomy term name. " +
                "taxonomy_term_id: services with that term. postcode: a UK postcode or a district (L8); matches locations in the same postcode " +
                "district, and locations within 3 km of the postcode when the directory has coordinates for it (nearest first). page from 1; " +
                "per_page 1 to 500, default 50. The id of a service is what a decline's signpostedTo and a conversation's nextSmallStepServiceId take.")
            .Produces<OrukPage>(StatusCodes.Status200OK)
            .Documented();

        var referrals = endpoints.MapGroup("/api/v1/referrals").WithTags("Referrals");

        referrals.MapPost("", PostReferral.Handle).RequireRoles(Roles.Partner).WithName("PostReferral")
            .WithJsonBody<PostReferralRequest>(ReferralBodyMaxBytes)
            .WithIdempotencyKey()
            .WithSummary("Refer a person (partner)")
            .WithDescription(
                "Records a referral for the partner of the API key. Rules: partnerReference (at most 100 characters), person.givenName and " +
                "person.familyName (at most 100, at least one letter), person.dateOfBirth (ISO date, in the past, age 16 or over today) " +
                "reason (at most 4000) and consent.given = true are required; person.postcode must be a UK postcode; person.nhsNumber, when " +
                "given, must pass the modulus-11 check; riskIndicators must be known values; every failing field is listed at once in a 400 " +
                "problem. Ids and statuses are never taken from the body. A body over 64 KB gets 413. The same person (same NHS number, or the " +
                "same name, date of birth and postcode) joins their existing participant journey as a new episode; while an episode is " +
                "open, the referral is attached to it and flagged to caseworkers instead. A 409 means the same person was being referred at " +
                "the same moment: send it again. " + IdempotencyKeys.Description)
            .Documented<ReferralCreated>(StatusCodes.Status201Created, StatusCodes.Status409Conflict);

        referrals.MapGet("", ListReferrals.Handle).RequireRoles(Roles.Partner, Roles.Caseworker).WithName("ListReferrals")
            .WithSummary("List referrals (partner: own; caseworker: all)")
            .WithDescription(
                "Oldest received first. Filters: status (one of received, accepted, declined, waitlisted, withdrawn, in-conversation, ended) " +
                "and since (received at or after, ISO 8601). limit: 1 to 500, default 50. Pass nextCursor back as cursor for the next page; " +
                "it is null on the last page. Items have the shape of GET /api/v1/referrals/{id} for the caller.")
            .Documented<ListPage<PartnerReferral>>(StatusCodes.Status200OK);

        referrals.MapGet("/triage-queue", TriageQueue.Handle).RequireRoles(Roles.Caseworker).WithName("TriageQueue")
            .WithSummary("Referrals waiting for a decision, oldest first (caseworker)")
            .WithDescription("Received and waitlisted referrals, oldest received first, each with how long it has waited (waitingSeconds, waitingDays). " +
                             "Paged like the referral list.")
            .Documented();

        referrals.MapGet("/{id:guid}", GetReferral.Handle).RequireRoles(Roles.Partner, Roles.Caseworker).WithName("GetReferral")
            .WithSummary("A referral and its status history")
            .WithDescription("Partners see their own referrals only, without clinical detail (another partner's referral is 404). " +
                             "Caseworkers see every referral with its triage detail (CaseworkerReferral).")
            .Documented<PartnerReferral>(StatusCodes.Status200OK, StatusCodes.Status404NotFound);

        referrals.MapPost("/{id:guid}/accept", AcceptReferral.Handle).RequireRoles(Roles.Caseworker).WithJsonBody<NoFields>(optional: true).WithName("AcceptReferral")
            .WithSummary("Accept a referral (caseworker)")
            .WithDescription("Allowed from received or waitlisted, and not for a referral attached to an open episode. Conversations opens " +
                             "the episode. Returns the caseworker view. 409 names the currentStatus.")
            .WithTriageProblems();

        referrals.MapPost("/{id:guid}/decline", DeclineReferral.Handle).RequireRoles(Roles.Caseworker).WithJsonBody<DeclineReferralRequest>(optional: true).WithName("DeclineReferral")
            .WithSummary("Decline a referral (caseworker)")
            .WithDescription("Body { reason (required, at most 1000 characters), signpostedTo? (a directory service id, or free text of at most " +
                             "200 characters) }; the partner sees both, a directory service by its name. " +
                             "Allowed from received or waitlisted. 409 names the currentStatus.")
            .WithTriageProblems();

        referrals.MapPost("/{id:guid}/waitlist", WaitlistReferral.Handle).RequireRoles(Roles.Caseworker).WithJsonBody<WaitlistReferralRequest>(optional: true).WithName("WaitlistReferral")
            .WithSummary("Put a referral on the waiting list (caseworker)")
            .WithDescription("Body { reason? (at most 1000 characters) }, may be empty. Allowed from received, not for a referral attached " +
                             "to an open episode. 409 names the currentStatus.")
            .WithTriageProblems();

        referrals.MapPost("/{id:guid}/withdraw", WithdrawReferral.Handle).RequireRoles(Roles.Partner, Roles.Caseworker).WithJsonBody<WithdrawReferralRequest>(optional: true).WithName("WithdrawReferral")
            .WithSummary("Withdraw a referral (partner: own; caseworker)")
            .WithDescription("Body { reason (required, at most 1000 characters) }. Allowed from received or waitlisted; once accepted, the " +
                             "episode is ended in Conversations instead. 409 names the currentStatus.")
            .WithTriageProblems();
    }

    public const long ReferralBodyMaxBytes = 64 * 1024;
}

internal static class ReferralRouteDescriptions
{
    /// <summary>A triage route answers with the caseworker's view; a body the framework could not read as JSON is 415.</summary>
    public static RouteHandlerBuilder WithTriageProblems(this RouteHandlerBuilder builder) =>
        builder.Documented<CaseworkerReferral>(StatusCodes.Status200OK, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict,
            StatusCodes.Status412PreconditionFailed, StatusCodes.Status415UnsupportedMediaType);
}
