using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;
using Wolverine.Persistence.Durability.ScheduledMessageManagement;
using Wolverine.Runtime;
using WorkingConversations.Outcomes.FollowingUp;
using WorkingConversations.Testing;

namespace WorkingConversations.Outcomes.Tests.Integration;

[Collection(OutcomesCollection.Name)]
public class FollowUpTests(ServiceFixture service)
{
    /// <summary>
    /// Wolverine fires scheduled messages by the system clock, which the tests do not move; so once the service's clock
    /// is moved past a due date, the test delivers the message the scheduler holds, exactly as the scheduler would.
    /// </summary>
    private async Task Deliver(object message)
    {
        await using var scope = service.Services.CreateAsyncScope();
        var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
        await service.WaitForMessages(() => bus.InvokeAsync(message));
    }

    [Fact]
    public async Task Ending_an_episode_schedules_durable_check_ins_and_a_recovered_person_who_worsens_at_one_month_has_relapsed_and_a_missed_check_in_is_counted()
    {
        var d = await EpisodeDriver.Start(service);
        var person = Person.Unique();
        var participant = await d.Episode(held: 2, phq9Start: 15, gad7Start: 9, phq9End: 5, gad7End: 3, person: person);
        var ended = await d.Outcome(participant);
        var endedAt = ended.EndedAt!.Value;
        Assert.True(ended.Recovered && ended.FinishedTreatment);
        Assert.Equal([1, 3, 6, 12], ended.CheckIns.Select(c => c.Months));
        Assert.Equal([endedAt.AddMonths(1), endedAt.AddMonths(3), endedAt.AddMonths(6), endedAt.AddMonths(12)], ended.CheckIns.Select(c => c.DueOn));

        // The check-ins wait in Wolverine's durable store (they survive a restart), one for each due date.
        var store = service.Services.GetRequiredService<IWolverineRuntime>().Storage;
        var scheduled = await store.ScheduledMessages.QueryAsync(new ScheduledMessageQuery { PageSize = 1000 }, CancellationToken.None);
        var reminders = scheduled.Messages.Where(m => m.MessageType?.Contains(nameof(FollowUpCheckInReminder), StringComparison.Ordinal) == true).ToList();
        foreach (var months in new[] { 1, 3, 6, 12 })
            Assert.Contains(reminders, m => m.ScheduledTime is { } t && Math.Abs((t - endedAt.AddMonths(months)).TotalSeconds) < 1);

        // One month on: the check-in comes due and a follow-up is recorded; PHQ-9 is back at caseness, 6 above the last score.
        var oneMonth = endedAt.AddMonths(1);
        service.Clock.Set(oneMonth.AddHours(1));
        await Deliver(new FollowUpCheckInReminder(participant, 1, 1, endedAt, oneMonth));
        await d.Questionnaire(participant, "PHQ-9", "follow-up", EpisodeDriver.Phq9(11), service.Clock.GetUtcNow());
        await d.Questionnaire(participant, "GAD-7", "follow-up", EpisodeDriver.Gad7(3), service.Clock.GetUtcNow());
        service.Clock.Set(oneMonth.AddDays(15).AddHours(1));
        await Deliver(new FollowUpWindowClosed(participant, 1, 1, endedAt, oneMonth));

        // Three months on: it comes due, nothing is recorded, and 14 days later it is missed.
        var threeMonths = endedAt.AddMonths(3);
        service.Clock.Set(threeMonths.AddHours(1));
        await Deliver(new FollowUpCheckInReminder(participant, 1, 3, endedAt, threeMonths));
        service.Clock.Set(threeMonths.AddDays(10));
        await Deliver(new FollowUpWindowClosed(participant, 1, 3, endedAt, threeMonths));
        Assert.Equal(0, (await d.Outcome(participant)).FollowUpsMissed);   // still within the grace days
        service.Clock.Set(threeMonths.AddDays(15).AddHours(1));
        await Deliver(new FollowUpWindowClosed(participant, 1, 3, endedAt, threeMonths));
        await Deliver(new FollowUpWindowClosed(participant, 1, 3, endedAt, threeMonths));   // redelivered: no second miss

        var after = await d.Outcome(participant);
        Assert.True(after.Relapsed);
        Assert.Equal(DateOnly.FromDateTime(oneMonth.AddHours(1).UtcDateTime), after.FirstRelapseOn);
        Assert.False(after.SustainedRecovery);
        Assert.Equal((2, 1, 1), (after.FollowUpsDue, after.FollowUpsDone, after.FollowUpsMissed));
        Assert.Equal(5m, after.LastPhq9);   // a follow-up is not the episode's last score

        var (caseworker, _, _) = await service.ClientFor("caseworker");
        var history = await caseworker.GetFromJsonAsync<JsonElement>($"/api/v1/participants/{participant}/history?order=asc");
        var types = history.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("type").GetString()).ToList();
        Assert.Single(types, t => t == "follow-ups-scheduled");
        Assert.Equal(2, types.Count(t => t == "follow-up-check-in-due"));
        Assert.Single(types, t => t == "follow-up-check-in-missed");

        // Referred again within 12 months of the end: the first episode counts as returned.
        var (_, again) = await d.Refer(person);
        Assert.Equal(participant, again);
        Assert.True((await d.Outcome(participant)).Returned);

        var analyst = (await service.ClientFor("analyst")).Client;
        var relapse = await analyst.GetFromJsonAsync<JsonElement>($"/api/v1/outcomes/relapse?from=2000-01-01&to=2100-12-31&partnerId={d.PartnerId}");
        Assert.True(relapse.GetProperty("relapsed").GetProperty("suppressed").GetBoolean());   // 1 person
        Assert.Equal(JsonValueKind.Null, relapse.GetProperty("relapseRate").GetProperty("nhs").ValueKind);
    }

    [Fact]
    public async Task A_recovery_held_through_the_twelve_month_check_in_is_sustained()
    {
        var d = await EpisodeDriver.Start(service);
        var participant = await d.Episode(held: 3, phq9Start: 14, gad7Start: 10, phq9End: 4, gad7End: 2);
        var endedAt = (await d.Outcome(participant)).EndedAt!.Value;

        foreach (var months in new[] { 1, 3, 6, 12 })
        {
            var due = endedAt.AddMonths(months);
            service.Clock.Set(due.AddHours(2));
            await Deliver(new FollowUpCheckInReminder(participant, 1, months, endedAt, due));
            // A rise, but to below caseness: not a relapse.
            await d.Questionnaire(participant, "PHQ-9", "follow-up", EpisodeDriver.Phq9(9), service.Clock.GetUtcNow());
            service.Clock.Set(due.AddDays(15).AddHours(2));
            await Deliver(new FollowUpWindowClosed(participant, 1, months, endedAt, due));
        }

        var o = await d.Outcome(participant);
        Assert.False(o.Relapsed);
        Assert.True(o.SustainedRecovery);
        Assert.Equal((4, 4, 0), (o.FollowUpsDue, o.FollowUpsDone, o.FollowUpsMissed));
    }
}

/// <summary>The same tests once more, with the messages between modules travelling through RabbitMQ.</summary>
[Collection(OutcomesOnRabbitMqCollection.Name)]
public sealed class FollowUpOnRabbitMqTests(RabbitMqServiceFixture service) : FollowUpTests(service);
