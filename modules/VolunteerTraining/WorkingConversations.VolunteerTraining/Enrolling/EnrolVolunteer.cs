using Microsoft.AspNetCore.Http;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Http;
using WorkingConversations.BuildingBlocks.Http.Idempotency;
using WorkingConversations.BuildingBlocks.Writing;
using WorkingConversations.VolunteerTraining.Contracts;

namespace WorkingConversations.VolunteerTraining.Enrolling;

internal sealed record EnrolVolunteerRequest(string? GivenName, string? FamilyName, string? Email, string? Programme);

internal sealed record EnrolledVolunteer(Guid Id);

internal static class EnrolVolunteer
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

    /// <summary>Pure: the volunteer's stream begins with their enrolment; who they are is kept apart, in the profile, so it can be erased.</summary>
    public static Decision<EnrolledVolunteer> Decide(Guid id, EnrolVolunteerRequest r, DateTimeOffset now) =>
        Decision.Of(new EnrolledVolunteer(id))
            .Append(new VolunteerEnrolled(id, r.Programme!, now))
            .Store(new VolunteerProfile(id, r.GivenName!.Trim(), r.FamilyName!.Trim(), r.Email!.Trim()))
            .Publish(new VolunteerRegistered(id, now));

    public static Task<IResult> Handle(JsonBody<EnrolVolunteerRequest> body, HttpContext http, WriteStep write) =>
        write.RunAsync(http, Validate(body.Read), attempt =>
            {
                var id = Guid.CreateVersion7();
                attempt.NewStream<Volunteer>(id);
                return Decide(id, body.Read, attempt.Now);
            },
            enrolled => Answer.Created($"/api/v1/volunteers/{enrolled.Id}", enrolled));
}
