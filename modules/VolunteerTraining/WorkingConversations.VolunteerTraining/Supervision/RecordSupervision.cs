using Microsoft.AspNetCore.Http;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Http;
using WorkingConversations.BuildingBlocks.Writing;
using WorkingConversations.Conversations.Contracts;

using WorkingConversations.BuildingBlocks.Http.Idempotency;

namespace WorkingConversations.VolunteerTraining.Supervision;

internal sealed record SupervisionRequest(string? Supervisor, DateOnly? On, string? Note, string[]? FidelityItemsDiscussed = null);

internal sealed record SupervisionTotal(Guid VolunteerId, int Sessions);

internal static class RecordSupervision
{
    public static Validation Validate(SupervisionRequest r, DateOnly today)
    {
        var v = new Validation();
        v.RequiredText("supervisor", r.Supervisor, 200);
        Recording.NotInFuture(v, "on", r.On, today);
        v.OptionalText("note", r.Note, 2000);
        if (r.FidelityItemsDiscussed is { } items)
        {
            for (var i = 0; i < items.Length; i++) v.OneOf($"fidelityItemsDiscussed[{i}]", items[i], FidelityItems.All);
            if (items.Distinct(StringComparer.Ordinal).Count() != items.Length) v.Add("fidelityItemsDiscussed", "must name each item once.");
        }

        return v;
    }

    public static Decision<SupervisionTotal> Decide(Volunteer volunteer, SupervisionRequest r, DateTimeOffset now)
    {
        if (Recording.Refuse(volunteer) is { } refused) return refused;
        var note = string.IsNullOrWhiteSpace(r.Note) ? null : r.Note.Trim();
        return Decision.Of(new SupervisionTotal(volunteer.Id, volunteer.SupervisionSessions + 1))
            .Append(new SupervisionSessionRecorded(volunteer.Id, r.Supervisor!.Trim(), r.On!.Value, note, now,
                r.FidelityItemsDiscussed is { Length: > 0 } items ? [.. FidelityItems.All.Where(items.Contains)] : null));
    }

    public static Task<IResult> Handle(Guid id, JsonBody<SupervisionRequest> body, HttpContext http, WriteStep write, TimeProvider clock) =>
        write.RunAsync(http, Validate(body.Read, Recording.Today(clock)),
            attempt => attempt.OnVolunteer(id, volunteer => Decide(volunteer, body.Read, attempt.Now)), Answer.Ok);
}
