using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WorkingConversations.Testing;

namespace WorkingConversations.VolunteerTraining.Tests;

[Collection(TrainingCollection.Name)]
public sealed class RecordingTests(ServiceFixture service)
{
    private static async Task<string[]> ErrorFields(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        return [.. (await response.Body()).GetProperty("errors").EnumerateObject().Select(p => p.Name)];
    }

    [Fact]
    public async Task An_assessment_of_an_unknown_module_or_against_its_score_is_refused_naming_the_field()
    {
        var (trainer, _, _) = await service.ClientFor("trainer");
        var id = await service.EnrolVolunteer(trainer);
        var today = service.Today();

        var unknown = await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/modules/NOPE-9/assessment",
            new { passed = true, assessedBy = "Ann", assessedOn = today });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        var codeErrors = (await unknown.Body()).GetProperty("errors").GetProperty("code");
        Assert.Contains("NOPE-9", codeErrors[0].GetString(), StringComparison.Ordinal);

        var contradicts = await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/modules/SAFE-01/assessment",
            new { passed = true, score = 79, assessedBy = "Ann", assessedOn = today });
        Assert.Equal(["passed"], await ErrorFields(contradicts));

        var bad = await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/modules/SAFE-01/assessment",
            new { score = 101, assessedBy = "", assessedOn = today.AddDays(1) });
        Assert.Equal(["assessedBy", "assessedOn", "score"], (await ErrorFields(bad)).Order(StringComparer.Ordinal).ToArray());

        var byScore = await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/modules/safe-01/assessment",
            new { score = 80, assessedBy = "Ann", assessedOn = today });
        Assert.Equal(HttpStatusCode.OK, byScore.StatusCode);
        var result = await byScore.Body();
        Assert.Equal("SAFE-01", result.GetProperty("code").GetString());
        Assert.True(result.GetProperty("passed").GetBoolean());
        Assert.Equal(80, result.GetProperty("passMark").GetInt32());

        var progress = await trainer.GetFromJsonAsync<JsonElement>($"/api/v1/volunteers/{id}");
        var modules = progress.GetProperty("modules").EnumerateArray().ToList();
        Assert.True(modules.Single(m => m.GetProperty("code").GetString() == "SAFE-01").GetProperty("passed").GetBoolean());
        Assert.All(modules.Where(m => m.GetProperty("code").GetString() != "SAFE-01"), m => Assert.Equal(0, m.GetProperty("attempts").GetInt32()));
    }

    [Fact]
    public async Task Hours_supervision_and_DBS_checks_are_validated_and_nothing_is_stored_from_a_refused_request()
    {
        var (trainer, _, _) = await service.ClientFor("trainer");
        var id = await service.EnrolVolunteer(trainer);
        var today = service.Today();

        Assert.Equal(["hours", "supervisedBy"], (await ErrorFields(await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/practice-hours",
            new { hours = 0, supervisedBy = " ", on = today }))).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(["on", "supervisor"], (await ErrorFields(await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/supervision",
            new { on = today.AddDays(2) }))).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(["eligibility", "level", "updateService"], (await ErrorFields(await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/dbs-check",
            new { eligibility = "maybe", level = "gold", issuedOn = today }))).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(["issuedOn"], await ErrorFields(await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/dbs-check",
            new { eligibility = "eligible", level = "enhanced", issuedOn = "29/11/2026", updateService = true })));

        var progress = await trainer.GetFromJsonAsync<JsonElement>($"/api/v1/volunteers/{id}");
        Assert.Equal(0m, progress.GetProperty("practiceHours").GetDecimal());
        Assert.Equal(0, progress.GetProperty("supervisionSessions").GetInt32());
        Assert.Equal(JsonValueKind.Null, progress.GetProperty("dbs").ValueKind);

        Assert.Equal(HttpStatusCode.NotFound, (await trainer.PostAsJsonAsync($"/api/v1/volunteers/{Guid.NewGuid()}/practice-hours",
            new { hours = 2, supervisedBy = "S", on = today })).StatusCode);
    }

    [Fact]
    public async Task A_DBS_check_is_stored_as_its_facts_and_an_old_check_on_the_update_service_still_counts()
    {
        var (trainer, _, _) = await service.ClientFor("trainer");
        var id = await service.EnrolVolunteer(trainer);

        var recorded = await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/dbs-check",
            new { eligibility = "eligible", level = "enhanced", issuedOn = service.Today().AddYears(-7), updateService = true });
        Assert.Equal(HttpStatusCode.OK, recorded.StatusCode);
        var body = await recorded.Body();
        Assert.True(body.GetProperty("current").GetBoolean());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("validUntil").ValueKind);

        var progress = await trainer.GetFromJsonAsync<JsonElement>($"/api/v1/volunteers/{id}");
        var dbs = progress.GetProperty("next").GetProperty("requirements").EnumerateArray().Single(r => r.GetProperty("requirement").GetString() == "dbs-check");
        Assert.True(dbs.GetProperty("met").GetBoolean());
        Assert.DoesNotContain("001234567890", await (await trainer.GetAsync($"/api/v1/volunteers/{id}")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await using var session = service.Services.GetRequiredService<Marten.IDocumentStore>().QuerySession();
        var events = await session.Events.FetchStreamAsync(id);
        Assert.DoesNotContain(events, e => System.Text.Json.JsonSerializer.Serialize(e.Data).Contains("001234567890", StringComparison.Ordinal));
    }
}
