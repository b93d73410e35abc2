namespace WorkingConversations.VolunteerTraining;

public static class Programmes
{
    public const string Volunteer = "volunteer";
    public const string Apprentice = "apprentice";
    public static readonly string[] All = [Volunteer, Apprentice];
}

/// <summary>A volunteer's training record, folded from their stream.</summary>
public sealed record Volunteer(Guid Id, string Programme, DateTimeOffset EnrolledAt, string Status, DateTimeOffset? CertifiedAt)
{
    public static Volunteer Create(VolunteerEnrolled e) => new(e.VolunteerId, e.Programme, e.EnrolledAt, "in-training", null);

    public Volunteer Apply(VolunteerCertified e) => this with { Status = "certified", CertifiedAt = e.CertifiedAt };
}

/// <summary>Who the volunteer is; personal data kept out of the stream so it can be erased.</summary>
public sealed record VolunteerProfile(Guid Id, string GivenName, string FamilyName, string Email);
