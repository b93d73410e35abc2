using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using WorkingConversations.BuildingBlocks.Http;
using WorkingConversations.BuildingBlocks.Writing;
using WorkingConversations.VolunteerTraining.Certifying;
using WorkingConversations.VolunteerTraining.Contracts;
using WorkingConversations.VolunteerTraining.Curriculum;

using WorkingConversations.BuildingBlocks.Http.Idempotency;

namespace WorkingConversations.VolunteerTraining.Promoting;

internal sealed record PromotionResult(Guid VolunteerId, string Level, int Capacity, DateTimeOffset PromotedAt);

internal static class PromoteApprentice
{
    /// <summary>Pure: a certified apprentice practitioner becomes a senior practitioner when every senior requirement is met.</summary>
    public static Decision<ApprenticePromoted> Decide(Volunteer volunteer, TrainingCurriculum curriculum, CertificationRules rules, DateTimeOffset now)
    {
        if (volunteer.Programme != Programmes.Apprentice)
            return Refusal.Conflict("Only apprentices progress to senior practitioner.").With("programme", volunteer.Programme);
        if (volunteer.Status != VolunteerStatuses.Certified || volunteer.Level != Levels.Practitioner)
            return Refusal.Conflict($"The apprentice is {volunteer.Status} at level {volunteer.Level}; only a certified practitioner can be promoted.")
                .With("volunteerStatus", volunteer.Status).With("level", volunteer.Level);

        var unmet = Requirements.ForSeniorPractitioner(volunteer, curriculum, rules, Recording.Today(now)).Where(r => !r.Met).ToList();
        if (unmet.Count > 0) return UnmetRequirements.Refused("Senior practitioner requirements not met", unmet);
        var promoted = Decision.Append(new ApprenticePromoted(volunteer.Id, Levels.SeniorPractitioner, rules.SeniorPractitioner.Capacity, now));
        return rules.SeniorPractitioner.Capacity == volunteer.Capacity
            ? promoted
            : promoted.Publish(new PractitionerCapacityChanged(volunteer.Id, rules.SeniorPractitioner.Capacity, now));
    }

    public static Task<IResult> Handle(Guid id, JsonBody<NoFields> body, HttpContext http, WriteStep write, CurriculumSource curriculum, IOptions<CertificationRules> rules) =>
        write.RunAsync(http, attempt => attempt.OnVolunteer(id, volunteer => Decide(volunteer, curriculum.Current, rules.Value, attempt.Now)),
            promoted => Answer.Ok(new PromotionResult(id, promoted.Level, promoted.Capacity, promoted.PromotedAt)));
}
