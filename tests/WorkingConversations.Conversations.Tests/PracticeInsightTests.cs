using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;
using WorkingConversations.Outcomes.FollowingUp;
using WorkingConversations.Testing;

namespace WorkingConversations.Conversations.Tests;

/// <summary>
/// The scale trajectory, the caseload prompts and the fidelity self-rating through the real API, as the practitioner,
/// the caseworker and the trainer who supervises the practitioner would use them.
/// </summary>
[Collection(ConversationsCollection.Name)]
public sealed class PracticeInsightTests(ServiceFixture service)
{
    private readonly Given _given = new(service);

    private static readonly object Fidelity = new
    {
        bestHopesAsked = "yes", preferredFutureDescribed = "partly", scalingUsed = "yes", exceptionsExplored = "no", nextStepParticipantsOwn = "yes",
    };

    private static object Body(int scale, string nextStep, string? lastStepTaken = null, string? better = null, object? fidelity = null) => new
    {
        attended = true, bestHopes = "Feel settled at home", preferredFutureSigns = new[] { "sleeping through" }, scale,
        exceptions = "Walks help", onePointUp = "Out once a day", nextSmallStep = nextStep, riskDisclosed = false, durationMinutes = 45,
        lastStepTaken, whatHasBeenBetter = better, fidelity,
    };

    private async Task<HttpResponseMessage> Hold(HttpClient practitioner, Guid participantId, object body)
    {
        var conversation = await Given.Schedule(practitioner, participantId, service.Clock.GetUtcNow().AddHours(1));
        service.Clock.Advance(TimeSpan.FromDays(7));
        return await practitioner.PostAsJsonAsync($"/api/v1/conversations/{conversation}/record", body);
    }

    private static async Task<string[]> PromptKinds(HttpClient client, Guid practitionerId, Guid participantId) =>
        [.. (await Given.Json(await client.GetAsync($"/api/v1/practitioners/{practitionerId}/caseload-health"), HttpStatusCode.OK))
            .GetProperty("prompts").EnumerateArray()
            .Where(p => p.GetProperty("participantId").GetGuid() == participantId)
            .Select(p => p.GetProperty("kind").GetString()!)];

