using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace WorkingConversations.VolunteerTraining.Views;

public sealed record ProgrammePipeline(
    string Programme, int Enrolled, int InTraining, int Certified, int Suspended, int Lapsed, int Withdrawn, int EverCertified, double? MedianDaysToCertify);

public sealed record Pipeline(IReadOnlyList<ProgrammePipeline> Programmes);

internal static class GetPipeline
{
    /// <summary>
    /// Pure. Counts are of where people stand now; the median is over everyone ever certified, from enrolment to their
    /// first certification, so a later lapse or withdrawal does not rewrite how long training took.
    /// </summary>
    public static Pipeline Summarise(IReadOnlyCollection<VolunteerSummary> volunteers) =>
        new([.. VolunteerTraining.Programmes.All.Select(programme =>
        {
            var mine = volunteers.Where(v => v.Programme == programme).ToList();
            int Count(string status) => mine.Count(v => v.Status == status);
            var days = mine.Where(v => v.FirstCertifiedAt is not null)
                .Select(v => (v.FirstCertifiedAt!.Value - v.EnrolledAt).TotalDays).Order().ToList();
            return new ProgrammePipeline(programme, mine.Count, Count(VolunteerStatuses.InTraining), Count(VolunteerStatuses.Certified),
                Count(VolunteerStatuses.Suspended), Count(VolunteerStatuses.Lapsed), Count(VolunteerStatuses.Withdrawn), days.Count, Median(days));
        })]);

    public static double? Median(IReadOnlyList<double> sorted) =>
        sorted.Count == 0 ? null
        : sorted.Count % 2 == 1 ? Math.Round(sorted[sorted.Count / 2], 1)
        : Math.Round((sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2, 1);

    public static async Task<Ok<Pipeline>> Handle(IQuerySession session, CancellationToken ct) =>
        TypedResults.Ok(Summarise(await session.Query<VolunteerSummary>().ToListAsync(ct)));
}
