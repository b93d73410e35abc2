using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Http;

namespace WorkingConversations.VolunteerTraining.Enrolling;

public sealed record EnrolVolunteerRequest(string? GivenName, string? FamilyName, string? Email, string? Programme);

public sealed record EnrolledVolunteer(Guid Id);

public static class EnrolVolunteer
{
    public static Validation Validate(EnrolVolunteerRequest r)
    {
        var v = new Validation();
        v.RequiredText("givenName", r.GivenName, 100);
        v.RequiredText("familyName", r.FamilyName, 100);
        if (v.Required("email", r.Email)) v.Email("email", r.Email);
        v.OneOf("programme", r.Programme, Programmes.All);
        return v;
    }

    public static async Task<Results<Created<EnrolledVolunteer>, ValidationProblem>> Handle(
        EnrolVolunteerRequest request, HttpContext http, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var v = Validate(request);
        if (!v.IsValid) return v.ToProblem();
        session.StampFrom(http);
        var id = Guid.CreateVersion7();
        session.Events.StartStream<Volunteer>(id, new VolunteerEnrolled(id, request.Programme!, clock.GetUtcNow()));
        session.Store(new VolunteerProfile(id, request.GivenName!.Trim(), request.FamilyName!.Trim(), request.Email!.Trim()));
        await session.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/volunteers/{id}", new EnrolledVolunteer(id));
    }
}
