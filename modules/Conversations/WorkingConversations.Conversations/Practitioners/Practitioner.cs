using Marten;
using WorkingConversations.VolunteerTraining.Contracts;

namespace WorkingConversations.Conversations.Practitioners;

internal static class PractitionerStatuses
{
    public const string Cleared = "cleared";
    public const string Suspended = "suspended";
    public const string Withdrawn = "withdrawn";
}

/// <summary>
/// Who may practise, as VolunteerTraining has told this module by message. Never read from that module's documents.
/// <paramref name="ClearedAt"/> is the first clearance (the practitioner's training cohort); null on documents from before it was kept.
/// </summary>
internal sealed record Practitioner(Guid Id, string Programme, int Capacity, string Status, DateTimeOffset UpdatedAt, DateTimeOffset? ClearedAt = null)
{
    public bool MayTakeParticipants => Status == PractitionerStatuses.Cleared;
}

/// <summary>
/// Keeps the practitioner read model in step with VolunteerTraining's messages. The document is versioned: of two
/// messages about one practitioner handled at the same moment, the second to save fails with a concurrency error and
/// Wolverine runs it again on the document the first stored, so both changes stick.
/// </summary>
public static class PractitionerMessagesHandler
{
    public static async Task Handle(PractitionerCleared message, IDocumentSession session)
    {
        var existing = await session.LoadAsync<Practitioner>(message.PractitionerId);
        // A clearance older than what is already known (a redelivery, or a message overtaken by a suspension) must not
        // put a suspended or withdrawn practitioner back to work.
        if (existing is not null && existing.UpdatedAt > message.ClearedAt) return;
        session.Store(new Practitioner(message.PractitionerId, message.Programme, message.Capacity, PractitionerStatuses.Cleared, message.ClearedAt,
            existing?.ClearedAt is { } first && first < message.ClearedAt ? first : message.ClearedAt));
    }

    public static Task Handle(PractitionerSuspended message, IDocumentSession session) =>
        Update(session, message.PractitionerId, p => p with { Status = PractitionerStatuses.Suspended, UpdatedAt = message.SuspendedAt });

    public static Task Handle(PractitionerReinstated message, IDocumentSession session) =>
        Update(session, message.PractitionerId, p => p with { Status = PractitionerStatuses.Cleared, UpdatedAt = message.ReinstatedAt });

    public static Task Handle(PractitionerWithdrawn message, IDocumentSession session) =>
        Update(session, message.PractitionerId, p => p with { Status = PractitionerStatuses.Withdrawn, UpdatedAt = message.WithdrawnAt });

    public static Task Handle(PractitionerCapacityChanged message, IDocumentSession session) =>
        Update(session, message.PractitionerId, p => p with { Capacity = message.Capacity, UpdatedAt = message.ChangedAt });

    private static async Task Update(IDocumentSession session, Guid id, Func<Practitioner, Practitioner> change)
    {
        var practitioner = await session.LoadAsync<Practitioner>(id);
        if (practitioner is not null) session.Store(change(practitioner));
    }
}
