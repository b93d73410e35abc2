using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using WorkingConversations.Testing;

namespace WorkingConversations.Journey.Tests;

/// <summary>
/// A practitioner's writes that meet a background append on the same journey are the server's problem: a PHQ-9 whose
/// item 9 is above 0 makes Conversations raise a safeguarding concern on the journey while the practitioner goes on.
/// </summary>
[Collection(JourneyCollection.Name)]
public sealed class WriteRaceTests(ServiceFixture service)
{
    private const int Journeys = 4;
    private const int RoundsEach = 25;

    [Fact]
    public async Task A_hundred_risk_questionnaires_each_followed_at_once_by_four_writes_without_If_Match_get_no_409_and_store_each_write_once()
    {
        var journeys = new List<Journey>();
        for (var i = 0; i < Journeys; i++) journeys.Add(await new JourneySteps(service).HeldJourney());
        var refused = new List<string>();

        await service.WaitForMessages(() => Task.WhenAll(journeys.Select(async journey =>
        {
            var participant = $"/api/v1/participants/{journey.ParticipantId}";
            for (var round = 0; round < RoundsEach; round++)
            {
                var conversation = await JourneySteps.Schedule(journey.Practitioner, journey.ParticipantId);
                var risk = await Questionnaire(journey, "PHQ-9", [0, 1, 0, 0, 1, 0, 0, 0, 1]);
                Assert.True((await risk.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("riskIndicated").GetBoolean());

                var writes = await Task.WhenAll(
                    Questionnaire(journey, "GAD-7", [1, 1, 0, 0, 1, 0, 0]),
                    Questionnaire(journey, "UCLA-3", [2, 1, 2]),
                    Questionnaire(journey, "WSAS", [2, 3, 1, 0, 4]),
                    journey.Practitioner.PostAsJsonAsync($"/api/v1/conversations/{conversation}/record", new
                    {
                        attended = true, bestHopes = "Feel settled at home", preferredFutureSigns = new[] { "sleeping through" }, scale = 4,
                        exceptions = "Walks help", onePointUp = "Out once a day", riskDisclosed = false, durationMinutes = 45,
                    }));
                lock (refused)
                {
                    refused.AddRange(writes.Prepend(risk).Where(w => !w.IsSuccessStatusCode)
                        .Select(w => $"{w.RequestMessage!.RequestUri}: {(int)w.StatusCode}"));
                }
            }
        })), timeoutSeconds: 600, racesExpected: true);

        Assert.Empty(refused);
        // A handler that lost its race to the requests was run again, never given up on.
        Assert.Empty(await DeadLetters());
        var (reader, _, _) = await service.ClientFor("caseworker");
        foreach (var journey in journeys)
        {
            async Task<string[]> Events(string type) =>
                [.. (await reader.GetFromJsonAsync<JsonElement>($"/api/v1/participants/{journey.ParticipantId}/history?type={type}&limit=500"))
                    .GetProperty("items").EnumerateArray().Select(i => i.GetProperty("data").GetRawText())];

            var questionnaires = await Events("questionnaire-recorded");
            // The walking skeleton's own PHQ-9, then five questionnaires a round.
            Assert.Equal(1 + RoundsEach * 4, questionnaires.Length);
            Assert.Equal(questionnaires.Length, questionnaires.Select(q => JsonDocument.Parse(q).RootElement.GetProperty("questionnaireId").GetGuid()).Distinct().Count());
            Assert.Equal(1 + RoundsEach, (await Events("conversation-held")).Length);
            // One concern per risk questionnaire: never lost, never twice.
            var concerns = await Events("safeguarding-concern-raised");
            Assert.Equal(RoundsEach, concerns.Length);
            Assert.Equal(RoundsEach, concerns.Select(c => JsonDocument.Parse(c).RootElement.GetProperty("sourceId").GetGuid()).Distinct().Count());
        }

    }

    private async Task<IReadOnlyList<string>> DeadLetters()
    {
        await using var connection = new NpgsqlConnection(service.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select message_type || ': ' || exception_type || ': ' || exception_message from wolverine.wolverine_dead_letters", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var dead = new List<string>();
        while (await reader.ReadAsync()) dead.Add(reader.GetString(0));
        return dead;
    }

    private static Task<HttpResponseMessage> Questionnaire(Journey journey, string instrument, int[] answers) =>
        journey.Practitioner.PostAsJsonAsync($"/api/v1/participants/{journey.ParticipantId}/questionnaires",
            new { instrument, timepoint = "session", answers, administeredAt = DateTimeOffset.UtcNow });
}
