using System.Text.Json.Nodes;

namespace WorkingConversations.Referrals.Directory;

/// <summary>
/// A service of the directory, as an Open Referral UK (HSDS 3.0 UK profile) dataset published it: the full service
/// object kept as it came (<see cref="Oruk"/>, served back by search), and what search needs drawn out of it. The id is
/// the dataset's own, so a re-import of the same service replaces it.
/// </summary>
internal sealed record DirectoryService(
    string Id,
    string Name,
    string? Description,
    string Status,
    string? OrganizationName,
    string[] TaxonomyTermIds,
    DirectoryLocation[] Locations,
    string SearchText,
    string ContentHash,
    JsonObject Oruk,
    DateTimeOffset ImportedAt)
{
    /// <summary>The postcode districts of its locations (L8, CH41), for search by postcode.</summary>
    public string[] Districts { get; init; } = [.. Locations.Select(l => l.District).OfType<string>().Distinct()];
}

/// <summary>A location a service is delivered at: its normalised postcode and district, and coordinates when the dataset has them.</summary>
internal sealed record DirectoryLocation(string Id, string? Name, string? Postcode, string? District, double? Latitude, double? Longitude);

/// <summary>What an import did: services added, changed and removed (by id), and the records it rejected, each with its path.</summary>
internal sealed record DirectoryImportReport(int Added, int Changed, int Removed, int Unchanged, DirectoryImportProblem[] Rejected);

internal sealed record DirectoryImportProblem(string Path, string Problem);
