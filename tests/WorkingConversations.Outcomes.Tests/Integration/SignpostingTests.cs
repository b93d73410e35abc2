using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WorkingConversations.Testing;

namespace WorkingConversations.Outcomes.Tests.Integration;

[Collection(OutcomesCollection.Name)]
public sealed class SignpostingTests(ServiceFixture service)
{
    [Fact]
    public async Task Next_small_steps_at_directory_services_and_the_follow_up_answers_are_counted_for_analysts_with_disclosure_control()
    {
        var services = DirectoryData.Services();
        await service.WaitForMessages(async () => await service.Admin().Import(services));
        var larder = DirectoryData.IdOf(services, DirectoryData.DingleLarder);
        var driver = await EpisodeDriver.Start(service);
        var (analyst, _, _) = await service.ClientFor("analyst");
        var from = service.Clock.GetUtcNow().ToString("yyyy-MM-dd");
        var before = await analyst.GetFromJsonAsync<JsonElement>($"/api/v1/outcomes/signposting?from={from}");

        // Ten episodes signposted to the larder as a next small step: eight connected, two tried but could not.
        for (var i = 0; i < 10; i++)
        {
            var (referralId, participantId) = await driver.Refer();
            await driver.Accept(referralId);
            await driver.Assign(participantId);
            var conversation = await driver.Schedule(participantId);
            var recorded = await driver.Caseworker.PostAsJsonAsync($"/api/v1/conversations/{conversation}/record", new
            {
                attended = true, bestHopes = "Eat properly again", preferredFutureSigns = new[] { "a full cupboard" }, scale = 3,
                exceptions = "Cooked on Sunday", onePointUp = "Shopping once a week", nextSmallStep = "Go to the larder on Thursday",
                nextSmallStepServiceId = larder, riskDisclosed = false, durationMinutes = 40,
            });
            await EpisodeDriver.Expect(HttpStatusCode.OK, recorded);
            var answer = i < 8 ? "connected" : "tried-but-could-not";
            await EpisodeDriver.Expect(HttpStatusCode.Created, await driver.Caseworker.PostAsJsonAsync($"/api/v1/participants/{participantId}/circumstances", new
            {
                timepoint = "follow-up", housing = "secure", employment = "unemployed-seeking-work", money = "sometimes-cannot", hasSomeoneToTurnTo = true,
                takesPartInCommunity = true, connectedWithSignpostedService = answer,
            }));
        }

        var report = await analyst.GetFromJsonAsync<JsonElement>($"/api/v1/outcomes/signposting?from={from}");
        int Value(JsonElement r, string count) => r.GetProperty(count).GetProperty("value").GetInt32();
        Assert.Equal(0, Value(before, "signposted"));
        Assert.Equal(10, Value(report, "signposted"));
        Assert.Equal(10, Value(report, "signpostedAsNextSmallStep"));
        Assert.Equal(0, Value(report, "signpostedAtDecline"));
        Assert.Equal(10, Value(report, "followedUp"));
        // Eight connected, rounded to the nearest five; the rate is computed from the unrounded counts.
        Assert.Equal(10, Value(report, "connected"));
        Assert.True(report.GetProperty("triedButCouldNot").GetProperty("suppressed").GetBoolean(), "two episodes is a small count: suppressed");
        Assert.Equal(0.8m, report.GetProperty("connectedRate").GetProperty("nhs").GetDecimal());
    }

    [Fact]
    public async Task A_next_small_step_at_a_service_the_directory_does_not_list_is_refused_naming_the_field()
    {
        var driver = await EpisodeDriver.Start(service);
        var (referralId, participantId) = await driver.Refer();
        await driver.Accept(referralId);
        await driver.Assign(participantId);
        var conversation = await driver.Schedule(participantId);

        var response = await driver.Caseworker.PostAsJsonAsync($"/api/v1/conversations/{conversation}/record", new
        {
            attended = true, bestHopes = "Feel settled", preferredFutureSigns = Array.Empty<string>(), scale = 5, exceptions = "Walks", onePointUp = "Out daily",
            nextSmallStepServiceId = "no-such-service", riskDisclosed = false, durationMinutes = 30,
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("nextSmallStepServiceId", out _));
    }

    [Fact]
    public async Task Whether_the_person_connected_is_asked_at_a_follow_up_only()
    {
        var driver = await EpisodeDriver.Start(service);
        var (referralId, participantId) = await driver.Refer();
        await driver.Accept(referralId);

        var response = await driver.Caseworker.PostAsJsonAsync($"/api/v1/participants/{participantId}/circumstances", new
        {
            timepoint = "start", housing = "secure", employment = "retired", money = "meets-basic-needs", hasSomeoneToTurnTo = true,
            takesPartInCommunity = false, connectedWithSignpostedService = "connected",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("connectedWithSignpostedService", out _));
    }
}
