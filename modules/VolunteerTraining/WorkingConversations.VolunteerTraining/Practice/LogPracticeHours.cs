using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Http;

namespace WorkingConversations.VolunteerTraining.Practice;

public sealed record PracticeHoursRequest(decimal? Hours, string? SupervisedBy, DateOnly? On);

public sealed record PracticeHoursTotal(Guid VolunteerId, decimal Logged, decimal TotalHours);

public static class LogPracticeHours
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

    public static async Task<Results<Ok<PracticeHoursTotal>, ProblemHttpResult, ValidationProblem>> Handle(
        Guid id, PracticeHoursRequest request, HttpContext http, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var v = Validate(request, Recording.Today(clock));
        if (!v.IsValid) return v.ToProblem();

        session.StampFrom(http);
        var stream = await session.Events.FetchForWriting<Volunteer>(id, ct);
        if (stream.Aggregate is null) return Problem.NotFound($"No volunteer has the id {id}.");
        if (Recording.Refuse(stream.Aggregate) is { } refused) return refused;

        var logged = new PracticeHoursLogged(id, request.Hours!.Value, request.SupervisedBy!.Trim(), request.On!.Value, clock.GetUtcNow());
        stream.AppendOne(logged);
        await session.SaveChangesAsync(ct);
        return TypedResults.Ok(new PracticeHoursTotal(id, logged.Hours, stream.Aggregate.PracticeHours + logged.Hours));
    }
}
