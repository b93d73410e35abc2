using System.Net;
using System.Net.Http.Json;
using Wolverine.Runtime;
using WorkingConversations.Testing;

namespace WorkingConversations.Conversations.Tests;

/// <summary>
/// A risk must reach a caseworker even when the host goes down between recording the questionnaire and raising the
/// concern. These tests run their own hosts, one after the other, on one database.
/// </summary>
public sealed class SafeguardingCrashTests
{
    [Fact]
    public async Task A_risk_recorded_just_before_the_host_goes_down_becomes_an_open_concern_after_a_restart()
    {
        Guid participantId;
        string database;
        await using (var first = new ServiceFixture())
        {
            await first.InitializeAsync();
            database = first.ConnectionString;
            var given = new Given(first);
            (participantId, _, _, var practitioner) = await given.AssignedParticipant();

            // Conversations' risk handler stops taking messages, as if the host died before it got to this one.
            var runtime = first.Services.GetRequiredService<IWolverineRuntime>();
            var queue = runtime.Endpoints.LocalQueueForMessageType(typeof(Outcomes.Contracts.RiskIndicated))!;
            await runtime.Endpoints.FindListenerCircuit(queue.Uri)!.PauseAsync(TimeSpan.FromHours(1));

            var recorded = await practitioner.PostAsJsonAsync($"/api/v1/participants/{participantId}/questionnaires",
                new { instrument = "PHQ-9", timepoint = "start", answers = new[] { 2, 2, 1, 1, 2, 1, 1, 2, 2 }, administeredAt = DateTimeOffset.UtcNow.AddMinutes(-5) });
            Assert.Equal(HttpStatusCode.Created, recorded.StatusCode);
            Assert.Empty(await Given.Items(await given.Caseworker(), $"/api/v1/safeguarding/concerns?participantId={participantId}"));
        }

        // The host comes back on the same database: the durable inbox still holds the risk, and it is handled.
        await using var restarted = ServiceFixture.OnDatabase(database);
        await restarted.InitializeAsync();
        var caseworker = (await restarted.ClientFor("caseworker")).Client;
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        System.Text.Json.JsonElement[] concerns;
        // Recovery of a stopped node's messages is the durability agent's periodic work, not a cascade a tracked
        // session can follow, so this waits for its visible effect, with a deadline.
        while ((concerns = await Given.Items(caseworker, $"/api/v1/safeguarding/concerns?status=open&participantId={participantId}")).Length == 0 &&
               DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(250);
        }

        var concern = Assert.Single(concerns);
        Assert.Equal("questionnaire", concern.GetProperty("source").GetString());
    }
}
