using JasperFx.Events;
using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Marten;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Auth;
using WorkingConversations.BuildingBlocks.Http;
using WorkingConversations.BuildingBlocks.Journey;
using WorkingConversations.Conversations.Contracts;
using WorkingConversations.Conversations.Views;

namespace WorkingConversations.Conversations.Trajectory;

/// <summary>What the participant said at the next conversation of the next small step chosen at this one.</summary>
public sealed record NextStepFollowUp(DateTimeOffset HeldAt, string? LastStepTaken, string? WhatHasBeenBetter);

/// <summary>One held conversation on the 0-10 scale, with the best hopes the scale refers to and the next small step.</summary>
public sealed record TrajectoryPoint(
    Guid ConversationId, int Number, DateTimeOffset HeldAt, int Scale, string BestHopes, string? NextSmallStep,
    string? LastStepTaken, string? WhatHasBeenBetter, bool FidelityRated, NextStepFollowUp? AtNextConversation);

/// <summary>
/// The scale over the participant's latest episode, earliest first. <see cref="FidelityDueAtNextConversation"/> tells the
/// record form to offer the fidelity self-rating.
/// </summary>
public sealed record ScaleTrajectory(
    Guid ParticipantId, int EpisodeNumber, int ConversationsHeld, bool FidelityDueAtNextConversation, IReadOnlyList<TrajectoryPoint> Points);

internal static class GetTrajectory
{
    /// <summary>
    /// Pure: the held conversations of the journey's latest episode, each with what was said of its next small step at
    /// the one after. Folded from the events, so text masked by erasure is masked here too.
    /// </summary>
    public static ScaleTrajectory? Fold(Guid participantId, IEnumerable<object> events)
    {
        var list = events.ToList();
        var episode = list.OfType<EpisodeOpened>().Select(e => (int?)e.EpisodeNumber).Max();
        if (episode is not { } number) return null;
        var held = list.OfType<ConversationHeld>().Where(h => h.EpisodeNumber == number).OrderBy(h => h.HeldAt).ThenBy(h => h.ConversationId).ToList();
        var points = held.Select((h, i) =>
        {
            var next = i + 1 < held.Count ? held[i + 1] : null;
            return new TrajectoryPoint(h.ConversationId, i + 1, h.HeldAt, h.Scale, h.BestHopes, h.NextSmallStep, h.LastStepTaken, h.WhatHasBeenBetter,
                h.Fidelity is not null, next is null ? null : new NextStepFollowUp(next.HeldAt, next.LastStepTaken, next.WhatHasBeenBetter));
        }).ToList();
        return new ScaleTrajectory(participantId, number, points.Count, FidelityItems.DueAt(points.Count + 1), points);
    }

    /// <summary>The trajectory carries best hopes and what has been better: it is read-audited like the conversations.</summary>
    public static async Task<Results<Ok<ScaleTrajectory>, ProblemHttpResult>> Handle(
        Guid id, HttpContext http, IDocumentSession session, IMartenOutbox outbox, JourneyAccess access, TimeProvider clock, CancellationToken ct)
    {
        if (!await access.MaySee(session, Actor.From(http.User), id, ct)) return JourneyAccess.NotYours(id).AsProblem();
        if (await Load(session, id, ct) is not { } trajectory) return ConversationsJourney.NoEpisode(id).AsProblem();
        await ConversationReads.RecordAsync(session, outbox, http, id, ConversationReads.Trajectory, clock.GetUtcNow(), ct);
        return TypedResults.Ok(trajectory);
    }

    /// <summary>The trajectory of a participant the caller may see (the API route and the pages check that first).</summary>
    public static async Task<ScaleTrajectory?> Load(IQuerySession session, Guid participantId, CancellationToken ct)
    {
        IReadOnlyList<IEvent> events = await session.Events.FetchStreamAsync(participantId, token: ct);
        return Fold(participantId, events.Select(e => e.Data));
    }
}
