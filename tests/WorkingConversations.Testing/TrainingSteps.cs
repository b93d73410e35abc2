using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Wolverine.Tracking;
using WorkingConversations.VolunteerTraining.Contracts;

namespace WorkingConversations.Testing;

/// <summary>
/// Walks volunteers through the training programme by the real API, reading what is still unmet from the volunteer's
/// progress, so that it keeps working whatever the curriculum and the certification settings say.
/// </summary>
public static class TrainingSteps
{
    /// <summary>A practitioner cleared to practise, with Conversations told: enrolled, trained, checked and certified.</summary>
    public static async Task<Guid> CertifiedPractitioner(this ServiceFixture service, string programme = "volunteer")
    {
        var (trainer, _, _) = await service.ClientFor("trainer");
        var id = await service.EnrolVolunteer(trainer, programme);
        await service.MeetCertificationRequirements(trainer, id);
        var tracked = await service.WaitForMessages(async () =>
        {
            var certified = await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/certify", new { });
            if (certified.StatusCode != HttpStatusCode.OK)
                throw new InvalidOperationException($"Certification failed with {(int)certified.StatusCode}: {await certified.Content.ReadAsStringAsync()}");
        });
        if (!tracked.MessageSucceeded.MessagesOf<PractitionerCleared>().Any(m => m.PractitionerId == id))
            throw new InvalidOperationException("Certification did not clear the practitioner.");
        return id;
    }

    public static async Task<Guid> EnrolVolunteer(this ServiceFixture service, HttpClient trainer, string programme = "volunteer")
    {
        var response = await trainer.PostAsJsonAsync("/api/v1/volunteers",
            new { givenName = "Val", familyName = $"Unteer-{Guid.NewGuid():N}"[..20], email = "val@example.org", programme });
        if (response.StatusCode != HttpStatusCode.Created)
            throw new InvalidOperationException($"Enrolment failed with {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    /// <summary>
    /// Meets every unmet requirement of the volunteer's next step (certification, or senior practitioner for a certified
    /// apprentice): passes each module, logs hours and supervision, and records a current enhanced DBS check issued on
    /// <paramref name="dbsIssuedOn"/> (today by the service's clock when not given). Time as a practitioner is left unmet.
    /// </summary>
    public static async Task MeetCertificationRequirements(this ServiceFixture service, HttpClient trainer, Guid volunteerId, DateOnly? dbsIssuedOn = null)
    {
        var today = service.Today();
        for (var round = 0; round < 100; round++)
        {
            // Time in practice cannot be bought through the API: the caller moves service.Clock for that.
            var unmet = (await service.UnmetRequirements(trainer, volunteerId)).Where(r => r != "months-as-practitioner").ToList();
            if (unmet.Count == 0) return;
            foreach (var requirement in unmet)
            {
                var response = requirement switch
                {
                    _ when requirement.StartsWith("module:", StringComparison.Ordinal) => await trainer.PostAsJsonAsync(
                        $"/api/v1/volunteers/{volunteerId}/modules/{Uri.EscapeDataString(requirement["module:".Length..])}/assessment",
                        new { passed = true, score = 100, assessedBy = "Trainer T", assessedOn = today }),
                    "practice-hours" => await trainer.PostAsJsonAsync($"/api/v1/volunteers/{volunteerId}/practice-hours",
                        new { hours = 12m, supervisedBy = "Supervisor S", on = today }),
                    "supervision-sessions" => await trainer.PostAsJsonAsync($"/api/v1/volunteers/{volunteerId}/supervision",
                        new { supervisor = "Supervisor S", on = today, note = (string?)null }),
                    "dbs-check" => await trainer.PostAsJsonAsync($"/api/v1/volunteers/{volunteerId}/dbs-check",
                        new { eligibility = "eligible", level = "enhanced", issuedOn = dbsIssuedOn ?? today, updateService = false }),
                    _ => throw new InvalidOperationException($"The requirement {requirement} is not one these steps know how to meet."),
                };
                if (response.StatusCode != HttpStatusCode.OK)
                    throw new InvalidOperationException($"Meeting {requirement} failed with {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
        }

        throw new InvalidOperationException("The requirements were still unmet after 100 rounds.");
    }

    /// <summary>The keys of the requirements of the volunteer's next step that are not met yet (empty when there is no next step).</summary>
    public static async Task<IReadOnlyList<string>> UnmetRequirements(this ServiceFixture service, HttpClient trainer, Guid volunteerId)
    {
        var progress = await trainer.GetFromJsonAsync<JsonElement>($"/api/v1/volunteers/{volunteerId}");
        if (progress.GetProperty("next").ValueKind == JsonValueKind.Null) return [];
        return [.. progress.GetProperty("next").GetProperty("requirements").EnumerateArray()
            .Where(r => !r.GetProperty("met").GetBoolean())
            .Select(r => r.GetProperty("requirement").GetString()!)];
    }

    /// <summary>Today by the service's (movable) clock, as the API's dates are judged.</summary>
    public static DateOnly Today(this ServiceFixture service) => DateOnly.FromDateTime(service.Clock.GetUtcNow().UtcDateTime);
}
