using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Wolverine.Tracking;
using WorkingConversations.Testing;
using WorkingConversations.VolunteerTraining.Contracts;

namespace WorkingConversations.VolunteerTraining.Tests;

[Collection(TrainingCollection.Name)]
public class StandingTests(ServiceFixture service)
{
    [Fact]
    public async Task A_suspended_practitioner_can_take_no_new_participant_until_reinstated()
    {
        var (trainer, _, _) = await service.ClientFor("trainer");
        var (caseworker, _, _) = await service.ClientFor("caseworker");
        var practitionerId = await service.CertifiedPractitioner();
        var first = await service.AcceptedReferral(caseworker);
        var second = await service.AcceptedReferral(caseworker);
        Assert.Equal(HttpStatusCode.OK, (await caseworker.Assign(first, practitionerId)).StatusCode);

        var suspension = await service.WaitForMessages(async () =>
            Assert.Equal(HttpStatusCode.OK, (await trainer.PostAsJsonAsync($"/api/v1/volunteers/{practitionerId}/suspend",
                new { reason = "Concern raised in supervision" })).StatusCode));
        var suspended = Assert.Single(suspension.MessageSucceeded.MessagesOf<PractitionerSuspended>());
        Assert.Equal((practitionerId, "Concern raised in supervision"), (suspended.PractitionerId, suspended.Reason));

        var refused = await caseworker.Assign(second, practitionerId);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("suspended", (await refused.Body()).GetProperty("practitionerStatus").GetString());
        var progress = await trainer.GetFromJsonAsync<JsonElement>($"/api/v1/volunteers/{practitionerId}");
        Assert.Equal("suspended", progress.GetProperty("status").GetString());

        var twice = await trainer.PostAsJsonAsync($"/api/v1/volunteers/{practitionerId}/suspend", new { reason = "Again" });
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Equal("suspended", (await twice.Body()).GetProperty("volunteerStatus").GetString());

        var reinstatement = await service.WaitForMessages(async () =>
            Assert.Equal(HttpStatusCode.OK, (await trainer.PostAsJsonAsync($"/api/v1/volunteers/{practitionerId}/reinstate",
                new { reason = "Concern resolved" })).StatusCode));
        Assert.Contains(reinstatement.MessageSucceeded.MessagesOf<PractitionerReinstated>(), m => m.PractitionerId == practitionerId);
        Assert.Equal(HttpStatusCode.OK, (await caseworker.Assign(second, practitionerId)).StatusCode);
    }

    [Fact]
    public async Task Only_a_certified_practitioner_can_be_suspended_and_a_reason_is_required()
    {
        var (trainer, _, _) = await service.ClientFor("trainer");
        var id = await service.EnrolVolunteer(trainer);

        var inTraining = await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/suspend", new { reason = "Too early" });
        Assert.Equal(HttpStatusCode.Conflict, inTraining.StatusCode);
        Assert.Equal("in-training", (await inTraining.Body()).GetProperty("volunteerStatus").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/reinstate", new { reason = "Nothing to lift" })).StatusCode);
        var noReason = await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/withdraw", new { reason = "" });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.True((await noReason.Body()).GetProperty("errors").TryGetProperty("reason", out _));
    }

    [Fact]
    public async Task A_withdrawn_practitioner_loses_clearance_and_their_record_is_closed()
    {
        var (trainer, _, _) = await service.ClientFor("trainer");
        var (caseworker, _, _) = await service.ClientFor("caseworker");
        var practitionerId = await service.CertifiedPractitioner();
        var participant = await service.AcceptedReferral(caseworker);

        var withdrawal = await service.WaitForMessages(async () =>
            Assert.Equal(HttpStatusCode.OK, (await trainer.PostAsJsonAsync($"/api/v1/volunteers/{practitionerId}/withdraw",
                new { reason = "Moving away" })).StatusCode));
        Assert.Contains(withdrawal.MessageSucceeded.MessagesOf<PractitionerWithdrawn>(), m => m.PractitionerId == practitionerId && m.Reason == "Moving away");

        var refused = await caseworker.Assign(participant, practitionerId);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("withdrawn", (await refused.Body()).GetProperty("practitionerStatus").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await trainer.PostAsJsonAsync($"/api/v1/volunteers/{practitionerId}/supervision",
            new { supervisor = "S", on = service.Today() })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await trainer.PostAsJsonAsync($"/api/v1/volunteers/{practitionerId}/certify", new { })).StatusCode);
    }

    [Fact]
    public async Task Withdrawing_someone_still_in_training_tells_Conversations_nothing()
    {
        var (trainer, _, _) = await service.ClientFor("trainer");
        var id = await service.EnrolVolunteer(trainer);

        var tracked = await service.WaitForMessages(async () =>
            Assert.Equal(HttpStatusCode.OK, (await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/withdraw", new { reason = "Changed their mind" })).StatusCode));

        Assert.Empty(tracked.Sent.MessagesOf<PractitionerWithdrawn>());
    }

    [Fact]
    public async Task A_trainer_changes_a_practitioners_capacity_and_Conversations_holds_to_it()
    {
        var (trainer, _, _) = await service.ClientFor("trainer");
        var (caseworker, _, _) = await service.ClientFor("caseworker");
        var practitionerId = await service.CertifiedPractitioner();
        var first = await service.AcceptedReferral(caseworker);
        var second = await service.AcceptedReferral(caseworker);

        var invalid = await trainer.PostAsJsonAsync($"/api/v1/volunteers/{practitionerId}/capacity", new { capacity = 0 });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal(["capacity", "reason"], (await invalid.Body()).GetProperty("errors").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToArray());

        var tracked = await service.WaitForMessages(async () =>
            Assert.Equal(HttpStatusCode.OK, (await trainer.PostAsJsonAsync($"/api/v1/volunteers/{practitionerId}/capacity",
                new { capacity = 1, reason = "Starting gently after a break" })).StatusCode));
        var changed = Assert.Single(tracked.MessageSucceeded.MessagesOf<PractitionerCapacityChanged>());
        Assert.Equal((practitionerId, 1), (changed.PractitionerId, changed.Capacity));
        Assert.Equal(1, (await trainer.GetFromJsonAsync<JsonElement>($"/api/v1/volunteers/{practitionerId}")).GetProperty("capacity").GetInt32());

        Assert.Equal(HttpStatusCode.OK, (await caseworker.Assign(first, practitionerId)).StatusCode);
        var full = await caseworker.Assign(second, practitionerId);
        Assert.Equal(HttpStatusCode.Conflict, full.StatusCode);
        Assert.Equal(1, (await full.Body()).GetProperty("capacity").GetInt32());

        var trainee = await service.EnrolVolunteer(trainer);
        Assert.Equal(HttpStatusCode.Conflict, (await trainer.PostAsJsonAsync($"/api/v1/volunteers/{trainee}/capacity",
            new { capacity = 2, reason = "Not yet practising" })).StatusCode);
    }
}

/// <summary>The same tests once more, with the messages between modules travelling through RabbitMQ.</summary>
[Collection(TrainingOnRabbitMqCollection.Name)]
public sealed class StandingOnRabbitMqTests(RabbitMqServiceFixture service) : StandingTests(service);
