using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using WorkingConversations.Referrals.Tests.Api;

namespace WorkingConversations.Referrals.Tests.Fhir;

/// <summary>
/// The referral message of Fhir/Bundles/referral-request.json (entries: 0 MessageHeader, 1 ServiceRequest, 2 Patient,
/// 3 Consent, 4 Organization), made fresh for each test: its own Bundle id, NHS number and family name.
/// </summary>
internal static class FhirBundles
{
    public const string MediaType = "application/fhir+json";

    public static JsonObject Referral(string? nhsNumber = null, string? familyName = null)
    {
        var bundle = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fhir", "Bundles", "referral-request.json")))!.AsObject();
        bundle["id"] = Guid.NewGuid().ToString();
        Patient(bundle)["identifier"]![0]!["value"] = nhsNumber ?? People.NhsNumber();
        Patient(bundle)["name"]![0]!["family"] = familyName ?? People.FamilyName();
        return bundle;
    }

    public static JsonObject Resource(JsonObject bundle, int entry) => bundle["entry"]![entry]!["resource"]!.AsObject();

    public static JsonObject Header(JsonObject bundle) => Resource(bundle, 0);

    public static JsonObject ServiceRequest(JsonObject bundle) => Resource(bundle, 1);

    public static JsonObject Patient(JsonObject bundle) => Resource(bundle, 2);

    public static JsonObject Consent(JsonObject bundle) => Resource(bundle, 3);

    public static async Task<(int Status, JsonElement Body, HttpResponseMessage Response)> PostMessage(this HttpClient client, JsonNode bundle) =>
        await client.PostMessage(bundle.ToJsonString());

    public static async Task<(int Status, JsonElement Body, HttpResponseMessage Response)> PostMessage(this HttpClient client, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(MediaType);
        var response = await client.PostAsync("/fhir/R4/$process-message", content);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone(), response);
    }

    public static async Task<(int Status, JsonElement Body)> GetFhir(this HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    /// <summary>The ServiceRequest that a response message is about (its focus, the second entry).</summary>
    public static JsonElement FocusOf(JsonElement response) => response.GetProperty("entry")[1].GetProperty("resource");

    public static string[] Expressions(JsonElement outcome) =>
        outcome.GetProperty("issue").EnumerateArray()
            .SelectMany(i => i.TryGetProperty("expression", out var e) ? e.EnumerateArray().Select(x => x.GetString()!) : []).ToArray();

    public static string[] IssueCodes(JsonElement outcome) =>
        outcome.GetProperty("issue").EnumerateArray().Select(i => i.GetProperty("code").GetString()!).ToArray();
}
