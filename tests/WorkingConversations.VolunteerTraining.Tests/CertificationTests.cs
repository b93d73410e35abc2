using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Wolverine.Tracking;
using WorkingConversations.Testing;
using WorkingConversations.VolunteerTraining.Contracts;

namespace WorkingConversations.VolunteerTraining.Tests;

[Collection(TrainingCollection.Name)]
public sealed class CertificationTests(ServiceFixture service)
{
    private static string[] UnmetOf(JsonElement problem) => problem.GetProperty("unmet").Strings("requirement");

    [Fact]
    public async Task Certification_is_refused_listing_every_unmet_requirement_then_granted_as_they_are_met()
    {
        var (trainer, _, _) = await service.ClientFor("trainer");
        var id = await service.EnrolVolunteer(trainer);
        var today = service.Today();

        var first = await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/certify", new { });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, first.StatusCode);
        var problem = await first.Body();
        Assert.Equal(
            ["module:SFP-01", "module:SFP-02", "module:SFP-03", "module:SAFE-01", "module:PRAC-01", "practice-hours", "supervision-sessions", "dbs-check"],
            UnmetOf(problem));
        Assert.True(problem.GetProperty("errors").TryGetProperty("practice-hours", out _));
        Assert.Equal("application/problem+json", first.Content.Headers.ContentType?.MediaType);

        foreach (var code in new[] { "SFP-01", "SFP-02", "SFP-03", "SAFE-01" })
            Assert.Equal(HttpStatusCode.OK, (await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/modules/{code}/assessment",
                new { passed = true, score = 85, assessedBy = "Ann Assessor", assessedOn = today })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/modules/PRAC-01/assessment",
            new { passed = false, assessedBy = "Ann Assessor", assessedOn = today })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/practice-hours",
            new { hours = 12, supervisedBy = "Sue Pervisor", on = today })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/dbs-check",
            new { eligibility = "eligible", level = "standard", issuedOn = today, updateService = false })).StatusCode);

        var second = await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/certify", new { });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, second.StatusCode);
        var secondProblem = await second.Body();
        Assert.Equal(["module:PRAC-01", "practice-hours", "supervision-sessions", "dbs-check"], UnmetOf(secondProblem));
        var hours = secondProblem.GetProperty("unmet").EnumerateArray().Single(u => u.GetProperty("requirement").GetString() == "practice-hours");
        Assert.Equal("12 hours", hours.GetProperty("current").GetString());

        Assert.Equal(HttpStatusCode.OK, (await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/modules/PRAC-01/assessment",
            new { passed = true, assessedBy = "Ann Assessor", assessedOn = today })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/practice-hours",
            new { hours = 8, supervisedBy = "Sue Pervisor", on = today })).StatusCode);
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.OK, (await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/supervision",
                new { supervisor = "Sue Pervisor", on = today, note = "Went through the scaling questions" })).StatusCode);

        var third = await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/certify", new { });
        Assert.Equal(["dbs-check"], UnmetOf(await third.Body()));

        Assert.Equal(HttpStatusCode.OK, (await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/dbs-check",
            new { eligibility = "eligible", level = "enhanced", issuedOn = today.AddYears(-2), updateService = false })).StatusCode);
        HttpResponseMessage? granted = null;
        var tracked = await service.WaitForMessages(async () => granted = await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/certify", new { }));

        Assert.Equal(HttpStatusCode.OK, granted!.StatusCode);
        var body = await granted.Body();
        Assert.Equal(("practitioner", 3), (body.GetProperty("level").GetString(), body.GetProperty("capacity").GetInt32()));
        var cleared = Assert.Single(tracked.MessageSucceeded.MessagesOf<PractitionerCleared>(), m => m.PractitionerId == id);
        Assert.Equal(("volunteer", 3), (cleared.Programme, cleared.Capacity));

        var again = await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/certify", new { });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("certified", (await again.Body()).GetProperty("volunteerStatus").GetString());
    }

    [Fact]
    public async Task An_apprentice_needs_more_and_is_cleared_for_six_participants()
    {
        var (trainer, _, _) = await service.ClientFor("trainer");
        var id = await service.EnrolVolunteer(trainer, "apprentice");
        await service.MeetCertificationRequirements(trainer, id);

        var progress = await trainer.GetFromJsonAsync<JsonElement>($"/api/v1/volunteers/{id}");
        Assert.Equal(60m, progress.GetProperty("practiceHours").GetDecimal());
        Assert.Contains("MEAS-01", progress.GetProperty("modules").Strings("code"));

        var tracked = await service.WaitForMessages(async () =>
            Assert.Equal(HttpStatusCode.OK, (await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/certify", new { })).StatusCode));
        var cleared = Assert.Single(tracked.MessageSucceeded.MessagesOf<PractitionerCleared>(), m => m.PractitionerId == id);
        Assert.Equal(("apprentice", 6), (cleared.Programme, cleared.Capacity));
    }

    [Fact]
    public async Task An_unknown_volunteer_is_not_found_and_only_trainers_certify()
    {
        var (trainer, _, _) = await service.ClientFor("trainer");
        var (caseworker, _, _) = await service.ClientFor("caseworker");

        Assert.Equal(HttpStatusCode.NotFound, (await trainer.PostAsJsonAsync($"/api/v1/volunteers/{Guid.NewGuid()}/certify", new { })).StatusCode);
        var id = await service.EnrolVolunteer(trainer);
        Assert.Equal(HttpStatusCode.Forbidden, (await caseworker.PostAsJsonAsync($"/api/v1/volunteers/{id}/certify", new { })).StatusCode);
    }
}
