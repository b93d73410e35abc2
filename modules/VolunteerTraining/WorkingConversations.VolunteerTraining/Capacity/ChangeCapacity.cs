using Microsoft.AspNetCore.Http;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Http;
using WorkingConversations.BuildingBlocks.Writing;
using WorkingConversations.VolunteerTraining.Contracts;

using WorkingConversations.BuildingBlocks.Http.Idempotency;

namespace WorkingConversations.VolunteerTraining.Capacity;

internal sealed record CapacityRequest(int? Capacity, string? Reason);

internal sealed record CapacityResult(Guid VolunteerId, int Capacity, DateTimeOffset ChangedAt);

internal static class ChangeCapacity
{
    /// <summary>No one holds twenty conversations' worth of participants safely; more is a typing slip.</summary>
    public const int MaxCapacity = 20;

    public static Validation Validate(CapacityRequest r)
    {
        var v = new Validation();
        v.InRange("capacity", r.Capacity, 1, MaxCapacity);
        v.RequiredText("reason", r.Reason, 1000);
        return v;
    }

    /// <summary>
    /// Only a practitioner holding a clearance has a capacity to change. Conversations keeps assignments already made
    /// when capacity goes down; it only stops new ones beyond it.
    /// </summary>
    public static Decision<CapacityResult> Decide(Volunteer volunteer, CapacityRequest r, DateTimeOffset now)
    {
        if (!volunteer.HoldsClearance)
            return Refusal.Conflict($"The volunteer is {volunteer.Status}; only a certified practitioner has a capacity to change.").With("volunteerStatus", volunteer.Status);
        if (volunteer.Capacity == r.Capacity) return Refusal.Conflict($"The capacity is already {volunteer.Capacity}.").With("capacity", volunteer.Capacity);
        var changed = new CapacityChanged(volunteer.Id, r.Capacity!.Value, r.Reason!.Trim(), now);
        return Decision.Of(new CapacityResult(volunteer.Id, changed.Capacity, changed.ChangedAt))
            .Append(changed)
            .Publish(new PractitionerCapacityChanged(volunteer.Id, changed.Capacity, changed.ChangedAt));
    }

    public static Task<IResult> Handle(Guid id, JsonBody<CapacityRequest> body, HttpContext http, WriteStep write) =>
        write.RunAsync(http, Validate(body.Read), attempt => attempt.OnVolunteer(id, volunteer => Decide(volunteer, body.Read, attempt.Now)), Answer.Ok);
}
