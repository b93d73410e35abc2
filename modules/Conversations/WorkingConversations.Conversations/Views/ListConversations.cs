using JasperFx.Events;
using Marten;
using Wolverine.Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Http;
using WorkingConversations.BuildingBlocks.Auth;
using WorkingConversations.BuildingBlocks.Journey;
using WorkingConversations.Conversations.Contracts;

namespace WorkingConversations.Conversations.Views;

/// <summary>A conversation as the participant's list shows it; the record's fields are null until it is held.</summary>
public sealed record ConversationItem(
    Guid ConversationId, int EpisodeNumber, Guid PractitionerId, DateTimeOffset ScheduledFor, string Mode, string? Location, string Status,
    DateTimeOffset ScheduledAt, DateTimeOffset? HeldAt, string? BestHopes, string[]? PreferredFutureSigns, int? Scale, string? Exceptions,
    string? OnePointUp, string? NextSmallStep, string? Notes, bool? RiskDisclosed, int? DurationMinutes, string? MissedReason, DateTimeOffset? MissedAt)
{
    public string? WhatHasBeenBetter { get; init; }
    public string? LastStepTaken { get; init; }
    public FidelityRating? Fidelity { get; init; }
}

internal static class ListConversations
{
    /// <summary>
    /// Pure: folds the journey's conversation events into the list, earliest first. Read from the events rather than a
    /// document, so text masked by erasure is masked here too.
    /// </summary>
    public static IReadOnlyList<ConversationItem> Fold(IEnumerable<object> events)
    {
        var items = new Dictionary<Guid, ConversationItem>();
        foreach (var e in events)
        {
            switch (e)
            {
                case ConversationScheduled s:
                    items[s.ConversationId] = new ConversationItem(s.ConversationId, s.EpisodeNumber, s.PractitionerId, s.ScheduledFor, s.Mode, s.Location,
                        ConversationStatuses.Scheduled, s.ScheduledAt, null, null, null, null, null, null, null, null, null, null, null, null);
                    break;
                case ConversationHeld h when items.TryGetValue(h.ConversationId, out var item):
                    items[h.ConversationId] = item with
                    {
                        Status = ConversationStatuses.Held, PractitionerId = h.PractitionerId, HeldAt = h.HeldAt, BestHopes = h.BestHopes,
                        PreferredFutureSigns = h.PreferredFutureSigns, Scale = h.Scale, Exceptions = h.Exceptions, OnePointUp = h.OnePointUp,
                        NextSmallStep = h.NextSmallStep, Notes = h.Notes, RiskDisclosed = h.RiskDisclosed, DurationMinutes = h.DurationMinutes,
                        WhatHasBeenBetter = h.WhatHasBeenBetter, LastStepTaken = h.LastStepTaken, Fidelity = h.Fidelity,
                    };
                    break;
                case ConversationMissed m when items.TryGetValue(m.ConversationId, out var item):
                    items[m.ConversationId] = item with { Status = ConversationStatuses.Missed, MissedReason = m.Reason, MissedAt = m.MissedAt };
                    break;
            }
        }

        return [.. items.Values.OrderBy(i => i.ScheduledFor).ThenBy(i => i.ConversationId)];
    }

    /// <summary>Pure: the page after the cursor's conversation (the list is short and folded in memory, so it pages by key).</summary>
    public static ListPage<ConversationItem> Page(IReadOnlyList<ConversationItem> all, (DateTimeOffset At, Guid Id)? after, int size)
    {
        var rest = after is { } a
            ? all.SkipWhile(i => i.ScheduledFor < a.At || (i.ScheduledFor == a.At && i.ConversationId.CompareTo(a.Id) <= 0)).ToList()
            : all;
        var page = rest.Take(size).ToList();
        return new ListPage<ConversationItem>(page, rest.Count > size ? ListCursor.After(page[^1].ScheduledFor, page[^1].ConversationId) : null);
    }

    public static async Task<Results<Ok<ListPage<ConversationItem>>, ProblemHttpResult, ValidationProblem>> Handle(
        Guid id, string? limit, string? cursor, HttpContext http, IDocumentSession session, IMartenOutbox outbox, JourneyAccess access, TimeProvider clock,
        CancellationToken ct)
    {
        var v = new Validation();
        var size = ListLimit.Read(v, limit);
        var after = ListCursor.ReadTimeAndGuid(v, cursor);
        if (!v.IsValid) return v.ToProblem();
        if (!await access.MaySee(session, Actor.From(http.User), id, ct)) return JourneyAccess.NotYours(id).AsProblem();

        IReadOnlyList<IEvent> events = await session.Events.FetchStreamAsync(id, token: ct);
        if (!events.Any(e => e.Data is EpisodeOpened)) return ConversationsJourney.NoEpisode(id).AsProblem();
        var page = Page(Fold(events.Select(e => e.Data)), after, size);
        await ConversationReads.RecordAsync(session, outbox, http, id, ConversationReads.Conversations, clock.GetUtcNow(), ct);
        return TypedResults.Ok(page);
    }
}
