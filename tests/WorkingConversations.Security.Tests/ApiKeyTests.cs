using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WorkingConversations.Testing;

namespace WorkingConversations.Security.Tests;

/// <summary>A host of its own: the key tests move its clock, and a client that presents bad keys is slowed after three.</summary>
public sealed class KeysFixture : ServiceFixture
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Auth:FailedKeys:Free"] = "3",
        ["Auth:FailedKeys:StepMilliseconds"] = "400",
        // An unknown partner or practitioner is refused after this wait for the message that would make it known.
        ["Auth:HolderGraceSeconds"] = "12",
    };
}

/// <summary>OWASP API2, broken authentication: expiry, rotation, last use, the holder check and slowing a guesser down.</summary>
public sealed class ApiKeyTests(KeysFixture service) : IClassFixture<KeysFixture>
{
    private static async Task<JsonElement> Issued(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<JsonElement> Listed(Guid id) =>
        (await service.Admin().GetFromJsonAsync<JsonElement>("/api/v1/api-keys")).EnumerateArray().Single(k => k.GetProperty("id").GetGuid() == id);

    private static async Task<(string Field, string Message)> SingleError(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Single();
        return (error.Name, error.Value[0].GetString()!);
    }

    [Fact]
    public async Task A_key_with_an_expiry_works_until_then_and_is_refused_after_it()
    {
        var expiresAt = service.Clock.GetUtcNow().AddDays(30);
        var issued = await Issued(await service.Admin().PostAsJsonAsync("/api/v1/api-keys", new { role = "analyst", name = "evaluation", expiresAt }));
        Assert.Equal(expiresAt, issued.GetProperty("expiresAt").GetDateTimeOffset());
        var client = service.ClientWithKey(issued.GetProperty("key").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/outcomes/summary")).StatusCode);

        service.Clock.Advance(TimeSpan.FromDays(31));
        try
        {
            var refused = await client.GetAsync("/api/v1/outcomes/summary");
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Contains("expired", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(expiresAt, (await Listed(issued.GetProperty("id").GetGuid())).GetProperty("expiresAt").GetDateTimeOffset());
        }
        finally
        {
            service.Clock.Advance(TimeSpan.FromDays(-31));
        }
    }

    [Fact]
    public async Task An_expiry_in_the_past_is_refused_naming_expiresAt_and_no_key_is_stored()
    {
        var name = $"late-{Guid.NewGuid():N}";
        var (field, message) = await SingleError(await service.Admin().PostAsJsonAsync("/api/v1/api-keys",
            new { role = "analyst", name, expiresAt = service.Clock.GetUtcNow().AddMinutes(-1) }));
        Assert.Equal(("expiresAt", "must be in the future."), (field, message));
        Assert.DoesNotContain(name, await service.Admin().GetStringAsync("/api/v1/api-keys"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rotation_gives_a_new_key_while_the_old_one_works_until_it_is_revoked()
    {
        var (partnerId, _) = await service.NewPartner();
        var (old, oldId, oldSecret) = await service.ClientFor("partner", partnerId: partnerId);

        var rotated = await Issued(await service.Admin().PostAsJsonAsync($"/api/v1/api-keys/{oldId}/rotate", new { }));
        Assert.Equal(oldId, rotated.GetProperty("replaces").GetGuid());
        Assert.Equal(partnerId, rotated.GetProperty("partnerId").GetGuid());
        Assert.Equal("partner", rotated.GetProperty("role").GetString());
        var newSecret = rotated.GetProperty("key").GetString()!;
        Assert.NotEqual(oldSecret, newSecret);
        var successor = service.ClientWithKey(newSecret);

        Assert.Equal(HttpStatusCode.OK, (await old.GetAsync("/api/v1/referrals")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await successor.GetAsync("/api/v1/referrals")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await service.Admin().DeleteAsync($"/api/v1/api-keys/{oldId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await old.GetAsync("/api/v1/referrals")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await successor.GetAsync("/api/v1/referrals")).StatusCode);

        Assert.Equal(HttpStatusCode.Conflict, (await service.Admin().PostAsJsonAsync($"/api/v1/api-keys/{oldId}/rotate", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await service.Admin().PostAsJsonAsync($"/api/v1/api-keys/{Guid.NewGuid()}/rotate", new { })).StatusCode);
    }

    [Fact]
    public async Task The_key_list_shows_when_a_key_was_last_used()
    {
        var (client, keyId, _) = await service.ClientFor("trainer");
        Assert.Equal(JsonValueKind.Null, (await Listed(keyId)).GetProperty("lastUsedAt").ValueKind);

        var before = service.Clock.GetUtcNow();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/training/pipeline")).StatusCode);

        // Written off the request path, a moment later.
        var stopwatch = Stopwatch.StartNew();
        JsonElement lastUsed;
        while ((lastUsed = (await Listed(keyId)).GetProperty("lastUsedAt")).ValueKind == JsonValueKind.Null && stopwatch.Elapsed < TimeSpan.FromSeconds(10))
            await Task.Delay(100);
        Assert.Equal(JsonValueKind.String, lastUsed.ValueKind);
        Assert.InRange(lastUsed.GetDateTimeOffset(), before.AddSeconds(-1), service.Clock.GetUtcNow());
    }

    [Fact]
    public async Task A_key_is_issued_only_for_a_partner_or_practitioner_that_exists()
    {
        var (field, message) = await SingleError(await service.Admin().PostAsJsonAsync("/api/v1/api-keys",
            new { role = "partner", name = "nobody", partnerId = Guid.CreateVersion7() }));
        Assert.Equal("partnerId", field);
        Assert.Contains("not a registered partner", message, StringComparison.Ordinal);

        (field, message) = await SingleError(await service.Admin().PostAsJsonAsync("/api/v1/api-keys",
            new { role = "practitioner", name = "nobody", practitionerId = Guid.CreateVersion7() }));
        Assert.Equal("practitionerId", field);
        Assert.Contains("not an enrolled volunteer", message, StringComparison.Ordinal);

        // A partner's id is not a practitioner's.
        var (partnerId, _) = await service.NewPartner();
        (field, _) = await SingleError(await service.Admin().PostAsJsonAsync("/api/v1/api-keys",
            new { role = "practitioner", name = "mixed up", practitionerId = partnerId }));
        Assert.Equal("practitionerId", field);

        var (trainer, _, _) = await service.ClientFor("trainer");
        var volunteerId = await service.EnrolVolunteer(trainer);
        var (volunteer, _, _) = await service.ClientFor("practitioner", practitionerId: volunteerId);
        Assert.NotEqual(HttpStatusCode.Unauthorized, (await volunteer.GetAsync($"/api/v1/volunteers/{volunteerId}")).StatusCode);
    }

    [Fact]
    public async Task A_client_that_keeps_presenting_bad_keys_is_slowed_down_and_a_good_key_is_not()
    {
        var guesser = service.ClientWithKey("wc_guess-" + Guid.NewGuid().ToString("N"));
        var waits = new List<TimeSpan>();
        for (var i = 0; i < 6; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            Assert.Equal(HttpStatusCode.Unauthorized, (await guesser.GetAsync("/api/v1/partners")).StatusCode);
            waits.Add(stopwatch.Elapsed);
        }

        // Three are free (other tests in this host may have used some); then 400 ms more per failure.
        Assert.True(waits[5] >= TimeSpan.FromMilliseconds(1200), $"the sixth bad key was answered after {waits[5].TotalMilliseconds} ms");
        Assert.True(waits[4] >= TimeSpan.FromMilliseconds(800), $"the fifth bad key was answered after {waits[4].TotalMilliseconds} ms");

        var good = Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.OK, (await service.Admin().GetAsync("/api/v1/partners")).StatusCode);
        Assert.True(good.Elapsed < waits[5], "a good key was slowed down with the bad ones");
    }
}
