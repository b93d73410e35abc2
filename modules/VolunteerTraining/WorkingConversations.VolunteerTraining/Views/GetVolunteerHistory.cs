using System.Globalization;
using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Auth;

namespace WorkingConversations.VolunteerTraining.Views;

internal sealed record RecordedBy(string Role, Guid KeyId, string Name);

internal sealed record VolunteerHistoryItem(long Version, string Type, DateTimeOffset At, string Summary, RecordedBy RecordedBy, string? CorrelationId);

internal sealed record VolunteerHistory(Guid VolunteerId, IReadOnlyList<VolunteerHistoryItem> Items);

/// <summary>
/// A volunteer's own timeline, oldest first, with who recorded each step. Volunteer events are not participant journey
/// events, so this is the volunteer's history, not a participant's.
/// </summary>
internal static class GetVolunteerHistory
{
    /// <summary>Pure. Summaries carry facts only, never the protected free text (notes, reasons, names).</summary>
    public static string Summarise(object data) => data switch
    {
        VolunteerEnrolled e => $"Enrolled on the {e.Programme} programme",
        ModuleAssessed e => $"Module {e.ModuleCode} {(e.Passed ? "passed" : "not passed")}" + (e.Score is { } s ? $" (score {s})" : "") + $", assessed {Iso(e.AssessedOn)}",
        PracticeHoursLogged e => $"{e.Hours.ToString("0.##", CultureInfo.InvariantCulture)} supervised practice hours on {Iso(e.On)}",
        SupervisionSessionRecorded e => $"Supervision session on {Iso(e.On)}" +
                                        (e.FidelityItemsDiscussed is { Length: > 0 } items ? $"; fidelity items discussed: {string.Join(", ", items)}" : ""),
        DbsCheckRecorded e => $"{e.Level} DBS check issued {Iso(e.IssuedOn)}, {e.Eligibility}, " +
                              (e.UpdateService ? "on the update service" : $"valid until {Iso(e.ValidUntil!.Value)}"),
        VolunteerCertified e => $"Certified as a practitioner, capacity {e.Capacity}",
        ApprenticePromoted e => $"Promoted to {e.Level}, capacity {e.Capacity}",
        CapacityChanged e => $"Capacity set to {e.Capacity}",
        VolunteerSuspended => "Suspended",
        VolunteerReinstated => "Reinstated",
        VolunteerWithdrawn => "Withdrawn from the programme",
        ClearanceLapsed e => $"Clearance withdrawn: {e.Reason}",
        VolunteerErased => "Erased: name, email and free text deleted; the training facts kept",
        _ => data.GetType().Name,
    };

    public static VolunteerHistoryItem Present(IEvent e)
    {
        var actor = Actor.Parse(e.UserName);
        return new VolunteerHistoryItem(e.Version, e.EventTypeName, e.Timestamp, Summarise(e.Data), new RecordedBy(actor.Role, actor.KeyId, actor.Name), e.CorrelationId);
    }

    public static async Task<Results<Ok<VolunteerHistory>, ProblemHttpResult>> Handle(Guid id, HttpContext http, IQuerySession session, CancellationToken ct)
    {
        var actor = Actor.From(http.User);
        if (actor.IsIn(Roles.Practitioner) && actor.PractitionerId != id) return Problem.NotFound($"No volunteer has the id {id}.");
        var events = await session.Events.FetchStreamAsync(id, token: ct);
        if (events.Count == 0 || events[0].Data is not VolunteerEnrolled) return Problem.NotFound($"No volunteer has the id {id}.");
        return TypedResults.Ok(new VolunteerHistory(id, [.. events.Select(Present)]));
    }

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
