using Marten;
using Wolverine;
using WorkingConversations.BuildingBlocks.Writing;
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
internal static class FollowUpSchedule
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
    internal static Decision Decide(OutcomesJourney? journey, EpisodeEnded ended, FollowUpSettings settings, DateTimeOffset now)
    {
        if (journey is null || journey.CurrentEpisode != ended.EpisodeNumber || journey.FollowUpsScheduledFor == ended.EpisodeNumber) return Decision.Nothing;
        var due = FollowUpSchedule.DueDates(ended.EndedAt, settings);
        var decision = Decision.Append(new FollowUpsScheduled(ended.ParticipantId, ended.EpisodeNumber, [.. due.Select(d => d.Months)], [.. due.Select(d => d.DueOn)],
            ended.EndedAt, now));
        foreach (var (months, dueOn) in due)
        {
            decision = decision.Schedule(new FollowUpCheckInReminder(ended.ParticipantId, ended.EpisodeNumber, months, ended.EndedAt, dueOn), dueOn);
        }

        return decision;
    }

    public static Task<OutgoingMessages> Handle(EpisodeEnded ended, IDocumentSession session, FollowUpSettings settings, TimeProvider clock) =>
        session.DecideAsync<OutcomesJourney>(ended.ParticipantId, journey => Decide(journey, ended, settings, clock.GetUtcNow()));
}

/// <summary>A check-in came due: put it on the journey, and look again once its grace days are over.</summary>
public static class FollowUpCheckInReminderHandler
{
    internal static Decision Decide(OutcomesJourney? journey, FollowUpCheckInReminder due, FollowUpSettings settings, DateTimeOffset now)
    {
        if (journey is null || journey.DueCheckIns.Contains((due.EpisodeNumber, due.Months))) return Decision.Nothing;
        return Decision.Append(new FollowUpCheckInDue(due.ParticipantId, due.EpisodeNumber, due.Months, due.DueOn, now))
            .Schedule(new FollowUpWindowClosed(due.ParticipantId, due.EpisodeNumber, due.Months, due.EpisodeEndedAt, due.DueOn), due.DueOn.AddDays(settings.GraceDays + 1));
    }

    public static Task<OutgoingMessages> Handle(FollowUpCheckInReminder due, IDocumentSession session, FollowUpSettings settings, TimeProvider clock) =>
        session.DecideAsync<OutcomesJourney>(due.ParticipantId, journey => Decide(journey, due, settings, clock.GetUtcNow()));
}

/// <summary>
/// The grace days are over: a check-in with no follow-up in its window (a questionnaire of any instrument, or
/// circumstances) is missed (measures.md). The service's clock decides, not the scheduler's: a message delivered early
/// is scheduled again for when the window closes.
/// </summary>
public static class FollowUpWindowClosedHandler
{
    internal static Decision Decide(OutcomesJourney? journey, FollowUpWindowClosed closed, FollowUpSettings settings, DateTimeOffset now)
    {
        if (journey is null || journey.MissedCheckIns.Contains((closed.EpisodeNumber, closed.Months))) return Decision.Nothing;
        var followUps = journey.FollowUpDates.Where(f => f.Episode == closed.EpisodeNumber).Select(f => f.At);
        switch (FollowUpSchedule.StatusOf(closed.Months, closed.EpisodeEndedAt, followUps, now, settings))
        {
            case CheckInStatus.Missed:
                return Decision.Append(new FollowUpCheckInMissed(closed.ParticipantId, closed.EpisodeNumber, closed.Months, closed.DueOn, now));
            case CheckInStatus.Pending:
                // Look again when the service's clock reaches the close: a delay from now, not a wall-clock time, so a
                // clock that differs from the scheduler's (a simulated one) cannot make this message fire in a loop.
                var closes = closed.DueOn.AddDays(settings.GraceDays + 1);
                return Decision.Of(closed).Delay(closed, closes > now ? closes - now : TimeSpan.FromMinutes(1));
            default:
                return Decision.Nothing;
        }
    }

    public static Task<OutgoingMessages> Handle(FollowUpWindowClosed closed, IDocumentSession session, FollowUpSettings settings, TimeProvider clock) =>
        session.DecideAsync<OutcomesJourney>(closed.ParticipantId, journey => Decide(journey, closed, settings, clock.GetUtcNow()));
}
