using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Http;
using WorkingConversations.BuildingBlocks.Writing;
using WorkingConversations.Referrals.PostingReferral;

namespace WorkingConversations.Referrals.Directory;

/// <summary>A page of services in ORUK's paging fields (snake_case, as ORUK APIs answer).</summary>
internal sealed record OrukPage(
    [property: JsonPropertyName("total_items")] int TotalItems,
    [property: JsonPropertyName("total_pages")] int TotalPages,
    [property: JsonPropertyName("page_number")] int PageNumber,
    [property: JsonPropertyName("size")] int Size,
    [property: JsonPropertyName("first_page")] bool FirstPage,
    [property: JsonPropertyName("last_page")] bool LastPage,
    [property: JsonPropertyName("empty")] bool Empty,
    [property: JsonPropertyName("contents")] JsonObject[] Contents);

/// <summary>
/// Searches the directory's active services: words in the name, description, organisation or taxonomy term names; a
/// taxonomy term id; and a postcode, which matches locations in the same postcode district and, when the directory
/// knows where that postcode is (locations with coordinates in the same postcode, or else in its district), locations
/// within <see cref="NearbyKilometres"/> of it. With a postcode, the nearest services come first; otherwise by name.
/// </summary>
internal static class SearchDirectory
{
    public const int DefaultPerPage = 50;
    public const int MaxPerPage = 500;
    public const double NearbyKilometres = 3;

    public sealed record Query(string? Search, string? TaxonomyTermId, string? Postcode, int Page, int PerPage);

    public static (Query? Query, Refusal? Refusal) Parse(string? search, string? taxonomyTermId, string? postcode, string? page, string? perPage)
    {
        var v = new Validation();
        var pageNumber = 1;
        var size = DefaultPerPage;
        if (page is not null && (!int.TryParse(page, out pageNumber) || pageNumber < 1)) v.Add("page", "must be a whole number from 1.");
        if (perPage is not null && (!int.TryParse(perPage, out size) || size is < 1 or > MaxPerPage)) v.Add("per_page", $"must be a whole number from 1 to {MaxPerPage}.");
        string? district = null;
        if (postcode is not null)
        {
            if (ReferralRules.IsValidUkPostcode(postcode)) district = ReferralRules.NormalisePostcode(postcode);
            else if (IsDistrict(postcode)) district = postcode.Trim().ToUpperInvariant();
            else v.Add("postcode", "must be a UK postcode (L8 1XY) or a postcode district (L8).");
        }

        return v.IsValid
            ? (new Query(string.IsNullOrWhiteSpace(search) ? null : search.Trim(), string.IsNullOrWhiteSpace(taxonomyTermId) ? null : taxonomyTermId.Trim(),
                district, pageNumber, size), null)
            : (null, v.ToRefusal());
    }

    // An outward code: one or two letters, a digit, then a digit or letter at most (L8, CH41, EC1A).
    private static bool IsDistrict(string value) =>
        System.Text.RegularExpressions.Regex.IsMatch(value.Trim(), "^[A-Za-z]{1,2}[0-9][A-Za-z0-9]?$");

    /// <summary>Pure: the services that match the postcode, nearest first, with their distance when known.</summary>
    public static IReadOnlyList<DirectoryService> ByPostcode(IReadOnlyList<DirectoryService> services, IReadOnlyList<DirectoryService> directory, string postcode)
    {
        var district = postcode.Split(' ')[0];
        var exact = postcode.Contains(' ', StringComparison.Ordinal);
        var all = directory.SelectMany(s => s.Locations).Where(l => l.Latitude is not null).ToList();
        var here = all.Where(l => exact && l.Postcode == postcode).ToList();
        if (here.Count == 0) here = all.Where(l => l.District == district).ToList();
        (double Lat, double Lon)? centre = here.Count == 0 ? null : (here.Average(l => l.Latitude!.Value), here.Average(l => l.Longitude!.Value));

        double? Distance(DirectoryService s) => centre is { } c
            ? s.Locations.Where(l => l.Latitude is not null).Select(l => (double?)Kilometres(c, (l.Latitude!.Value, l.Longitude!.Value))).Min()
            : null;

        return services
            .Select(s => (Service: s, Km: Distance(s), InDistrict: s.Districts.Contains(district, StringComparer.Ordinal)))
            .Where(x => x.InDistrict || x.Km <= NearbyKilometres)
            .OrderBy(x => x.Km ?? (x.InDistrict ? 0 : double.MaxValue)).ThenBy(x => x.Service.Name, StringComparer.OrdinalIgnoreCase)
            .Select(x => x.Service).ToList();
    }

    /// <summary>Great-circle distance (haversine), in kilometres.</summary>
    public static double Kilometres((double Lat, double Lon) a, (double Lat, double Lon) b)
    {
        static double Radians(double degrees) => degrees * Math.PI / 180;
        var dLat = Radians(b.Lat - a.Lat);
        var dLon = Radians(b.Lon - a.Lon);
        var h = Math.Pow(Math.Sin(dLat / 2), 2) + Math.Cos(Radians(a.Lat)) * Math.Cos(Radians(b.Lat)) * Math.Pow(Math.Sin(dLon / 2), 2);
        return 2 * 6371.0088 * Math.Asin(Math.Sqrt(h));
    }

    /// <summary>Pure: one page of <paramref name="matches"/> in ORUK's paging fields.</summary>
    public static OrukPage PageOf(IReadOnlyList<DirectoryService> matches, int page, int perPage)
    {
        var totalPages = Math.Max(1, (int)Math.Ceiling(matches.Count / (double)perPage));
        var contents = matches.Skip((page - 1) * perPage).Take(perPage).Select(s => s.Oruk.DeepClone().AsObject()).ToArray();
        return new OrukPage(matches.Count, totalPages, page, contents.Length, page == 1, page >= totalPages, contents.Length == 0, contents);
    }

    public static async Task<IResult> Handle(string? search, [FromQuery(Name = "taxonomy_term_id")] string? taxonomyTermId, string? postcode,
        string? page, [FromQuery(Name = "per_page")] string? perPage, IQuerySession session, CancellationToken ct)
    {
        var (query, refusal) = Parse(search, taxonomyTermId, postcode, page, perPage);
        if (query is null) return refusal!.ToProblem();

        var candidates = session.Query<DirectoryService>().Where(s => s.Status == "active");
        if (query.TaxonomyTermId is { } term) candidates = candidates.Where(s => s.TaxonomyTermIds.Contains(term));
        var found = (await candidates.ToListAsync(ct)).AsEnumerable();
        if (query.Search is { } words)
        {
            var terms = words.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            found = found.Where(s => terms.All(t => s.SearchText.Contains(t, StringComparison.Ordinal)));
        }

        IReadOnlyList<DirectoryService> matches = [.. found.OrderBy(s => s.Name, StringComparer.OrdinalIgnoreCase)];
        if (query.Postcode is { } code)
        {
            var directory = await session.Query<DirectoryService>().ToListAsync(ct);
            matches = ByPostcode(matches, directory, code);
        }

        return TypedResults.Ok(PageOf(matches, query.Page, query.PerPage));
    }
}
