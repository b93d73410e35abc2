using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Writing;

namespace WorkingConversations.VolunteerTraining;

/// <summary>Rules shared by the endpoints that add training evidence to a volunteer's record.</summary>
internal static class Recording
{
    /// <summary>Evidence keeps coming after certification (towards senior practitioner) and during a suspension, but not after withdrawal.</summary>
    public static Refusal? Refuse(Volunteer volunteer) =>
        volunteer.Status == VolunteerStatuses.Withdrawn
            ? Refusal.Conflict("The volunteer has withdrawn from the programme; nothing more can be recorded.").With("volunteerStatus", volunteer.Status)
            : null;

    public static void NotInFuture(Validation v, string field, DateOnly? date, DateOnly today)
    {
        if (v.Required(field, date) && date > today) v.Add(field, "must not be in the future.");
    }

    public static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    public static DateOnly Today(DateTimeOffset now) => DateOnly.FromDateTime(now.UtcDateTime);

    /// <summary>A write to the volunteer's own stream: their record for the decision, or 404 when there is no such volunteer.</summary>
    public static async Task<Decision<T>> OnVolunteer<T>(this WriteAttempt attempt, Guid id, Func<Volunteer, Decision<T>> decide) =>
        await attempt.Stream<Volunteer>(id) is { } volunteer ? decide(volunteer) : NoVolunteer(id);

    public static Refusal NoVolunteer(Guid id) => Refusal.NotFound($"No volunteer has the id {id}.");
}
