using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using WorkingConversations.BuildingBlocks.Http;
using WorkingConversations.BuildingBlocks.Writing;
using WorkingConversations.VolunteerTraining.Contracts;
using WorkingConversations.VolunteerTraining.Curriculum;

using WorkingConversations.BuildingBlocks.Http.Idempotency;

namespace WorkingConversations.VolunteerTraining.Certifying;

internal sealed record CertifiedVolunteer(Guid Id, string Programme, string Level, int Capacity, DateTimeOffset CertifiedAt);

internal static class CertifyVolunteer
{
    /// <summary>
    /// Pure: certifies only from training (or after a lapse), and only when every requirement is met. The certified
    /// volunteer's id is their practitioner id: Conversations may now assign them.
    /// </summary>
    public static Decision<VolunteerCertified> Decide(Volunteer volunteer, TrainingCurriculum curriculum, CertificationRules rules, DateTimeOffset now)
    {
        if (volunteer.UnderSuspension)
            return Refusal.Conflict("The volunteer is suspended: reinstate them before certifying them again.").With("volunteerStatus", VolunteerStatuses.Suspended);
        if (volunteer.Status is not (VolunteerStatuses.InTraining or VolunteerStatuses.Lapsed))
            return Refusal.Conflict($"The volunteer is {volunteer.Status} and cannot be certified.").With("volunteerStatus", volunteer.Status);

        var unmet = Requirements.ForCertification(volunteer, curriculum, rules, Recording.Today(now)).Where(r => !r.Met).ToList();
        if (unmet.Count > 0) return UnmetRequirements.Refused("Certification requirements not met", unmet);

        var capacity = volunteer.Level == Levels.SeniorPractitioner ? rules.SeniorPractitioner.Capacity : rules.CapacityFor(volunteer.Programme);
        var certified = new VolunteerCertified(volunteer.Id, volunteer.Programme, capacity, now);
        return Decision.Append(certified).Publish(new PractitionerCleared(volunteer.Id, certified.Programme, certified.Capacity, certified.CertifiedAt));
    }

    public static Task<IResult> Handle(Guid id, JsonBody<NoFields> body, HttpContext http, WriteStep write, CurriculumSource curriculum, IOptions<CertificationRules> rules) =>
        write.RunAsync(http, attempt => attempt.OnVolunteer(id, volunteer => Decide(volunteer, curriculum.Current, rules.Value, attempt.Now)
                .Select(c => new CertifiedVolunteer(id, c.Programme, volunteer.Level == Levels.Trainee ? Levels.Practitioner : volunteer.Level, c.Capacity,
                    c.CertifiedAt))),
            Answer.Ok);
}
