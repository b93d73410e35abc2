using Microsoft.AspNetCore.Http;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Http;
using WorkingConversations.BuildingBlocks.Writing;
using WorkingConversations.VolunteerTraining.Curriculum;

using WorkingConversations.BuildingBlocks.Http.Idempotency;

namespace WorkingConversations.VolunteerTraining.Assessing;

internal sealed record AssessmentRequest(bool? Passed, int? Score, string? AssessedBy, DateOnly? AssessedOn);

internal sealed record AssessmentResult(Guid VolunteerId, string Code, bool Passed, int? Score, int? PassMark, bool ModulePassed, int Attempts);

internal static class RecordAssessment
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

    /// <summary>Pure: the assessment; a score at or above the pass mark passes when the trainer did not say.</summary>
    public static ModuleAssessed Decide(Guid volunteerId, CurriculumModule module, AssessmentRequest r, DateTimeOffset now) =>
        new(volunteerId, module.Code, r.Passed ?? r.Score >= module.PassMark, r.Score, r.AssessedBy!.Trim(), r.AssessedOn!.Value, now);

    /// <summary>Pure: the assessment on the volunteer's record, and where the module stands after it.</summary>
    public static Decision<AssessmentResult> Assess(Volunteer volunteer, CurriculumModule module, AssessmentRequest r, DateTimeOffset now)
    {
        if (Recording.Refuse(volunteer) is { } refused) return refused;
        var assessed = Decide(volunteer.Id, module, r, now);
        var result = volunteer.Apply(assessed).Modules[module.Code];
        return Decision.Of(new AssessmentResult(volunteer.Id, module.Code, assessed.Passed, assessed.Score, module.PassMark, result.Passed, result.Attempts))
            .Append(assessed);
    }

    public static Task<IResult> Handle(
        Guid id, string code, JsonBody<AssessmentRequest> body, HttpContext http, WriteStep write, CurriculumSource curriculum, TimeProvider clock)
    {
        var module = curriculum.Current.Find(code);
        return write.RunAsync(http, Validate(code, module, body.Read, Recording.Today(clock)),
            attempt => attempt.OnVolunteer(id, volunteer => Assess(volunteer, module!, body.Read, attempt.Now)), Answer.Ok);
    }
}
