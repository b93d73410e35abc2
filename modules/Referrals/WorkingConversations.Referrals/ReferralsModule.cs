using JasperFx.Events.Projections;
using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using WorkingConversations.BuildingBlocks.Auth;
using WorkingConversations.BuildingBlocks.Journey;
using WorkingConversations.BuildingBlocks.Modules;
using WorkingConversations.Referrals.Contracts;
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
        services.AddSingleton(ReferralsSettings.From(configuration));
    }

    public void ConfigureMarten(StoreOptions options)
    {
        options.Schema.For<Partner>().DatabaseSchemaName(Schema);
        options.Schema.For<ParticipantIdentity>().DatabaseSchemaName(Schema)
            .Index(x => x.NhsKey)
            .Index(x => x.DemographicKey);
        options.Schema.For<ReferralView>().DatabaseSchemaName(Schema)
            .Index(x => x.PartnerId)
            .Index(x => x.ReceivedAt);
        options.Projections.LiveStreamAggregation<ReferralsJourney>();
        options.Projections.Add<ReferralViewProjection>(ProjectionLifecycle.Inline);
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
            .Protect<ReferralReceived>(e => e with { Reason = Masked })
            .Protect<ReferralAttachedToOpenEpisode>(e => e with { Reason = Masked })
            .Protect<ReferralDeclined>(e => e with { Reason = Masked, SignpostedTo = e.SignpostedTo is null ? null : Masked })
            .Protect<ReferralWaitlisted>(e => e with { Reason = e.Reason is null ? null : Masked })
            .Protect<ReferralWithdrawn>(e => e with { Reason = Masked });
    }

    public const string Masked = "[erased]";

    public void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        var partners = endpoints.MapGroup("/api/v1/partners").WithTags("Administration").RequireRoles(Roles.Admin);
        partners.MapPost("", RegisterPartner.Handle).WithName("RegisterPartner").WithSummary("Register a partner organisation");
        partners.MapGet("", RegisterPartner.List).WithName("ListPartners").WithSummary("List partner organisations");

        var referrals = endpoints.MapGroup("/api/v1/referrals").WithTags("Referrals");
        referrals.MapPost("", PostReferral.Handle).RequireRoles(Roles.Partner).WithName("PostReferral")
            .WithSummary("Refer a person (partner)");
        referrals.MapGet("/{id:guid}", GetReferral.Handle).RequireRoles(Roles.Partner, Roles.Caseworker).WithName("GetReferral")
            .WithSummary("A referral and its status history");
        referrals.MapPost("/{id:guid}/accept", AcceptReferral.Handle).RequireRoles(Roles.Caseworker).WithName("AcceptReferral")
            .WithSummary("Accept a referral (caseworker)");
    }
}
