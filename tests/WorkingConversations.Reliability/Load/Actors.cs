using System.Text.Json;
using WorkingConversations.Reliability.Client;

namespace WorkingConversations.Reliability.Load;

/// <summary>The people the load acts as, set up through the real API by the administrator.</summary>
public sealed record Actors(string AdminKey, Guid PartnerId, string PartnerKey, string CaseworkerKey, string TrainerKey, string AnalystKey,
    IReadOnlyList<(Guid Id, string Key)> Practitioners)
{
    public static async Task<Actors> SetUpAsync(PersistentClient client, string adminKey, CallbackReceiver receiver, int practitioners)
    {
        var partner = await Must(client, new Call(HttpMethod.Post, "/api/v1/partners", adminKey,
            Api.Json(new { name = "Reliability partner", contactEmail = "team@partner.example", callbackUrl = receiver.Url.ToString() })));
        var partnerId = partner.GetProperty("id").GetGuid();
        receiver.Secret = partner.GetProperty("callbackSecret").GetString();

        async Task<string> Key(string role, Guid? partnerFor = null, Guid? practitionerId = null) =>
            (await Must(client, new Call(HttpMethod.Post, "/api/v1/api-keys", adminKey,
                Api.Json(new { role, name = $"{role}-{Guid.NewGuid():N}"[..30], partnerId = partnerFor, practitionerId }))))
            .GetProperty("key").GetString()!;

        var trainer = await Key("trainer");
        var cleared = new List<(Guid, string)>();
        for (var i = 0; i < practitioners; i++)
        {
            var id = await CertifiedPractitioner(client, trainer);
            cleared.Add((id, await Key("practitioner", practitionerId: id)));
        }

        return new Actors(adminKey, partnerId, await Key("partner", partnerId), await Key("caseworker"), trainer, await Key("analyst"), cleared);
    }

    /// <summary>Enrols a volunteer and meets each requirement the volunteer's progress says is unmet, then certifies them.</summary>
    private static async Task<Guid> CertifiedPractitioner(PersistentClient client, string trainer)
    {
        var enrolled = await Must(client, new Call(HttpMethod.Post, "/api/v1/volunteers", trainer,
            Api.Json(new { givenName = "Val", familyName = "Unteer", email = "val@example.org", programme = "volunteer" })));
        var id = enrolled.GetProperty("id").GetGuid();
        var today = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd");
        for (var round = 0; round < 50; round++)
        {
            var progress = await Must(client, new Call(HttpMethod.Get, $"/api/v1/volunteers/{id}", trainer));
            var unmet = progress.GetProperty("next").ValueKind == JsonValueKind.Null
                ? []
                : progress.GetProperty("next").GetProperty("requirements").EnumerateArray()
                    .Where(r => !r.GetProperty("met").GetBoolean()).Select(r => r.GetProperty("requirement").GetString()!).ToArray();
            if (unmet.Length == 0) break;
            foreach (var requirement in unmet)
            {
                var call = requirement switch
                {
                    _ when requirement.StartsWith("module:", StringComparison.Ordinal) => new Call(HttpMethod.Post,
                        $"/api/v1/volunteers/{id}/modules/{Uri.EscapeDataString(requirement["module:".Length..])}/assessment", trainer,
                        Api.Json(new { passed = true, score = 100, assessedBy = "Trainer T", assessedOn = today })),
                    "practice-hours" => new Call(HttpMethod.Post, $"/api/v1/volunteers/{id}/practice-hours", trainer,
                        Api.Json(new { hours = 12m, supervisedBy = "Supervisor S", on = today })),
                    "supervision-sessions" => new Call(HttpMethod.Post, $"/api/v1/volunteers/{id}/supervision", trainer,
                        Api.Json(new { supervisor = "Supervisor S", on = today, note = (string?)null })),
                    "dbs-check" => new Call(HttpMethod.Post, $"/api/v1/volunteers/{id}/dbs-check", trainer,
                        Api.Json(new { eligibility = "eligible", level = "enhanced", issuedOn = today, updateService = false })),
                    _ => throw new InvalidOperationException($"The harness does not know how to meet the requirement {requirement}."),
                };
                await Must(client, call);
            }
        }

        await Must(client, new Call(HttpMethod.Post, $"/api/v1/volunteers/{id}/certify", trainer, "{}"));
        return id;
    }

    public static async Task<JsonElement> Must(PersistentClient client, Call call)
    {
        var operation = new Operation(OperationKind.Referral, call, "");
        var reply = await client.UntilAnsweredAsync(operation, DateTimeOffset.UtcNow.AddMinutes(2));
        if (reply is not { Succeeded: true }) throw new InvalidOperationException($"{call.Route} failed during set-up: {reply}");
        return reply.Body.Length == 0 ? default : reply.Json;
    }
}
