using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Auth;
using WorkingConversations.VolunteerTraining.Certifying;
using WorkingConversations.VolunteerTraining.Curriculum;

namespace WorkingConversations.VolunteerTraining.Views;

public sealed record ModuleProgress(string Code, string Title, bool Required, int? PassMark, bool Passed, int? BestScore, int Attempts, DateOnly? LastAssessedOn);

public sealed record Progress(string Towards, bool Ready, IReadOnlyList<RequirementStatus> Requirements);

public sealed record VolunteerProgress(
    Guid Id, string GivenName, string FamilyName, string Email, string Programme, string Status, string Level, int Capacity,
    DateTimeOffset EnrolledAt, DateTimeOffset? CertifiedAt, decimal PracticeHours, int SupervisionSessions, DbsCheck? Dbs,
    IReadOnlyList<ModuleProgress> Modules, Progress? Next);

internal static class GetVolunteer
{
    /// <summary>Pure: every module, and every requirement of the next step (certification, or senior practitioner for an apprentice).</summary>
    public static VolunteerProgress Present(Volunteer v, VolunteerProfile profile, TrainingCurriculum curriculum, CertificationRules rules, DateOnly today)
    {
        var nextTarget = v.Status switch
        {
            VolunteerStatuses.InTraining or VolunteerStatuses.Lapsed => Levels.Practitioner,
            VolunteerStatuses.Certified when v.Programme == Programmes.Apprentice && v.Level == Levels.Practitioner => Levels.SeniorPractitioner,
            _ => null,
        };
        var requirements = nextTarget switch
        {
            Levels.Practitioner => Requirements.ForCertification(v, curriculum, rules, today),
            Levels.SeniorPractitioner => Requirements.ForSeniorPractitioner(v, curriculum, rules, today),
            _ => null,
        };
        var requiredCodes = curriculum.RequiredFor(v.Programme).Concat(v.Programme == Programmes.Apprentice ? curriculum.RequiredFor(Levels.SeniorPractitioner) : [])
            .Select(m => m.Code).ToHashSet(StringComparer.Ordinal);
        var modules = curriculum.Modules
            .Where(m => requiredCodes.Contains(m.Code) || v.Modules.ContainsKey(m.Code))
            .Select(m =>
            {
                var r = v.Modules.GetValueOrDefault(m.Code);
                return new ModuleProgress(m.Code, m.Title, requiredCodes.Contains(m.Code), m.PassMark, r?.Passed == true, r?.BestScore, r?.Attempts ?? 0, r?.LastAssessedOn);
            })
            .ToList();
        return new VolunteerProgress(v.Id, profile.GivenName, profile.FamilyName, profile.Email, v.Programme, v.Status, v.Level, v.Capacity,
            v.EnrolledAt, v.CertifiedAt, v.PracticeHours, v.SupervisionSessions, v.Dbs, modules,
            requirements is null ? null : new Progress(nextTarget!, requirements.All(r => r.Met), requirements));
    }

    /// <summary>Trainers read anyone; a practitioner reads only their own record (another's is "not found").</summary>
    public static async Task<Results<Ok<VolunteerProgress>, ProblemHttpResult>> Handle(
        Guid id, HttpContext http, IQuerySession session, CurriculumSource curriculum, IOptions<CertificationRules> rules, TimeProvider clock,
        CancellationToken ct)
    {
        var actor = Actor.From(http.User);
        if (actor.IsIn(Roles.Practitioner) && actor.PractitionerId != id) return Problem.NotFound($"No volunteer has the id {id}.");
        return await Load(session, id, curriculum.Current, rules.Value, Recording.Today(clock), ct) is { } progress
            ? TypedResults.Ok(progress)
            : Problem.NotFound($"No volunteer has the id {id}.");
    }

    /// <summary>A volunteer's progress now, or null when there is none: the API's answer and the trainers' page.</summary>
    public static async Task<VolunteerProgress?> Load(IQuerySession session, Guid id, TrainingCurriculum curriculum, CertificationRules rules, DateOnly today,
        CancellationToken ct)
    {
        var volunteer = await session.Events.AggregateStreamAsync<Volunteer>(id, token: ct);
        var profile = await session.LoadAsync<VolunteerProfile>(id, ct);
        if (volunteer is null) return null;
        // An erased volunteer's facts stay readable, without who they were.
        if (profile is null && volunteer.Erasure is null) return null;
        return Present(volunteer, profile ?? VolunteerProfile.Erased(id), curriculum, rules, today);
    }
}
