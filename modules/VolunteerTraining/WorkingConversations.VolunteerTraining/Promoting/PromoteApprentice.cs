using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Wolverine.Marten;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.VolunteerTraining.Certifying;
using WorkingConversations.VolunteerTraining.Contracts;
using WorkingConversations.VolunteerTraining.Curriculum;

namespace WorkingConversations.VolunteerTraining.Promoting;

public sealed record PromotionResult(Guid VolunteerId, string Level, int Capacity, DateTimeOffset PromotedAt);

public static class PromoteApprentice
{
    /// <summary>Pure: a certified apprentice practitioner becomes a senior practitioner when every senior requirement is met.</summary>
    public static (ApprenticePromoted? Promoted, ProblemHttpResult? Problem) Decide(
        Volunteer volunteer, TrainingCurriculum curriculum, CertificationRules rules, DateTimeOffset now)
    {
        if (volunteer.Programme != Programmes.Apprentice)
            return (null, LegacyProblem.Conflict("Only apprentices progress to senior practitioner.", new Dictionary<string, object?> { ["programme"] = volunteer.Programme }));
        if (volunteer.Status != VolunteerStatuses.Certified || volunteer.Level != Levels.Practitioner)
            return (null, LegacyProblem.Conflict($"The apprentice is {volunteer.Status} at level {volunteer.Level}; only a certified practitioner can be promoted.",
                new Dictionary<string, object?> { ["status"] = volunteer.Status, ["level"] = volunteer.Level }));

        var unmet = Requirements.ForSeniorPractitioner(volunteer, curriculum, rules, DateOnly.FromDateTime(now.UtcDateTime)).Where(r => !r.Met).ToList();
        if (unmet.Count > 0) return (null, UnmetRequirements.Problem("Senior practitioner requirements not met", unmet));
        return (new ApprenticePromoted(volunteer.Id, Levels.SeniorPractitioner, rules.SeniorPractitioner.Capacity, now), null);
    }

    public static async Task<Results<Ok<PromotionResult>, ProblemHttpResult>> Handle(
        Guid id, HttpContext http, IDocumentSession session, IMartenOutbox outbox, CurriculumSource curriculum, IOptions<CertificationRules> rules,
        TimeProvider clock, CancellationToken ct)
    {
        session.StampFrom(http, outbox);
        var stream = await session.Events.FetchForWriting<Volunteer>(id, ct);
        if (stream.Aggregate is null) return Problem.NotFound($"No volunteer has the id {id}.");
        var (promoted, problem) = Decide(stream.Aggregate, curriculum.Current, rules.Value, clock.GetUtcNow());
        if (promoted is null) return problem!;

        stream.AppendOne(promoted);
        if (promoted.Capacity != stream.Aggregate.Capacity)
            await outbox.PublishAsync(new PractitionerCapacityChanged(id, promoted.Capacity, promoted.PromotedAt));
        await session.SaveChangesAsync(ct);
        return TypedResults.Ok(new PromotionResult(id, promoted.Level, promoted.Capacity, promoted.PromotedAt));
    }
}
