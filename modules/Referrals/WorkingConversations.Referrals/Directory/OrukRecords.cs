using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using WorkingConversations.Referrals.PostingReferral;

namespace WorkingConversations.Referrals.Directory;

/// <summary>
/// Pure: reads one full ORUK service object (the shape of ORUK's <c>GET /services/{id}</c>: organization,
/// service_at_locations with their location and its addresses, and attributes with their taxonomy_term nested) into a
/// <see cref="DirectoryService"/>, or says what is wrong with it, each problem at its path.
/// </summary>
internal static class OrukRecords
{
    /// <summary>HSDS 3.0 service statuses.</summary>
    public static readonly string[] Statuses = ["active", "inactive", "defunct", "temporarily closed"];

    public static (DirectoryService? Service, List<DirectoryImportProblem> Problems) Read(JsonNode? node, string path, DateTimeOffset now)
    {
        var problems = new List<DirectoryImportProblem>();
        if (node is not JsonObject service)
        {
            problems.Add(new(path, "must be a service object."));
            return (null, problems);
        }

        var id = Text(service, "id", path, problems, required: true);
        var name = Text(service, "name", path, problems, required: true);
        var status = Text(service, "status", path, problems, required: true);
        if (status is not null && !Statuses.Contains(status, StringComparer.Ordinal))
        {
            problems.Add(new($"{path}.status", $"must be one of {string.Join(", ", Statuses)}."));
        }

        var description = Text(service, "description", path, problems, required: false);
        string? organizationName = null;
        if (service["organization"] is { } organization)
        {
            if (organization is JsonObject org) organizationName = Text(org, "name", $"{path}.organization", problems, required: true);
            else problems.Add(new($"{path}.organization", "must be an organization object."));
        }

        var locations = new List<DirectoryLocation>();
        foreach (var (item, i) in Items(service, "service_at_locations", path, problems))
        {
            var at = $"{path}.service_at_locations[{i}]";
            if (item is not JsonObject sal || sal["location"] is not JsonObject location)
            {
                problems.Add(new($"{at}.location", "is required: the location object, nested."));
                continue;
            }

            if (Location(location, $"{at}.location", problems) is { } read) locations.Add(read);
        }

        var terms = new List<(string Id, string? Name)>();
        foreach (var (item, i) in Items(service, "attributes", path, problems))
        {
            var at = $"{path}.attributes[{i}]";
            if (item is not JsonObject attribute) { problems.Add(new(at, "must be an attribute object.")); continue; }
            if (attribute["taxonomy_term"] is null) continue;
            if (attribute["taxonomy_term"] is not JsonObject term) { problems.Add(new($"{at}.taxonomy_term", "must be a taxonomy term object.")); continue; }
            var termId = Text(term, "id", $"{at}.taxonomy_term", problems, required: true);
            if (termId is not null) terms.Add((termId, Text(term, "name", $"{at}.taxonomy_term", problems, required: false)));
        }

        if (problems.Count > 0) return (null, problems);
        var raw = service.ToJsonString();
        var searchText = string.Join(' ', new[] { name, description, organizationName }.Concat(terms.Select(t => t.Name)).OfType<string>()).ToLowerInvariant();
        return (new DirectoryService(id!, name!, description, status!, organizationName, [.. terms.Select(t => t.Id).Distinct()], [.. locations],
            searchText, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(raw))), service.DeepClone().AsObject(), now), problems);
    }

    private static DirectoryLocation? Location(JsonObject location, string path, List<DirectoryImportProblem> problems)
    {
        var id = Text(location, "id", path, problems, required: true);
        var name = Text(location, "name", path, problems, required: false);
        var latitude = Number(location, "latitude", path, problems, -90, 90);
        var longitude = Number(location, "longitude", path, problems, -180, 180);
        if (latitude.HasValue != longitude.HasValue) problems.Add(new(path, "must have both latitude and longitude, or neither."));

        string? postcode = null;
        foreach (var (item, i) in Items(location, "addresses", path, problems))
        {
            if (item is not JsonObject address) { problems.Add(new($"{path}.addresses[{i}]", "must be an address object.")); continue; }
            var code = Text(address, "postal_code", $"{path}.addresses[{i}]", problems, required: false);
            if (code is null) continue;
            if (!ReferralRules.IsValidUkPostcode(code)) problems.Add(new($"{path}.addresses[{i}].postal_code", "must be a valid UK postcode such as L8 1XY."));
            else postcode ??= ReferralRules.NormalisePostcode(code);
        }

        return id is null ? null : new DirectoryLocation(id, name, postcode, postcode?.Split(' ')[0], latitude, longitude);
    }

    private static IEnumerable<(JsonNode? Item, int Index)> Items(JsonObject parent, string property, string path, List<DirectoryImportProblem> problems)
    {
        var value = parent[property];
        if (value is null) return [];
        if (value is JsonArray array) return array.Select((item, i) => (item, i)).ToList();
        problems.Add(new($"{path}.{property}", "must be an array."));
        return [];
    }

    private static string? Text(JsonObject parent, string property, string path, List<DirectoryImportProblem> problems, bool required)
    {
        var value = parent[property];
        if (value is null)
        {
            if (required) problems.Add(new($"{path}.{property}", "is required."));
            return null;
        }

        if (value.GetValueKind() != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetValue<string>()))
        {
            problems.Add(new($"{path}.{property}", "must be a non-empty string."));
            return null;
        }

        return value.GetValue<string>().Trim();
    }

    private static double? Number(JsonObject parent, string property, string path, List<DirectoryImportProblem> problems, double min, double max)
    {
        var value = parent[property];
        if (value is null) return null;
        // Some publishers send coordinates as strings ("53.39"); both are read.
        double? number = value.GetValueKind() switch
        {
            JsonValueKind.Number => value.GetValue<double>(),
            JsonValueKind.String when double.TryParse(value.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        };
        if (number is null || number < min || number > max)
        {
            problems.Add(new($"{path}.{property}", string.Create(CultureInfo.InvariantCulture, $"must be a number from {min} to {max}.")));
            return null;
        }

        return number;
    }
}
