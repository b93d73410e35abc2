using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Wolverine.Tracking;
using WorkingConversations.Testing;
using WorkingConversations.VolunteerTraining.Contracts;
using WorkingConversations.VolunteerTraining.Dbs;

namespace WorkingConversations.VolunteerTraining.Tests;

[Collection(TrainingCollection.Name)]
public sealed class DbsLapseTests(ServiceFixture service)
{
    [Fact]
    public async Task A_lapsed_DBS_check_withdraws_clearance_on_the_day_without_anyone_acting_and_blocks_certification()
    {
        var (trainer, _, _) = await service.ClientFor("trainer");
        var (caseworker, _, _) = await service.ClientFor("caseworker");
        var id = await service.EnrolVolunteer(trainer);
        var today = service.Today();
        var issuedOn = today.AddYears(-3).AddDays(1);

        // The check runs out tomorrow: recording it schedules, durably, the message for that day.
        var recording = await service.WaitForMessages(async () =>
            Assert.Equal(HttpStatusCode.OK, (await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/dbs-check",
                new { eligibility = "eligible", level = "enhanced", issuedOn, updateService = false })).StatusCode));
        var scheduled = Assert.Single(recording.Scheduled.Envelopes(), e => e.Message is DbsCheckLapseDue due && due.VolunteerId == id);
        Assert.Equal(RecordDbsCheck.LapsesAt(today.AddDays(1)), scheduled.ScheduledTime);

        await service.MeetCertificationRequirements(trainer, id);
        await service.WaitForMessages(async () =>
            Assert.Equal(HttpStatusCode.OK, (await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/certify", new { })).StatusCode));
        var participant = await service.AcceptedReferral(caseworker);

        // Delivered early (the clock not yet at the day), the message changes nothing.
        var early = await recording.PlayScheduledMessagesAsync(TimeSpan.FromSeconds(30));
        Assert.Empty(early.Sent.MessagesOf<PractitionerWithdrawn>());
        Assert.Equal("certified", (await trainer.GetFromJsonAsync<JsonElement>($"/api/v1/volunteers/{id}")).GetProperty("status").GetString());

        // The day comes; Wolverine delivers the scheduled message. Nobody calls the API.
        service.Clock.Advance(TimeSpan.FromDays(1));
        var delivered = await recording.PlayScheduledMessagesAsync(TimeSpan.FromSeconds(30));

        var withdrawn = Assert.Single(delivered.MessageSucceeded.MessagesOf<PractitionerWithdrawn>(), m => m.PractitionerId == id);
        Assert.Equal(DbsCheckLapseDueHandler.Reason, withdrawn.Reason);
        var progress = await trainer.GetFromJsonAsync<JsonElement>($"/api/v1/volunteers/{id}");
        Assert.Equal("lapsed", progress.GetProperty("status").GetString());
        var refusedAssignment = await caseworker.Assign(participant, id);
        Assert.Equal(HttpStatusCode.Conflict, refusedAssignment.StatusCode);
        Assert.Equal("withdrawn", (await refusedAssignment.Body()).GetProperty("practitionerStatus").GetString());

        await using (var session = service.Services.GetRequiredService<Marten.IDocumentStore>().QuerySession())
        {
            var last = (await session.Events.FetchStreamAsync(id)).Last();
            Assert.IsType<ClearanceLapsed>(last.Data);
            Assert.StartsWith("system|", last.UserName, StringComparison.Ordinal);
        }

        var history = (await trainer.GetFromJsonAsync<JsonElement>($"/api/v1/volunteers/{id}/history")).GetProperty("items").EnumerateArray().Last();
        Assert.Equal(("volunteer-clearance-lapsed", "system"),
            (history.GetProperty("type").GetString(), history.GetProperty("recordedBy").GetProperty("role").GetString()));

        var blocked = await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/certify", new { });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, blocked.StatusCode);
        Assert.Equal(["dbs-check"], (await blocked.Body()).GetProperty("unmet").Strings("requirement"));

        // A new check, and the practitioner is certified again.
        Assert.Equal(HttpStatusCode.OK, (await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/dbs-check",
            new { eligibility = "eligible", level = "enhanced", issuedOn = service.Today(), updateService = true })).StatusCode);
        var recertified = await service.WaitForMessages(async () =>
            Assert.Equal(HttpStatusCode.OK, (await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/certify", new { })).StatusCode));
        Assert.Contains(recertified.MessageSucceeded.MessagesOf<PractitionerCleared>(), m => m.PractitionerId == id);
        Assert.Equal(HttpStatusCode.OK, (await caseworker.Assign(participant, id)).StatusCode);
    }

    [Fact]
    public async Task A_newer_check_that_is_not_eligible_withdraws_clearance_at_once()
    {
        var (trainer, _, _) = await service.ClientFor("trainer");
        var id = await service.CertifiedPractitioner();

        var tracked = await service.WaitForMessages(async () =>
            Assert.Equal(HttpStatusCode.OK, (await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/dbs-check",
                new { eligibility = "not-eligible", level = "enhanced", issuedOn = service.Today(), updateService = true })).StatusCode));

        var withdrawn = Assert.Single(tracked.MessageSucceeded.MessagesOf<PractitionerWithdrawn>(), m => m.PractitionerId == id);
        Assert.Equal("DBS check decision: not-eligible", withdrawn.Reason);
        var progress = await trainer.GetFromJsonAsync<JsonElement>($"/api/v1/volunteers/{id}");
        Assert.Equal("lapsed", progress.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/certify", new { })).StatusCode);
    }
    [Fact]
    public async Task A_suspended_practitioner_whose_clearance_lapses_is_not_certified_again_until_reinstated()
    {
        var (trainer, _, _) = await service.ClientFor("trainer");
        var id = await service.CertifiedPractitioner();
        Assert.Equal(HttpStatusCode.OK, (await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/suspend", new { reason = "Complaint under review" })).StatusCode);
        await service.WaitForMessages(async () =>
            Assert.Equal(HttpStatusCode.OK, (await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/dbs-check",
                new { eligibility = "not-eligible", level = "enhanced", issuedOn = service.Today(), updateService = true })).StatusCode));
        Assert.Equal(HttpStatusCode.OK, (await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/dbs-check",
            new { eligibility = "eligible", level = "enhanced", issuedOn = service.Today(), updateService = true })).StatusCode);

        // Every requirement is met again, but the suspension has not been lifted.
        var refused = await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/certify", new { });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);

        var reinstated = await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/reinstate", new { reason = "Review closed" });
        Assert.Equal(HttpStatusCode.OK, reinstated.StatusCode);
        Assert.Equal("lapsed", (await reinstated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/certify", new { })).StatusCode);
    }

}
