using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WorkingConversations.Testing;

namespace WorkingConversations.VolunteerTraining.Tests;

/// <summary>
/// A partner's strict JSON parser refuses an object that names a member twice, so a 409 must carry the volunteer's
/// standing under a name of its own, never beside RFC 9457's numeric <c>status</c>.
/// </summary>
[Collection(TrainingCollection.Name)]
public class ConflictProblemTests(ServiceFixture service)
{
    private static readonly JsonDocumentOptions Strict = new() { AllowDuplicateProperties = false };

    [Fact]
    public async Task Every_refusal_of_the_volunteers_standing_parses_strictly_and_names_it_volunteerStatus()
    {
        var (trainer, _, _) = await service.ClientFor("trainer");
        var apprentice = await service.EnrolVolunteer(trainer, "apprentice");
        var today = service.Today();

        await AssertStanding(await trainer.PostAsJsonAsync($"/api/v1/volunteers/{apprentice}/suspend", new { reason = "Too early" }), "in-training");
        await AssertStanding(await trainer.PostAsJsonAsync($"/api/v1/volunteers/{apprentice}/capacity", new { capacity = 2, reason = "A break" }), "in-training");
        var promotion = await AssertStanding(await trainer.PostAsJsonAsync($"/api/v1/volunteers/{apprentice}/promote", new { }), "in-training");
        Assert.Equal("trainee", promotion.GetProperty("level").GetString());

        Assert.Equal(HttpStatusCode.OK, (await trainer.PostAsJsonAsync($"/api/v1/volunteers/{apprentice}/withdraw", new { reason = "Moved away" })).StatusCode);
        await AssertStanding(await trainer.PostAsJsonAsync($"/api/v1/volunteers/{apprentice}/practice-hours",
            new { hours = 2, supervisedBy = "Trainer T", on = today }), "withdrawn");
        await AssertStanding(await trainer.PostAsJsonAsync($"/api/v1/volunteers/{apprentice}/certify", new { }), "withdrawn");

        var practitioner = await service.CertifiedPractitioner();
        await service.WaitForMessages(async () =>
            Assert.Equal(HttpStatusCode.OK, (await trainer.PostAsJsonAsync($"/api/v1/volunteers/{practitioner}/suspend", new { reason = "Review" })).StatusCode));
        await AssertStanding(await trainer.PostAsJsonAsync($"/api/v1/volunteers/{practitioner}/certify", new { }), "suspended");
    }

    private static async Task<JsonElement> AssertStanding(HttpResponseMessage response, string standing)
    {
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text, Strict);
        var problem = document.RootElement.Clone();
        Assert.Equal(409, problem.GetProperty("status").GetInt32());
        Assert.Equal(standing, problem.GetProperty("volunteerStatus").GetString());
        return problem;
    }
}
