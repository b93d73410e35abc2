using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using WorkingConversations.BuildingBlocks.Auth;
using WorkingConversations.BuildingBlocks.Modules;
using WorkingConversations.VolunteerTraining.Certifying;
using WorkingConversations.VolunteerTraining.Enrolling;

namespace WorkingConversations.VolunteerTraining;

public sealed class VolunteerTrainingModule : IModule
{
    public string Name => "VolunteerTraining";
    public string Schema => "volunteer_training";

    public void ConfigureMarten(StoreOptions options)
    {
        options.Schema.For<VolunteerProfile>().DatabaseSchemaName(Schema);
        options.Events.AddEventType<VolunteerEnrolled>();
        options.Events.MapEventType<VolunteerEnrolled>("volunteer-enrolled");
        options.Events.AddEventType<VolunteerCertified>();
        options.Events.MapEventType<VolunteerCertified>("volunteer-certified");
        options.Projections.LiveStreamAggregation<Volunteer>();
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        var volunteers = endpoints.MapGroup("/api/v1/volunteers").WithTags("Volunteer training").RequireRoles(Roles.Trainer);
        volunteers.MapPost("", EnrolVolunteer.Handle).WithName("EnrolVolunteer").WithSummary("Enrol a volunteer or apprentice");
        volunteers.MapPost("/{id:guid}/certify", CertifyVolunteer.Handle).WithName("CertifyVolunteer").WithSummary("Certify a volunteer as a practitioner");
    }
}