    [Fact]
    public async Task Four_conversations_at_3_3_3_5_give_four_points_a_flat_prompt_after_the_third_gone_after_the_fourth_and_fidelity_at_the_third()
    {
        var (participantId, _, practitionerId, practitioner) = await _given.AssignedParticipant();
        var (trainer, _, _) = await service.ClientFor("trainer");

        Assert.Equal(HttpStatusCode.OK, (await Hold(practitioner, participantId, Body(3, "Call my sister"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Hold(practitioner, participantId, Body(3, "Walk to the shop", "partly", "Slept better on two nights"))).StatusCode);
        Assert.DoesNotContain("scale-flat-or-falling", await PromptKinds(practitioner, practitionerId, participantId));

        var before = await Given.Json(await practitioner.GetAsync($"/api/v1/participants/{participantId}/trajectory"), HttpStatusCode.OK);
        Assert.True(before.GetProperty("fidelityDueAtNextConversation").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await Hold(practitioner, participantId, Body(3, "Join the walking group", "yes", "Went to the shop", Fidelity))).StatusCode);

        var afterThird = await PromptKinds(practitioner, practitionerId, participantId);
        Assert.Contains("scale-flat-or-falling", afterThird);
        // The trainer who supervises the practitioner sees the same prompt, and the rating.
        Assert.Contains("scale-flat-or-falling", await PromptKinds(trainer, practitionerId, participantId));
        var fidelity = await Given.Json(await trainer.GetAsync($"/api/v1/practitioners/{practitionerId}/fidelity"), HttpStatusCode.OK);
        Assert.Equal((3, 1), (fidelity.GetProperty("conversationsHeld").GetInt32(), fidelity.GetProperty("conversationsRated").GetInt32()));
        var rating = Assert.Single(fidelity.GetProperty("ratings").EnumerateArray()).GetProperty("rating");
        Assert.Equal(("yes", "partly", "no"), (rating.GetProperty("bestHopesAsked").GetString(), rating.GetProperty("preferredFutureDescribed").GetString(),
            rating.GetProperty("exceptionsExplored").GetString()));
        Assert.DoesNotContain(participantId.ToString(), fidelity.GetRawText());

        Assert.Equal(HttpStatusCode.OK, (await Hold(practitioner, participantId, Body(5, "Ask about volunteering", "not-chosen", "Talked to a neighbour"))).StatusCode);
        Assert.DoesNotContain("scale-flat-or-falling", await PromptKinds(practitioner, practitionerId, participantId));
        Assert.DoesNotContain("scale-flat-or-falling", await PromptKinds(trainer, practitionerId, participantId));

        var trajectory = await Given.Json(await practitioner.GetAsync($"/api/v1/participants/{participantId}/trajectory"), HttpStatusCode.OK);
        var points = trajectory.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal([3, 3, 3, 5], points.Select(p => p.GetProperty("scale").GetInt32()));
        Assert.Equal("Feel settled at home", points[0].GetProperty("bestHopes").GetString());
        Assert.Equal("Call my sister", points[0].GetProperty("nextSmallStep").GetString());
        var said = points[0].GetProperty("atNextConversation");
        Assert.Equal(("partly", "Slept better on two nights"), (said.GetProperty("lastStepTaken").GetString(), said.GetProperty("whatHasBeenBetter").GetString()));
        Assert.Equal(JsonValueKind.Null, points[3].GetProperty("atNextConversation").ValueKind);
        Assert.Equal([false, false, true, false], points.Select(p => p.GetProperty("fidelityRated").GetBoolean()));
        Assert.False(trajectory.GetProperty("fidelityDueAtNextConversation").GetBoolean());

        // The caseworker sees the trajectory too; another practitioner does not, nor another's prompts.
        Assert.Equal(HttpStatusCode.OK, (await (await _given.Caseworker()).GetAsync($"/api/v1/participants/{participantId}/trajectory")).StatusCode);
        var (_, stranger) = await _given.ClearedPractitioner();
        await Given.Problem(await stranger.GetAsync($"/api/v1/participants/{participantId}/trajectory"), HttpStatusCode.NotFound);
        await Given.Problem(await stranger.GetAsync($"/api/v1/practitioners/{practitionerId}/caseload-health"), HttpStatusCode.NotFound);
        await Given.Problem(await stranger.GetAsync($"/api/v1/practitioners/{practitionerId}/fidelity"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_fidelity_rating_and_the_last_step_are_refused_where_they_are_not_asked_and_nothing_is_stored()
    {
        var (participantId, _, _, practitioner) = await _given.AssignedParticipant();
        var first = await Given.Problem(await Hold(practitioner, participantId, Body(4, "Call", lastStepTaken: "yes")), HttpStatusCode.BadRequest);
        Assert.True(first.GetProperty("errors").TryGetProperty("lastStepTaken", out _));
        var early = await Given.Problem(await Hold(practitioner, participantId, Body(4, "Call", fidelity: Fidelity)), HttpStatusCode.BadRequest);
        Assert.Contains("third", early.GetProperty("errors").GetProperty("fidelity")[0].GetString());
        var wrong = await Given.Problem(await Hold(practitioner, participantId, Body(4, "Call", lastStepTaken: "maybe")), HttpStatusCode.BadRequest);
        Assert.True(wrong.GetProperty("errors").TryGetProperty("lastStepTaken", out _));
        var badItem = await Given.Problem(await Hold(practitioner, participantId, Body(4, "Call", fidelity: new { bestHopesAsked = "often" })), HttpStatusCode.BadRequest);
        Assert.True(badItem.GetProperty("errors").TryGetProperty("fidelity.bestHopesAsked", out _));
        Assert.True(badItem.GetProperty("errors").TryGetProperty("fidelity.scalingUsed", out _));

        var trajectory = await Given.Json(await practitioner.GetAsync($"/api/v1/participants/{participantId}/trajectory"), HttpStatusCode.OK);
        Assert.Equal(0, trajectory.GetProperty("points").GetArrayLength());
    }

    [Fact]
    public async Task Erasure_masks_what_has_been_better_and_keeps_the_scale_and_the_answer_about_the_last_step()
    {
        var (participantId, _, _, practitioner) = await _given.AssignedParticipant();
        await Hold(practitioner, participantId, Body(2, "Call my sister"));
        await Hold(practitioner, participantId, Body(4, "Walk", "yes", "Saw my sister on Sunday"));

        await service.Services.GetRequiredService<IDocumentStore>().Advanced.ApplyEventDataMasking(x => x.IncludeStream(participantId));

        var points = (await Given.Json(await practitioner.GetAsync($"/api/v1/participants/{participantId}/trajectory"), HttpStatusCode.OK))
            .GetProperty("points").EnumerateArray().ToList();
        Assert.Equal([2, 4], points.Select(p => p.GetProperty("scale").GetInt32()));
        Assert.Equal("[erased]", points[1].GetProperty("whatHasBeenBetter").GetString());
        Assert.Equal("yes", points[1].GetProperty("lastStepTaken").GetString());
        Assert.Equal("[erased]", points[0].GetProperty("atNextConversation").GetProperty("whatHasBeenBetter").GetString());
    }

    [Fact]
    public async Task Quiet_weeks_an_open_concern_and_a_follow_up_due_are_prompts_and_go_when_dealt_with()
    {
        var (quiet, _, practitionerId, practitioner) = await _given.AssignedParticipant();
        var (concerned, _) = await _given.AcceptedParticipant();
        await _given.Assign(concerned, practitionerId);
        var (ended, _) = await _given.AcceptedParticipant();
        await _given.Assign(ended, practitionerId);

        var conversation = await Given.Schedule(practitioner, concerned, service.Clock.GetUtcNow().AddHours(1));
        var recorded = await Given.Json(await Given.Record(practitioner, conversation, riskDisclosed: true), HttpStatusCode.OK);
        await Hold(practitioner, quiet, Body(5, "Call"));
        await Hold(practitioner, ended, Body(6, "Call"));
        await Hold(practitioner, ended, Body(7, "Call"));
        Assert.Equal(HttpStatusCode.OK, (await _given.End(practitioner, ended)).StatusCode);

        Assert.Contains("open-safeguarding-concern", await PromptKinds(practitioner, practitionerId, concerned));
        Assert.DoesNotContain("no-recent-conversation", await PromptKinds(practitioner, practitionerId, quiet));
        service.Clock.Advance(TimeSpan.FromDays(15));
        Assert.Contains("no-recent-conversation", await PromptKinds(practitioner, practitionerId, quiet));

        var caseworker = await _given.Caseworker();
        var concernId = recorded.GetProperty("safeguardingConcernId").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await caseworker.PostAsJsonAsync($"/api/v1/safeguarding/concerns/{concernId}/acknowledge", new { actionTaken = "Called the GP" })).StatusCode);
        Assert.DoesNotContain("open-safeguarding-concern", await PromptKinds(practitioner, practitionerId, concerned));
        await Hold(practitioner, quiet, Body(5, "Call"));
        Assert.DoesNotContain("no-recent-conversation", await PromptKinds(practitioner, practitionerId, quiet));

        // The first check-in comes due (the scheduler's message, delivered as it would be on the day): a prompt until a follow-up is recorded.
        Assert.DoesNotContain("follow-up-due", await PromptKinds(practitioner, practitionerId, ended));
        var endedAt = await EndedAt(ended);
        service.Clock.Set(endedAt.AddMonths(1).AddHours(1));
        await using (var scope = service.Services.CreateAsyncScope())
        {
            var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
            await service.WaitForMessages(() => bus.InvokeAsync(new FollowUpCheckInReminder(ended, 1, 1, endedAt, endedAt.AddMonths(1))));
        }

        Assert.Equal(["follow-up-due"], await PromptKinds(practitioner, practitionerId, ended));
        Assert.Equal(HttpStatusCode.Created, (await caseworker.PostAsJsonAsync($"/api/v1/participants/{ended}/questionnaires", new
        {
            instrument = "PHQ-9", timepoint = "follow-up", answers = new[] { 1, 1, 1, 0, 0, 0, 0, 0, 0 }, administeredAt = service.Clock.GetUtcNow(),
        })).StatusCode);
        Assert.DoesNotContain("follow-up-due", await PromptKinds(practitioner, practitionerId, ended));
    }

    private async Task<DateTimeOffset> EndedAt(Guid participantId)
    {
        await using var session = service.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var events = await session.Events.FetchStreamAsync(participantId);
        return events.Select(e => e.Data).OfType<Contracts.EpisodeEnded>().Single().EndedAt;
    }
}
