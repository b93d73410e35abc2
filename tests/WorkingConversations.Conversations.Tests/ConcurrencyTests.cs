using System.Net;
using System.Net.Http.Json;
using WorkingConversations.Testing;
using WorkingConversations.VolunteerTraining.Contracts;

namespace WorkingConversations.Conversations.Tests;

/// <summary>Writes that meet at the same moment, in the real host against real PostgreSQL, with nothing in between held back.</summary>
[Collection(ConversationsCollection.Name)]
public sealed class ConcurrencyTests(ServiceFixture service)
{
    private readonly Given _given = new(service);

    [Fact]
    public async Task Ten_assignments_at_once_to_a_practitioner_with_one_free_place_give_one_success_and_nine_409s_naming_the_capacity()
    {
        for (var round = 0; round < 3; round++)
        {
            var (practitioner, client) = await _given.ClearedPractitioner(capacity: 1);
            var participants = new List<Guid>();
            for (var i = 0; i < 10; i++) participants.Add((await _given.AcceptedParticipant()).ParticipantId);
            var caseworker = await _given.Caseworker();

            var responses = await Task.WhenAll(participants.Select(p =>
                caseworker.PostAsJsonAsync($"/api/v1/participants/{p}/practitioner", new { practitionerId = practitioner })));

            Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
            foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
            {
                var problem = await Given.Problem(refused, HttpStatusCode.Conflict);
                Assert.Equal(1, problem.GetProperty("capacity").GetInt32());
            }

            var caseload = await Given.Json(await client.GetAsync($"/api/v1/practitioners/{practitioner}/caseload"), HttpStatusCode.OK);
            Assert.Equal(1, caseload.GetProperty("activeParticipants").GetInt32());
        }
    }

    [Fact]
    public async Task A_suspension_and_a_capacity_change_handled_at_the_same_moment_both_stick()
    {
        var caseworker = await _given.Caseworker();
        for (var round = 0; round < 40; round++)
        {
            var (practitioner, _) = await _given.ClearedPractitioner(capacity: 3);
            var at = service.Clock.GetUtcNow();
            await service.WaitForMessages(() => Task.WhenAll(
                Publish(new PractitionerSuspended(practitioner, "Under review", at)),
                Publish(new PractitionerCapacityChanged(practitioner, 7, at))));

            var caseload = await Given.Json(await caseworker.GetAsync($"/api/v1/practitioners/{practitioner}/caseload"), HttpStatusCode.OK);
            Assert.Equal(("suspended", 7), (caseload.GetProperty("status").GetString(), caseload.GetProperty("capacity").GetInt32()));
        }
    }

    private async Task Publish(object message)
    {
        await using var scope = service.AppHost.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<Wolverine.IMessageBus>().PublishAsync(message);
    }
}
