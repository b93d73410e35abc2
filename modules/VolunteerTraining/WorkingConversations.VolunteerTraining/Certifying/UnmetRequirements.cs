using WorkingConversations.BuildingBlocks.Writing;

namespace WorkingConversations.VolunteerTraining.Certifying;

internal sealed record UnmetRequirement(string Requirement, string Description, string Current, string Needed);

internal static class UnmetRequirements
{
    /// <summary>
    /// 422 listing every unmet requirement at once, both as <c>unmet</c> (for programs) and as <c>errors</c> keyed by requirement
    /// (the shape every validation problem has), so a trainer sees the whole gap, not the first hole in it.
    /// </summary>
    public static Refusal Refused(string title, IReadOnlyList<RequirementStatus> unmet) =>
        Refusal.Unprocessable(title,
                $"{unmet.Count} requirement{(unmet.Count == 1 ? " is" : "s are")} not met: {string.Join("; ", unmet.Select(u => u.Description))}.")
            .With("unmet", unmet.Select(u => new UnmetRequirement(u.Requirement, u.Description, u.Current, u.Needed)).ToArray()) with
            {
                Errors = unmet.ToDictionary(u => u.Requirement, u => new[] { $"{u.Description}: has {u.Current}, needs {u.Needed}." }, StringComparer.Ordinal),
            };
}
