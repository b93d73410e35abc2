using Marten;
using WorkingConversations.VolunteerTraining.Contracts;

namespace WorkingConversations.Outcomes.Cohorts;

/// <summary>
/// The training cohort of a practitioner, as VolunteerTraining told this module when it cleared them (ADR 0001: a copy
/// of what another module publishes, never a read of its documents): the programme they trained on and when they were
/// first certified. The practitioner cohorts report ties each episode's outcome to it.
/// </summary>
public sealed record PractitionerCohort(Guid Id, string Programme, DateTimeOffset CertifiedAt)
{
    /// <summary>The quarter of certification in UTC, as the report writes it: <c>2026-Q1</c>.</summary>
    public string Quarter => $"{CertifiedAt.UtcDateTime.Year}-Q{(CertifiedAt.UtcDateTime.Month - 1) / 3 + 1}";
}

/// <summary>
/// Keeps the first certification of each practitioner: a redelivered or later clearance (after a promotion, say) does
/// not move them to another cohort.
/// </summary>
public static class PractitionerCohortHandler
{
    public static async Task Handle(PractitionerCleared message, IDocumentSession session)
    {
        var known = await session.LoadAsync<PractitionerCohort>(message.PractitionerId);
        if (known is not null && known.CertifiedAt <= message.ClearedAt) return;
        session.Store(new PractitionerCohort(message.PractitionerId, message.Programme, message.ClearedAt));
    }
}
