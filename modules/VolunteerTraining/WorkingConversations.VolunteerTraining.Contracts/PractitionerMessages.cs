namespace WorkingConversations.VolunteerTraining.Contracts;

// Messages VolunteerTraining publishes to tell Conversations who may practise. A certified volunteer's id is also
// their practitioner id.

public sealed record PractitionerCleared(Guid PractitionerId, string Programme, int Capacity, DateTimeOffset ClearedAt);

public sealed record PractitionerSuspended(Guid PractitionerId, string Reason, DateTimeOffset SuspendedAt);

public sealed record PractitionerReinstated(Guid PractitionerId, DateTimeOffset ReinstatedAt);

public sealed record PractitionerWithdrawn(Guid PractitionerId, string Reason, DateTimeOffset WithdrawnAt);

public sealed record PractitionerCapacityChanged(Guid PractitionerId, int Capacity, DateTimeOffset ChangedAt);

/// <summary>A volunteer or apprentice was enrolled: Access keeps the id, so that a practitioner key is issued only for someone who exists.</summary>
public sealed record VolunteerRegistered(Guid VolunteerId, DateTimeOffset EnrolledAt);
