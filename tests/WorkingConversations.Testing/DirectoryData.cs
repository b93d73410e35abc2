using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WorkingConversations.Testing;

/// <summary>
/// A small Merseyside-like directory in the ORUK service shape (Directory/merseyside-services.json): seven services,
/// six active, one defunct; one without coordinates. Each copy gets ids of its own, so tests that share a database do
/// not import over each other's services.
/// </summary>
public static class DirectoryData
{
    public const string ToxtethWalking = "Toxteth Tuesday Walking Group";
    public const string DingleLarder = "Dingle Community Larder";
    public const string AigburthCarers = "Aigburth Carers' Circle";
    public const string KensingtonMoney = "Kensington Money Advice";
    public const string AnfieldPeer = "Anfield Peer Support Café";
    public const string BirkenheadShed = "Birkenhead Men's Shed";
    public const string EvertonChoir = "Everton Community Choir";

    public static JsonArray Services(string? suffix = null)
    {
        var text = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Directory", "merseyside-services.json"));
        var services = JsonNode.Parse(text)!.AsArray();
        suffix ??= Guid.NewGuid().ToString("N")[..8];
        foreach (var service in services) service!["id"] = service["id"]!.GetValue<string>() + "-" + suffix;
        return services;
    }

    public static string IdOf(JsonArray services, string name) =>
        services.First(s => s!["name"]!.GetValue<string>() == name)!["id"]!.GetValue<string>();

    public static async Task<JsonElement> Import(this HttpClient admin, JsonNode body)
    {
        var response = await admin.PostAsJsonAsync("/api/v1/directory/imports", body);
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{(int)response.StatusCode}: {report}");
        return report;
    }
}
