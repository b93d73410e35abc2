using Marten.Events.Aggregation;
using WorkingConversations.BuildingBlocks.Operations.Projections;

namespace WorkingConversations.VolunteerTraining.Views;

/// <summary>One row per volunteer for the pipeline: where they stand and how long certification took. Kept inline with the stream.</summary>
public sealed record VolunteerSummary(Guid Id, string Programme, string Status, string Level, DateTimeOffset EnrolledAt, DateTimeOffset? FirstCertifiedAt);

public partial class VolunteerSummaryProjection : SingleStreamProjection<VolunteerSummary, Guid>, IFoldsWithinOneStream
{
    public VolunteerSummary Create(VolunteerEnrolled e) =>
        new(e.VolunteerId, e.Programme, VolunteerStatuses.InTraining, Levels.Trainee, e.EnrolledAt, null);

    public VolunteerSummary Apply(VolunteerCertified e, VolunteerSummary s) => s with
    {
        Status = VolunteerStatuses.Certified,
        Level = s.Level == Levels.Trainee ? Levels.Practitioner : s.Level,
        FirstCertifiedAt = s.FirstCertifiedAt ?? e.CertifiedAt,
    };

    public VolunteerSummary Apply(ApprenticePromoted e, VolunteerSummary s) => s with { Level = e.Level };

    public VolunteerSummary Apply(VolunteerSuspended e, VolunteerSummary s) => s with { Status = VolunteerStatuses.Suspended };

    public VolunteerSummary Apply(VolunteerReinstated e, VolunteerSummary s) => s with { Status = VolunteerStatuses.Certified };

    public VolunteerSummary Apply(VolunteerWithdrawn e, VolunteerSummary s) => s with { Status = VolunteerStatuses.Withdrawn };

    public VolunteerSummary Apply(ClearanceLapsed e, VolunteerSummary s) => s with { Status = VolunteerStatuses.Lapsed };
}
