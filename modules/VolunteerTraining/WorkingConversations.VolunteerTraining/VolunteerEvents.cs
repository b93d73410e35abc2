namespace WorkingConversations.VolunteerTraining;

// Events of a volunteer's own stream (stream type Volunteer). They are not participant journey events. Names and contact
// details live in the profile document; the free text here (names of assessors and supervisors, notes, reasons) is masked
// on erasure by the rules in VolunteerTrainingModule.

public sealed record VolunteerEnrolled(Guid VolunteerId, string Programme, DateTimeOffset EnrolledAt);

internal sealed record ModuleAssessed(Guid VolunteerId, string ModuleCode, bool Passed, int? Score, string AssessedBy, DateOnly AssessedOn, DateTimeOffset RecordedAt);

internal sealed record PracticeHoursLogged(Guid VolunteerId, decimal Hours, string SupervisedBy, DateOnly On, DateTimeOffset LoggedAt);

/// <summary><c>FidelityItemsDiscussed</c>: the fidelity items (Conversations' codes) the session discussed; null before they were recorded.</summary>
internal sealed record SupervisionSessionRecorded(Guid VolunteerId, string Supervisor, DateOnly On, string? Note, DateTimeOffset RecordedAt, string[]? FidelityItemsDiscussed = null);

/// <summary>
/// The facts of a DBS check, never the certificate's content. <c>ValidUntil</c> is fixed when the check is recorded (issue
/// date plus the validity then configured); null when the check is kept current on the update service.
/// </summary>
internal sealed record DbsCheckRecorded(
    Guid VolunteerId, string Eligibility, string Level, DateOnly IssuedOn, bool UpdateService, DateOnly? ValidUntil, DateTimeOffset RecordedAt);

public sealed record VolunteerCertified(Guid VolunteerId, string Programme, int Capacity, DateTimeOffset CertifiedAt);

public sealed record ApprenticePromoted(Guid VolunteerId, string Level, int Capacity, DateTimeOffset PromotedAt);

public sealed record VolunteerSuspended(Guid VolunteerId, string Reason, DateTimeOffset SuspendedAt);

public sealed record VolunteerReinstated(Guid VolunteerId, string Reason, DateTimeOffset ReinstatedAt);

public sealed record VolunteerWithdrawn(Guid VolunteerId, string Reason, DateTimeOffset WithdrawnAt);

/// <summary>
/// The clearance went because the DBS check behind it no longer stands: it ran out (a scheduled message did this on the
/// day; nobody acted), or a newer check recorded for the practitioner is not acceptable. <c>Reason</c> is a fixed phrase
/// of the service, not free text.
/// </summary>
public sealed record ClearanceLapsed(Guid VolunteerId, string Reason, DateOnly? DbsValidUntil, DateTimeOffset LapsedAt);

/// <summary>A trainer set how many participants the practitioner may hold, for a reason (protected text).</summary>
internal sealed record CapacityChanged(Guid VolunteerId, int Capacity, string Reason, DateTimeOffset ChangedAt);

/// <summary>
/// The volunteer was erased: their profile deleted, the free text of their stream and the names around them masked, and
/// the modules' <c>Steps</c> done. The training facts stay; the id stays as the pseudonym participants' journeys keep.
/// </summary>
internal sealed record VolunteerErased(Guid VolunteerId, string[] Steps, DateTimeOffset ErasedAt);
