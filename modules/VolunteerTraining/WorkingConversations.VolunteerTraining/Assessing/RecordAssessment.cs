using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Http;
using WorkingConversations.VolunteerTraining.Curriculum;

namespace WorkingConversations.VolunteerTraining.Assessing;

public sealed record AssessmentRequest(bool? Passed, int? Score, string? AssessedBy, DateOnly? AssessedOn);

public sealed record AssessmentResult(Guid VolunteerId, string Code, bool Passed, int? Score, int? PassMark, bool ModulePassed, int Attempts);

public static class RecordAssessment
{
    public static Validation Validate(string code, CurriculumModule? module, AssessmentRequest r, DateOnly today)
    {
        var v = new Validation();
        if (module is null)
        {
            v.Add("code", $"'{code}' is not a module of the curriculum (GET /api/v1/training/curriculum lists them).");
            return v;
        }

        v.InRange("score", r.Score, 0, 100, required: false);
        if (r.Passed is null && (r.Score is null || module.PassMark is null))
            v.Add("passed", module.PassMark is null ? "is required: this module has no pass mark to judge a score by." : "is required unless a score is given.");
        if (r is { Passed: { } passed, Score: { } score } && module.PassMark is { } mark && passed != score >= mark)
            v.Add("passed", $"must agree with the score: {score} is {(score >= mark ? "at or above" : "below")} the pass mark of {mark} for {module.Code}.");
        v.RequiredText("assessedBy", r.AssessedBy, 200);
        Recording.NotInFuture(v, "assessedOn", r.AssessedOn, today);
        return v;
    }

    public static ModuleAssessed Decide(Guid volunteerId, CurriculumModule module, AssessmentRequest r, DateTimeOffset now) =>
        new(volunteerId, module.Code, r.Passed ?? r.Score >= module.PassMark, r.Score, r.AssessedBy!.Trim(), r.AssessedOn!.Value, now);

    public static async Task<Results<Ok<AssessmentResult>, ProblemHttpResult, ValidationProblem>> Handle(
        Guid id, string code, AssessmentRequest request, HttpContext http, IDocumentSession session, CurriculumSource curriculum,
        TimeProvider clock, CancellationToken ct)
    {
        var module = curriculum.Current.Find(code);
        var v = Validate(code, module, request, Recording.Today(clock));
        if (!v.IsValid) return v.ToProblem();

        session.StampFrom(http);
        var stream = await session.Events.FetchForWriting<Volunteer>(id, ct);
        if (stream.Aggregate is null) return Problem.NotFound($"No volunteer has the id {id}.");
        if (Recording.Refuse(stream.Aggregate) is { } refused) return refused;

        var assessed = Decide(id, module!, request, clock.GetUtcNow());
        stream.AppendOne(assessed);
        await session.SaveChangesAsync(ct);
        var result = stream.Aggregate.Apply(assessed).Modules[module!.Code];
        return TypedResults.Ok(new AssessmentResult(id, module.Code, assessed.Passed, assessed.Score, module.PassMark, result.Passed, result.Attempts));
    }
}
