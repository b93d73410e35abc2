using Microsoft.AspNetCore.Http;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Http;
using WorkingConversations.BuildingBlocks.Writing;

using WorkingConversations.BuildingBlocks.Http.Idempotency;

namespace WorkingConversations.VolunteerTraining.Practice;

internal sealed record PracticeHoursRequest(decimal? Hours, string? SupervisedBy, DateOnly? On);

internal sealed record PracticeHoursTotal(Guid VolunteerId, decimal Logged, decimal TotalHours);

internal static class LogPracticeHours
{
    /// <summary>One entry is one day's supervised practice, so more than 12 hours is a typing slip, not a long day.</summary>
    public const decimal MaxHoursPerEntry = 12m;

    public static Validation Validate(PracticeHoursRequest r, DateOnly today)
    {
        var v = new Validation();
        if (v.Required("hours", r.Hours) && (r.Hours <= 0 || r.Hours > MaxHoursPerEntry))
            v.Add("hours", $"must be more than 0 and at most {MaxHoursPerEntry} (one day's supervised practice).");
        v.RequiredText("supervisedBy", r.SupervisedBy, 200);
        Recording.NotInFuture(v, "on", r.On, today);
        return v;
    }

    public static Decision<PracticeHoursTotal> Decide(Volunteer volunteer, PracticeHoursRequest r, DateTimeOffset now)
    {
        if (Recording.Refuse(volunteer) is { } refused) return refused;
        var logged = new PracticeHoursLogged(volunteer.Id, r.Hours!.Value, r.SupervisedBy!.Trim(), r.On!.Value, now);
        return Decision.Of(new PracticeHoursTotal(volunteer.Id, logged.Hours, volunteer.PracticeHours + logged.Hours)).Append(logged);
    }

    public static Task<IResult> Handle(Guid id, JsonBody<PracticeHoursRequest> body, HttpContext http, WriteStep write, TimeProvider clock) =>
        write.RunAsync(http, Validate(body.Read, Recording.Today(clock)),
            attempt => attempt.OnVolunteer(id, volunteer => Decide(volunteer, body.Read, attempt.Now)), Answer.Ok);
}
