using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marten;
using WorkingConversations.Testing;

namespace WorkingConversations.VolunteerTraining.Tests;

[Collection(TrainingCollection.Name)]
public sealed class ViewTests(ServiceFixture service)
{
    [Fact]
    public async Task A_trainer_sees_progress_against_every_requirement_and_a_practitioner_sees_only_their_own()
    {
        var (trainer, _, _) = await service.ClientFor("trainer");
        var id = await service.EnrolVolunteer(trainer);
        Assert.Equal(HttpStatusCode.OK, (await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/practice-hours",
            new { hours = 7.5m, supervisedBy = "Sue", on = service.Today() })).StatusCode);

        var progress = await trainer.GetFromJsonAsync<JsonElement>($"/api/v1/volunteers/{id}");

        Assert.Equal(("in-training", "trainee", "volunteer"),
            (progress.GetProperty("status").GetString(), progress.GetProperty("level").GetString(), progress.GetProperty("programme").GetString()));
        Assert.Equal("val@example.org", progress.GetProperty("email").GetString());
        var next = progress.GetProperty("next");
        Assert.Equal("practitioner", next.GetProperty("towards").GetString());
        Assert.False(next.GetProperty("ready").GetBoolean());
        var requirements = next.GetProperty("requirements").EnumerateArray().ToList();
        Assert.Equal(8, requirements.Count);
        var hours = requirements.Single(r => r.GetProperty("requirement").GetString() == "practice-hours");
        Assert.Equal(("7.5 hours", "20 hours", false),
            (hours.GetProperty("current").GetString(), hours.GetProperty("needed").GetString(), hours.GetProperty("met").GetBoolean()));

        var practitionerId = await service.CertifiedPractitioner();
        var (practitioner, _, _) = await service.ClientFor("practitioner", practitionerId: practitionerId);
        var own = await practitioner.GetFromJsonAsync<JsonElement>($"/api/v1/volunteers/{practitionerId}");
        Assert.Equal("certified", own.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, own.GetProperty("next").ValueKind);
        Assert.Equal(HttpStatusCode.NotFound, (await practitioner.GetAsync($"/api/v1/volunteers/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await trainer.GetAsync($"/api/v1/volunteers/{Guid.NewGuid()}")).StatusCode);
    }

    [Fact]
    public async Task The_pipeline_counts_each_programme_by_where_people_stand_and_how_long_certification_took()
    {
        var (trainer, _, _) = await service.ClientFor("trainer");
        var before = await Pipeline(trainer);

        await service.EnrolVolunteer(trainer);
        var certified = await service.CertifiedPractitioner();
        var suspended = await service.CertifiedPractitioner();
        await service.WaitForMessages(async () =>
            Assert.Equal(HttpStatusCode.OK, (await trainer.PostAsJsonAsync($"/api/v1/volunteers/{suspended}/suspend", new { reason = "Review" })).StatusCode));
        var leaver = await service.EnrolVolunteer(trainer);
        Assert.Equal(HttpStatusCode.OK, (await trainer.PostAsJsonAsync($"/api/v1/volunteers/{leaver}/withdraw", new { reason = "Left" })).StatusCode);
        await service.EnrolVolunteer(trainer, "apprentice");

        var after = await Pipeline(trainer);
        int Delta(string programme, string count) => after[programme].GetProperty(count).GetInt32() - before[programme].GetProperty(count).GetInt32();
        Assert.Equal((4, 1, 1, 1, 1, 2), (Delta("volunteer", "enrolled"), Delta("volunteer", "inTraining"), Delta("volunteer", "certified"),
            Delta("volunteer", "suspended"), Delta("volunteer", "withdrawn"), Delta("volunteer", "everCertified")));
        Assert.Equal((1, 1), (Delta("apprentice", "enrolled"), Delta("apprentice", "inTraining")));
        Assert.Equal(JsonValueKind.Number, after["volunteer"].GetProperty("medianDaysToCertify").ValueKind);
        Assert.NotEqual(certified, suspended);

        var (analyst, _, _) = await service.ClientFor("analyst");
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.GetAsync("/api/v1/training/pipeline")).StatusCode);
    }

