using Marten;
using Microsoft.AspNetCore.Http;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Http;
using WorkingConversations.BuildingBlocks.Http.Idempotency;
using WorkingConversations.BuildingBlocks.Volunteers;
using WorkingConversations.BuildingBlocks.Writing;

namespace WorkingConversations.VolunteerTraining.Erasing;

internal sealed record VolunteerErasureAccepted(Guid VolunteerId, string[] Steps, DateTimeOffset ErasedAt);

/// <summary>
/// A volunteer's right to erasure. The erasure event is appended to their stream (who erased, when: the write audit);
/// then their profile (name, email) is deleted, the free text of their stream masked in place, the name stamped on
/// what they recorded masked in every stream, and each module's steps run over what it holds keyed by their
/// practitioner id. Training facts (dates, hours, modules, DBS facts, certification) and the id stay, so participants'
/// journeys keep the practitioner as a pseudonym and the pipeline keeps counting. Repeating it finishes or repeats the
/// same work and appends nothing.
/// </summary>
internal static class EraseVolunteer
{
    public const string MaskedHeader = "erased";

    private static readonly string[] OwnSteps =
    [
        "volunteer-training: profile (name and email) deleted",
        "volunteer-training: notes, reasons and the names around them masked",
        "events: the name stamped on what they recorded masked",
    ];

    public static string[] Steps(VolunteerCatalog catalog) => [.. OwnSteps, .. catalog.ErasureSteps.Select(s => s.Name)];

    /// <summary>
    /// Pure: only someone who has left the programme is erased (withdrawal first tells Conversations to stop assigning
    /// them); a volunteer already erased is answered with that erasure, and nothing is appended.
    /// </summary>
    public static Decision<VolunteerErasureAccepted> Decide(Volunteer volunteer, string[] steps, DateTimeOffset now)
    {
        if (volunteer.Erasure is { } done) return Decision.Of(new VolunteerErasureAccepted(volunteer.Id, done.Steps, done.ErasedAt));
        if (volunteer.Status != VolunteerStatuses.Withdrawn)
            return Refusal.Conflict("Only a volunteer who has withdrawn from the programme can be erased: withdraw them first, so nobody is assigned to them.")
                .With("volunteerStatus", volunteer.Status);
        var erased = new VolunteerErased(volunteer.Id, steps, now);
        return Decision.Of(new VolunteerErasureAccepted(volunteer.Id, steps, now)).Append(erased);
    }

    public static Task<IResult> Handle(Guid id, JsonBody<NoFields> body, HttpContext http, WriteStep write, VolunteerCatalog catalog) =>
        write.RunAsync(http, attempt => attempt.OnVolunteer(id, volunteer => Decide(volunteer, Steps(catalog), attempt.Now)),
            accepted => Answer.Accepted($"/api/v1/volunteers/{id}", accepted), Options(id, catalog));

    /// <summary>The masking and deleting after the erasure event, the same for the API and the page.</summary>
    public static WriteOptions Options(Guid id, VolunteerCatalog catalog) => new() { AfterCommit = attempt => MaskAndErase(attempt, id, catalog) };

    /// <summary>After the erasure event: the same work every time, each part idempotent, so a repeat finishes what a failure left.</summary>
    private static async Task MaskAndErase(WriteAttempt attempt, Guid id, VolunteerCatalog catalog)
    {
        var session = attempt.Session;
        var ct = attempt.Cancellation;
        var subject = await Subject(session, catalog, id, ct);

        await session.DocumentStore.Advanced.ApplyEventDataMasking(x => x.IncludeStream(id).AddHeader(MaskedHeader, true), ct);
        session.Delete<VolunteerProfile>(id);
        EventActors.MaskNames(session, subject);
        foreach (var step in catalog.ErasureSteps) await step.Erase(new VolunteerErasureContext(session, attempt.Services, subject, attempt.Now, ct));
        await session.SaveChangesAsync(ct);
    }

    /// <summary>The volunteer, the keys that act for them, and every name those keys' work was stamped with, theirs included.</summary>
    public static async Task<VolunteerSubject> Subject(IQuerySession session, VolunteerCatalog catalog, Guid id, CancellationToken ct)
    {
        var profile = await session.LoadAsync<VolunteerProfile>(id, ct);
        var actors = await catalog.ActorsOf(session, id, ct);
        string[] own = profile is null ? [] : [$"{profile.GivenName} {profile.FamilyName}", profile.Email];
        var names = own.Concat(actors.Select(a => a.Name)).Where(n => n.Length > 0 && n != ProtectedText.Masked).Distinct(StringComparer.Ordinal).ToList();
        return new VolunteerSubject(id, [.. actors.Select(a => a.KeyId).Distinct()], names);
    }
}
