using Marten;
using WorkingConversations.BuildingBlocks.Volunteers;
using WorkingConversations.Conversations.Assigning;
using WorkingConversations.Conversations.Contracts;
using WorkingConversations.Conversations.Views;

namespace WorkingConversations.Conversations.Practitioners;

/// <summary>A conversation the practitioner scheduled or held, as their own practice: never whom it was with, nor its free text.</summary>
internal sealed record PractitionerConversation(
    Guid ConversationId, DateTimeOffset ScheduledFor, string Mode, string Status, DateTimeOffset? HeldAt, int? DurationMinutes, FidelityRating? Fidelity);

/// <summary>Their caseload as counts: how many participants they hold now and have held.</summary>
internal sealed record PractitionerCaseload(int Active, int Ever);

internal sealed record PractitionerPractice(Practitioner? Standing, PractitionerCaseload Caseload, IReadOnlyList<PractitionerConversation> Conversations);

/// <summary>
/// What Conversations holds about a practitioner, keyed by their practitioner id (which is their volunteer id): their
/// standing, their caseload and their conversations with the fidelity self-ratings. Ids, dates and codes only: the
/// module keeps no name, email or free text of a practitioner, so erasure leaves all of it as the pseudonymous facts the
/// participants' journeys need.
/// </summary>
internal static class PractitionerRecord
{
    public static void Describe(VolunteerCatalog catalog) =>
        catalog.AddExportSection("practice", async (session, subject, ct) =>
        {
            var id = subject.VolunteerId;
            var standing = await session.LoadAsync<Practitioner>(id, ct);
            var assignments = await session.Query<CaseAssignment>().Where(a => a.PractitionerId == id).ToListAsync(ct);
            var conversations = await session.Query<ConversationSummary>().Where(c => c.PractitionerId == id).OrderBy(c => c.ScheduledFor).ToListAsync(ct);
            return new PractitionerPractice(standing, new PractitionerCaseload(assignments.Count(a => a.Active), assignments.Count),
                [.. conversations.Select(c => new PractitionerConversation(c.Id, c.ScheduledFor, c.Mode, c.Status, c.HeldAt, c.DurationMinutes, c.Fidelity))]);
        });
}
