using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using WorkingConversations.Testing;

namespace WorkingConversations.Referrals.Tests.Api;

[CollectionDefinition(Name)]
public sealed class ReferralsCollection : ICollectionFixture<ServiceFixture>
{
    public const string Name = "referrals";
}

/// <summary>A host of its own whose messages between modules travel through RabbitMQ (Messaging:Transport=RabbitMq).</summary>
[CollectionDefinition(Name)]
public sealed class ReferralsOnRabbitMqCollection : ICollectionFixture<RabbitMqServiceFixture>
{
    public const string Name = "referrals-rabbitmq";
}

/// <summary>Referral bodies for a fresh person each time, so tests that share a database never match each other's people.</summary>
internal static class People
{
    /// <summary>A random NHS number that passes the modulus-11 check.</summary>
    public static string NhsNumber()
    {
        while (true)
        {
            var digits = Enumerable.Range(0, 9).Select(_ => RandomNumberGenerator.GetInt32(10)).ToArray();
            var check = 11 - digits.Select((d, i) => d * (10 - i)).Sum() % 11;
            if (check == 10 || digits.Distinct().Count() == 1) continue;
            return string.Concat(digits) + (check == 11 ? 0 : check);
        }
    }

    /// <summary>A family name of letters only, different every time.</summary>
    public static string FamilyName() =>
        "Fam" + new string(Guid.NewGuid().ToString("N").Select(c => (char)('a' + c % 26)).Take(12).ToArray());

    public static Dictionary<string, object?> Referral(string? familyName = null, string? nhsNumber = null, string givenName = "Sam",
        string dateOfBirth = "1990-04-01", string? postcode = "L8 1XY", string[]? riskIndicators = null) => new()
    {
        ["partnerReference"] = $"REF-{Guid.NewGuid():N}"[..20],
        ["person"] = new Dictionary<string, object?>
        {
            ["givenName"] = givenName, ["familyName"] = familyName ?? FamilyName(), ["dateOfBirth"] = dateOfBirth,
            ["postcode"] = postcode, ["nhsNumber"] = nhsNumber, ["phone"] = "07700 900123",
        },
        ["reason"] = "Low mood since losing work",
        ["consent"] = new Dictionary<string, object?> { ["given"] = true, ["recordedAt"] = "2026-01-01T10:00:00Z", ["recordedBy"] = "Caseworker A" },
        ["riskIndicators"] = riskIndicators ?? ["self-harm-history"],
        ["preferredContact"] = "phone",
    };

    public static async Task<JsonElement> Created(this HttpClient partner, object? body = null)
    {
        var response = await partner.PostAsJsonAsync("/api/v1/referrals", body ?? Referral());
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, $"{(int)response.StatusCode}: {json}");
        return json;
    }

    public static Guid Id(this JsonElement json, string property = "id") => json.GetProperty(property).GetGuid();

    public static string Str(this JsonElement json, string property) => json.GetProperty(property).GetString()!;

    public static async Task<(int Status, JsonElement Body)> Send(this HttpClient client, string url, object? body)
    {
        var response = await client.PostAsJsonAsync(url, body);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }
}
