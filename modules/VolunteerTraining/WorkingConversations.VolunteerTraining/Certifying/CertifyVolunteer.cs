using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Wolverine.Marten;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.VolunteerTraining.Contracts;
using WorkingConversations.VolunteerTraining.Curriculum;

namespace WorkingConversations.VolunteerTraining.Certifying;

public sealed record CertifiedVolunteer(Guid Id, string Programme, string Level, int Capacity, DateTimeOffset CertifiedAt);

public static class CertifyVolunteer
{
    /// <summary>Pure: certifies only from training (or after a lapse), and only when every requirement is met.</summary>
    public static (VolunteerCertified? Certified, ProblemHttpResult? Problem) Decide(
        Volunteer volunteer, TrainingCurriculum curriculum, CertificationRules rules, DateTimeOffset now)
    {
        if (volunteer.UnderSuspension)
            return (null, LegacyProblem.Conflict("The volunteer is suspended: reinstate them before certifying them again.",
                new Dictionary<string, object?> { ["status"] = VolunteerStatuses.Suspended }));
        if (volunteer.Status is not (VolunteerStatuses.InTraining or VolunteerStatuses.Lapsed))
            return (null, LegacyProblem.Conflict($"The volunteer is {volunteer.Status} and cannot be certified.",
                new Dictionary<string, object?> { ["status"] = volunteer.Status }));

        var unmet = Requirements.ForCertification(volunteer, curriculum, rules, DateOnly.FromDateTime(now.UtcDateTime)).Where(r => !r.Met).ToList();
        if (unmet.Count > 0) return (null, UnmetRequirements.Problem("Certification requirements not met", unmet));

        var capacity = volunteer.Level == Levels.SeniorPractitioner ? rules.SeniorPractitioner.Capacity : rules.CapacityFor(volunteer.Programme);
        return (new VolunteerCertified(volunteer.Id, volunteer.Programme, capacity, now), null);
    }

    public static async Task<Results<Ok<CertifiedVolunteer>, ProblemHttpResult>> Handle(
        Guid id, HttpContext http, IDocumentSession session, IMartenOutbox outbox, CurriculumSource curriculum, IOptions<CertificationRules> rules,
        TimeProvider clock, CancellationToken ct)
    {
        session.StampFrom(http, outbox);
        var stream = await session.Events.FetchForWriting<Volunteer>(id, ct);
        if (stream.Aggregate is null) return Problem.NotFound($"No volunteer has the id {id}.");
        var (certified, problem) = Decide(stream.Aggregate, curriculum.Current, rules.Value, clock.GetUtcNow());
        if (certified is null) return problem!;

        stream.AppendOne(certified);
        // The certified volunteer's id is their practitioner id: Conversations may now assign them.
        await outbox.PublishAsync(new PractitionerCleared(id, certified.Programme, certified.Capacity, certified.CertifiedAt));
        await session.SaveChangesAsync(ct);
        var level = stream.Aggregate.Level == Levels.Trainee ? Levels.Practitioner : stream.Aggregate.Level;
        return TypedResults.Ok(new CertifiedVolunteer(id, certified.Programme, level, certified.Capacity, certified.CertifiedAt));
    }
}
