using System.Net;
using System.Net.Http.Json;
using WorkingConversations.Testing;

namespace WorkingConversations.Journey.Tests;

[Collection(JourneyCollection.Name)]
public sealed class AccessTests(ServiceFixture service)
{
    [Fact]
    public async Task A_practitioner_reads_only_the_journeys_they_hold_and_loses_them_when_another_is_assigned()
    {
        var steps = new JourneySteps(service);
        var journey = await steps.HeldJourney();
        var url = $"/api/v1/participants/{journey.ParticipantId}";
        var (_, stranger) = await steps.ClearedPractitioner();

        Assert.Equal(HttpStatusCode.OK, (await journey.Practitioner.GetAsync($"{url}/history")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await journey.Practitioner.GetAsync(url)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"{url}/history")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync(url)).StatusCode);

        var (successorId, successor) = await steps.ClearedPractitioner();
        await steps.Assign(journey.ParticipantId, successorId);
        Assert.Equal(HttpStatusCode.OK, (await successor.GetAsync($"{url}/history")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await journey.Practitioner.GetAsync($"{url}/history")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await journey.Practitioner.GetAsync(url)).StatusCode);
    }

    [Fact]
    public async Task Partners_analysts_and_practitioners_may_not_export_or_erase_and_partners_and_analysts_read_nothing()
    {
        var steps = new JourneySteps(service);
        var journey = await steps.HeldJourney();
        var url = $"/api/v1/participants/{journey.ParticipantId}";
        var (_, partner) = await steps.Partner();
        var (analyst, _, _) = await service.ClientFor("analyst");

        foreach (var client in new[] { partner, analyst })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync(url)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"{url}/history")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync($"{url}/export")).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsJsonAsync($"{url}/erasure", new { })).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await journey.Practitioner.GetAsync($"{url}/export")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await journey.Practitioner.PostAsJsonAsync($"{url}/erasure", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await service.ClientWithKey(null).GetAsync(url)).StatusCode);
    }
}
