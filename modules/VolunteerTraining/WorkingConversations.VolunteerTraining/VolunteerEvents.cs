namespace WorkingConversations.VolunteerTraining;

// Events of a volunteer's own stream (stream type Volunteer). Names and contact details live in the profile document.

public sealed record VolunteerEnrolled(Guid VolunteerId, string Programme, DateTimeOffset EnrolledAt);

public sealed record VolunteerCertified(Guid VolunteerId, string Programme, int Capacity, DateTimeOffset CertifiedAt);
