using Marten;
using Wolverine;
using WorkingConversations.Conversations.Contracts;
using WorkingConversations.Outcomes.Contracts;
using WorkingConversations.Outcomes.Scoring;

namespace WorkingConversations.Outcomes.FollowingUp;

/// <summary>Durable scheduled message: a follow-up check-in of an ended episode is due now.</summary>
public sealed record FollowUpCheckInReminder(Guid ParticipantId, int EpisodeNumber, int Months, DateTimeOffset EpisodeEndedAt, DateTimeOffset DueOn);

/// <summary>Durable scheduled message: the grace days after a check-in's due date are over; was it recorded?</summary>
public sealed record FollowUpWindowClosed(Guid ParticipantId, int EpisodeNumber, int Months, DateTimeOffset EpisodeEndedAt, DateTimeOffset DueOn);

/// <summary>
/// The follow-up rules that need no I/O: when each check-in is due, and whether one was kept, missed or is still open
/// (FollowUpClassification.CheckIns, so the handler and the reports agree on "missed").
/// </summary>
public static class FollowUpSchedule
{
    public static IReadOnlyList<(int Months, DateTimeOffset DueOn)> DueDates(DateTimeOffset endedAt, FollowUpSettings settings) =>
        [.. settings.IntervalsMonths.Order().Select(m => (m, endedAt.AddMonths(m)))];

    public static CheckInStatus StatusOf(int months, DateTimeOffset endedAt, IEnumerable<DateTimeOffset> followUps, DateTimeOffset now, FollowUpSettings settings)
    {
        var end = DateOnly.FromDateTime(endedAt.UtcDateTime);
        var checkIn = FollowUpClassification.CheckIns(end, followUps.Select(f => DateOnly.FromDateTime(f.UtcDateTime)), DateOnly.FromDateTime(now.UtcDateTime), settings)
            .FirstOrDefault(c => c.Months == months);
        return checkIn?.Status ?? CheckInStatus.Pending;
    }
}

/// <summary>
/// When Conversations ends an episode, schedule its follow-up check-ins as durable Wolverine scheduled messages
/// (architecture.md: long waits are scheduled messages, not timers), and record that they were scheduled, so a
/// redelivered end schedules nothing twice.
/// </summary>
public static class EpisodeEndedHandler
{
    public static async Task<OutgoingMessages> Handle(EpisodeEnded ended, IDocumentSession session, FollowUpSettings settings, TimeProvider clock)
    {
        var messages = new OutgoingMessages();
        var stream = await session.Events.FetchForWriting<OutcomesJourney>(ended.ParticipantId);
        var journey = stream.Aggregate;
        if (journey is null || journey.CurrentEpisode != ended.EpisodeNumber || journey.FollowUpsScheduledFor == ended.EpisodeNumber) return messages;

        var due = FollowUpSchedule.DueDates(ended.EndedAt, settings);
        stream.AppendOne(new FollowUpsScheduled(ended.ParticipantId, ended.EpisodeNumber, [.. due.Select(d => d.Months)], [.. due.Select(d => d.DueOn)],
            ended.EndedAt, clock.GetUtcNow()));
        foreach (var (months, dueOn) in due)
        {
            messages.Add(new FollowUpCheckInReminder(ended.ParticipantId, ended.EpisodeNumber, months, ended.EndedAt, dueOn).ScheduledAt(dueOn));
        }

        return messages;
    }
}

/// <summary>A check-in came due: put it on the journey, and look again once its grace days are over.</summary>
public static class FollowUpCheckInReminderHandler
{
    public static async Task<OutgoingMessages> Handle(FollowUpCheckInReminder due, IDocumentSession session, FollowUpSettings settings, TimeProvider clock)
    {
        var messages = new OutgoingMessages();
        var stream = await session.Events.FetchForWriting<OutcomesJourney>(due.ParticipantId);
        if (stream.Aggregate is not { } journey || journey.DueCheckIns.Contains((due.EpisodeNumber, due.Months))) return messages;

        stream.AppendOne(new FollowUpCheckInDue(due.ParticipantId, due.EpisodeNumber, due.Months, due.DueOn, clock.GetUtcNow()));
        var closes = due.DueOn.AddDays(settings.GraceDays + 1);
        messages.Add(new FollowUpWindowClosed(due.ParticipantId, due.EpisodeNumber, due.Months, due.EpisodeEndedAt, due.DueOn).ScheduledAt(closes));
        return messages;
    }
}

/// <summary>
/// The grace days are over: a check-in with no follow-up questionnaire in its window is missed (measures.md). The
/// service's clock decides, not the scheduler's: a message delivered early is scheduled again for when the window closes.
/// </summary>
public static class FollowUpWindowClosedHandler
{
    public static async Task<OutgoingMessages> Handle(FollowUpWindowClosed closed, IDocumentSession session, FollowUpSettings settings, TimeProvider clock)
    {
        var messages = new OutgoingMessages();
        var stream = await session.Events.FetchForWriting<OutcomesJourney>(closed.ParticipantId);
        if (stream.Aggregate is not { } journey || journey.MissedCheckIns.Contains((closed.EpisodeNumber, closed.Months))) return messages;

        var now = clock.GetUtcNow();
        var followUps = journey.FollowUpDates.Where(f => f.Episode == closed.EpisodeNumber).Select(f => f.At);
        switch (FollowUpSchedule.StatusOf(closed.Months, closed.EpisodeEndedAt, followUps, now, settings))
        {
            case CheckInStatus.Missed:
                stream.AppendOne(new FollowUpCheckInMissed(closed.ParticipantId, closed.EpisodeNumber, closed.Months, closed.DueOn, now));
                break;
            case CheckInStatus.Pending:
                // Look again when the service's clock reaches the close: a delay from now, not a wall-clock time, so a
                // clock that differs from the scheduler's (a simulated one) cannot make this message fire in a loop.
                var closes = closed.DueOn.AddDays(settings.GraceDays + 1);
                messages.Add(closed.DelayedFor(closes > now ? closes - now : TimeSpan.FromMinutes(1)));
                break;
        }

        return messages;
    }
}