    [Fact]
    public async Task A_volunteers_history_shows_each_step_with_who_recorded_it_and_no_protected_text()
    {
        var (trainer, trainerKeyId, _) = await service.ClientFor("trainer");
        var id = await service.EnrolVolunteer(trainer);
        var today = service.Today();
        Assert.Equal(HttpStatusCode.OK, (await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/modules/SFP-01/assessment",
            new { score = 64, assessedBy = "Ann Assessor", assessedOn = today })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/supervision",
            new { supervisor = "Sue Pervisor", on = today, note = "Private worry about a family matter" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/withdraw", new { reason = "Family matter" })).StatusCode);

        var response = await trainer.GetAsync($"/api/v1/volunteers/{id}/history");
        var text = await response.Content.ReadAsStringAsync();
        var items = JsonDocument.Parse(text).RootElement.GetProperty("items").EnumerateArray().ToList();

        Assert.Equal(["volunteer-enrolled", "volunteer-module-assessed", "volunteer-supervision-session-recorded", "volunteer-withdrawn"],
            items.Select(i => i.GetProperty("type").GetString()!).ToArray());
        Assert.Equal($"Module SFP-01 not passed (score 64), assessed {today:yyyy-MM-dd}", items[1].GetProperty("summary").GetString());
        Assert.All(items, i => Assert.Equal(("trainer", trainerKeyId),
            (i.GetProperty("recordedBy").GetProperty("role").GetString(), i.GetProperty("recordedBy").GetProperty("keyId").GetGuid())));
        Assert.DoesNotContain("family", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Ann Assessor", text, StringComparison.Ordinal);

        // A practitioner who exists, but is not this volunteer.
        var (_, practitioner) = await new Scenario(service).ClearedPractitioner();
        Assert.Equal(HttpStatusCode.NotFound, (await practitioner.GetAsync($"/api/v1/volunteers/{id}/history")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await trainer.GetAsync($"/api/v1/volunteers/{Guid.NewGuid()}/history")).StatusCode);
    }

    private static async Task<Dictionary<string, JsonElement>> Pipeline(HttpClient trainer) =>
        (await trainer.GetFromJsonAsync<JsonElement>("/api/v1/training/pipeline")).GetProperty("programmes").EnumerateArray()
            .ToDictionary(p => p.GetProperty("programme").GetString()!, p => p, StringComparer.Ordinal);

    [Fact]
    public async Task Erasure_masks_a_volunteers_notes_reasons_and_the_names_around_them_and_keeps_the_facts()
    {
        var (trainer, _, _) = await service.ClientFor("trainer");
        var id = await service.CertifiedPractitioner();
        Assert.Equal(HttpStatusCode.OK, (await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/supervision",
            new { supervisor = "Sue Pervisor", on = service.Today(), note = "Talked about their own bereavement" })).StatusCode);
        await service.WaitForMessages(async () =>
            Assert.Equal(HttpStatusCode.OK, (await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/capacity", new { capacity = 2, reason = "Caring for a parent" })).StatusCode));
        await service.WaitForMessages(async () =>
            Assert.Equal(HttpStatusCode.OK, (await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/suspend", new { reason = "Health: needs a break" })).StatusCode));

        var store = service.Services.GetRequiredService<IDocumentStore>();
        await store.Advanced.ApplyEventDataMasking(x => x.IncludeStream(id));

        await using var session = store.QuerySession();
        var events = await session.Events.FetchStreamAsync(id);
        var supervision = events.Select(e => e.Data).OfType<SupervisionSessionRecorded>().Last();
        Assert.Equal(("[erased]", "[erased]"), (supervision.Supervisor, supervision.Note));
        Assert.Equal("[erased]", events.Select(e => e.Data).OfType<VolunteerSuspended>().Single().Reason);
        Assert.Equal(("[erased]", 2), events.Select(e => e.Data).OfType<CapacityChanged>().Select(e => (e.Reason, e.Capacity)).Single());
        Assert.All(events.Select(e => e.Data).OfType<PracticeHoursLogged>(), e => Assert.Equal("[erased]", e.SupervisedBy));
        Assert.Equal(12m * events.Select(e => e.Data).OfType<PracticeHoursLogged>().Count(), events.Select(e => e.Data).OfType<PracticeHoursLogged>().Sum(e => e.Hours));
        Assert.Equal("suspended", (await trainer.GetFromJsonAsync<JsonElement>($"/api/v1/volunteers/{id}")).GetProperty("status").GetString());
    }
}
