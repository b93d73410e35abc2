using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WorkingConversations.Outcomes.Scoring;
using WorkingConversations.Testing;

namespace WorkingConversations.Outcomes.Tests.Integration;

[Collection(OutcomesCollection.Name)]
public sealed class EpisodeOutcomeTests(ServiceFixture service)
{
    [Fact]
    public async Task A_whole_episode_through_the_api_is_classified_as_finished_recovered_reliably_improved_with_its_circumstances_and_programme()
    {
        var driver = await EpisodeDriver.Start(service, programme: "apprentice");
        var today = DateOnly.FromDateTime(service.Clock.GetUtcNow().UtcDateTime);
        var person = Person.Unique(dateOfBirth: today.AddYears(-30).AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        var (referralId, participantId) = await driver.Refer(person);
        await driver.Accept(referralId);
        await driver.Assign(participantId);
        await driver.Circumstances(participantId, "start", "insecure", "unemployed-seeking-work", "usually-cannot", someone: false, community: false);
        var now = service.Clock.GetUtcNow();
        await driver.Questionnaire(participantId, "PHQ-9", "start", EpisodeDriver.Phq9(15), now.AddHours(-2));
        await driver.Questionnaire(participantId, "GAD-7", "start", EpisodeDriver.Gad7(9), now.AddHours(-2));
        await driver.Questionnaire(participantId, "SWEMWBS", "start", [3, 3, 2, 3, 3, 2, 3], now.AddHours(-2));
        await driver.Hold(participantId, 3);
        await driver.Miss(participantId);
        await driver.Questionnaire(participantId, "PHQ-9", "end", EpisodeDriver.Phq9(5), now);
        await driver.Questionnaire(participantId, "GAD-7", "end", EpisodeDriver.Gad7(3), now);
        await driver.Questionnaire(participantId, "SWEMWBS", "end", [4, 4, 3, 4, 3, 4, 3], now);
        await driver.Circumstances(participantId, "end", "secure", "employed-part-time", "meets-basic-needs", someone: true, community: false);
        await driver.End(participantId);

        var o = await driver.Outcome(participantId);
        Assert.Equal(driver.PartnerId, o.PartnerId);
        Assert.Equal("25-34", o.AgeBand);
        Assert.Equal("apprentice", o.Programme);
        Assert.True(o.Accepted);
        Assert.NotNull(o.AcceptedAt);
        Assert.NotNull(o.FirstConversationAt);
        Assert.Equal(3, o.ConversationsHeld);
        Assert.Equal(1, o.ConversationsMissed);
        Assert.True(o.Ended);
        Assert.Equal("goals-reached", o.EndReason);
        Assert.Equal((15m, 5m, 9m, 3m), (o.FirstPhq9!.Value, o.LastPhq9!.Value, o.FirstGad7!.Value, o.LastGad7!.Value));
        Assert.Equal((17.98m, 22.35m), (o.FirstSwemwbsMetric!.Value, o.LastSwemwbsMetric!.Value));
        Assert.True(o.FinishedTreatment);
        Assert.True(o.CasenessAtStart);
        Assert.True(o.Recovered);
        Assert.True(o.ReliablyImproved);
        Assert.False(o.ReliablyDeteriorated);
        Assert.True(o.ReliablyRecovered);
        Assert.Equal(WellbeingChange.Improved, o.WellbeingChange);
        Assert.Equal(Transition.Gained, o.StartToEnd!.Working);
        Assert.Equal(Transition.Gained, o.StartToEnd.SecureHousing);
        Assert.Equal(Transition.Gained, o.StartToEnd.MeetsBasicNeeds);
        Assert.Equal(Transition.Gained, o.StartToEnd.SomeoneToTurnTo);
        Assert.Equal(Transition.StayedBad, o.StartToEnd.Community);
        Assert.Equal([1, 3, 6, 12], o.CheckIns.Select(c => c.Months));
    }

    [Fact]
    public async Task An_episode_with_one_conversation_is_not_finished_and_a_reliable_rise_is_deterioration()
    {
        var driver = await EpisodeDriver.Start(service);
        var one = await driver.Episode(held: 1, phq9Start: 15, gad7Start: 9, phq9End: 5, gad7End: 3);
        var worse = await driver.Episode(held: 2, phq9Start: 6, gad7Start: 4, phq9End: 12, gad7End: 4);
        var open = await driver.Episode(held: 3, phq9Start: 15, gad7Start: 9, phq9End: 5, gad7End: 3, end: false);

        var o = await driver.Outcome(one);
        Assert.False(o.FinishedTreatment);
        Assert.True(o.Recovered);

        var w = await driver.Outcome(worse);
        Assert.True(w.FinishedTreatment);
        Assert.False(w.CasenessAtStart);
        Assert.True(w.ReliablyDeteriorated);
        Assert.False(w.ReliablyImproved);

        var unfinished = await driver.Outcome(open);
        Assert.False(unfinished.Ended);
        Assert.False(unfinished.FinishedTreatment);
    }

    [Fact]
    public async Task Declined_withdrawn_and_waitlisted_referrals_are_flagged_and_never_accepted()
    {
        var driver = await EpisodeDriver.Start(service);
        var (declined, declinedParticipant) = await driver.Refer();
        await driver.Triage(declined, "decline", new { reason = "Needs a clinical service", signpostedTo = "GP" });
        var (withdrawn, withdrawnParticipant) = await driver.Refer();
        await driver.Triage(withdrawn, "withdraw", new { reason = "Moved" });
        var (waitlisted, waitlistedParticipant) = await driver.Refer();
        await driver.Triage(waitlisted, "waitlist", new { reason = "Full" });

        Assert.True((await driver.Outcome(declinedParticipant)).Declined);
        Assert.True((await driver.Outcome(withdrawnParticipant)).Withdrawn);
        var w = await driver.Outcome(waitlistedParticipant);
        Assert.True(w.Waitlisted);
        Assert.False(w.Accepted);
    }

    [Fact]
    public async Task Circumstances_are_validated_naming_every_bad_field_and_recorded_only_for_the_assigned_practitioner()
    {
        var driver = await EpisodeDriver.Start(service);
        var (referralId, participantId) = await driver.Refer();
        await driver.Accept(referralId);
        await driver.Assign(participantId);

        var bad = await driver.Caseworker.PostAsJsonAsync($"/api/v1/participants/{participantId}/circumstances",
            new { timepoint = "session", housing = "castle", employment = "astronaut", money = "plenty" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        foreach (var field in new[] { "timepoint", "housing", "employment", "money", "hasSomeoneToTurnTo", "takesPartInCommunity" })
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {errors}");

        var (_, stranger) = await new Scenario(service).ClearedPractitioner();
        var notTheirs = await stranger.PostAsJsonAsync($"/api/v1/participants/{participantId}/circumstances",
            new { timepoint = "start", housing = "secure", employment = "student", money = "meets-basic-needs", hasSomeoneToTurnTo = true, takesPartInCommunity = true });
        Assert.Equal(HttpStatusCode.NotFound, notTheirs.StatusCode);

        var (own, _, _) = await service.ClientFor("practitioner", practitionerId: driver.PractitionerId);
        var created = await own.PostAsJsonAsync($"/api/v1/participants/{participantId}/circumstances",
            new { timepoint = "start", housing = "temporary", employment = "carer", money = "sometimes-cannot", hasSomeoneToTurnTo = true, takesPartInCommunity = false });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("temporary", body.GetProperty("housing").GetString());
        Assert.Equal(1, body.GetProperty("episodeNumber").GetInt32());

        var o = await driver.Outcome(participantId);
        Assert.Equal("carer", o.CircumstancesAtStart!.Employment);
        Assert.Null(o.StartToEnd);
    }

    [Fact]
    public async Task A_retried_questionnaire_or_circumstances_with_the_same_idempotency_key_is_recorded_once()
    {
        var driver = await EpisodeDriver.Start(service);
        var (referralId, participantId) = await driver.Refer();
        await driver.Accept(referralId);
        await driver.Assign(participantId);

        async Task<HttpResponseMessage> Post(string path, object body, string key)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/participants/{participantId}/{path}") { Content = JsonContent.Create(body) };
            request.Headers.Add("Idempotency-Key", key);
            return await driver.Caseworker.SendAsync(request);
        }

        var phq9 = new { instrument = "PHQ-9", timepoint = "start", answers = EpisodeDriver.Phq9(12), administeredAt = service.Clock.GetUtcNow() };
        var first = await Post("questionnaires", phq9, "q-1");
        var again = await Post("questionnaires", phq9, "q-1");
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());

        var circumstances = new { timepoint = "start", housing = "secure", employment = "student", money = "meets-basic-needs", hasSomeoneToTurnTo = true, takesPartInCommunity = true };
        Assert.Equal(HttpStatusCode.Created, (await Post("circumstances", circumstances, "c-1")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Post("circumstances", circumstances, "c-1")).StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await Post("circumstances", circumstances with { housing = "homeless" }, "c-1")).StatusCode);

        Assert.Equal(1, (await driver.Outcome(participantId)).Questionnaires);
        var history = await driver.Caseworker.GetFromJsonAsync<JsonElement>($"/api/v1/participants/{participantId}/history?order=asc");
        Assert.Single(history.GetProperty("items").EnumerateArray(), i => i.GetProperty("type").GetString() == "circumstances-recorded");
    }
}
