using Microsoft.AspNetCore.Http;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Http;
using WorkingConversations.BuildingBlocks.Writing;
using WorkingConversations.Conversations.Contracts;
using WorkingConversations.Conversations.Signposting;

using WorkingConversations.BuildingBlocks.Http.Idempotency;

namespace WorkingConversations.Conversations.Recording;

internal sealed record RecordConversationRequest(
    bool? Attended, string? BestHopes, string[]? PreferredFutureSigns, int? Scale, string? Exceptions, string? OnePointUp,
    string? NextSmallStep, string? Notes, bool? RiskDisclosed, int? DurationMinutes, string? NextSmallStepServiceId = null,
    string? WhatHasBeenBetter = null, string? LastStepTaken = null, FidelityRequest? Fidelity = null);

/// <summary>The fidelity self-rating, offered at every third conversation: each item yes, partly or no.</summary>
internal sealed record FidelityRequest(
    string? BestHopesAsked, string? PreferredFutureDescribed, string? ScalingUsed, string? ExceptionsExplored, string? NextStepParticipantsOwn);

internal sealed record RecordedConversation(Guid ConversationId, Guid ParticipantId, int EpisodeNumber, string Status, Guid? SafeguardingConcernId);

internal static class RecordConversation
{
    public static Validation Validate(RecordConversationRequest r)
    {
        var v = new Validation();
        if (r.Attended is not true) v.Add("attended", "must be true: record a conversation that did not happen with POST /api/v1/conversations/{id}/missed.");
        v.RequiredText("bestHopes", r.BestHopes, 4000);
        if (r.PreferredFutureSigns is null) v.Add("preferredFutureSigns", "is required (it may be an empty list).");
        else
        {
            if (r.PreferredFutureSigns.Length > 50) v.Add("preferredFutureSigns", "must have at most 50 signs.");
            for (var i = 0; i < r.PreferredFutureSigns.Length; i++) v.RequiredText($"preferredFutureSigns[{i}]", r.PreferredFutureSigns[i], 1000);
        }

        v.InRange("scale", r.Scale, 0, 10);
        v.RequiredText("exceptions", r.Exceptions, 4000);
        v.RequiredText("onePointUp", r.OnePointUp, 4000);
        v.OptionalText("nextSmallStep", r.NextSmallStep, 2000);
        v.OptionalText("nextSmallStepServiceId", r.NextSmallStepServiceId, 200);
        v.OptionalText("notes", r.Notes, 8000);
        v.Required("riskDisclosed", r.RiskDisclosed);
        v.InRange("durationMinutes", r.DurationMinutes, 1, 600);
        v.OptionalText("whatHasBeenBetter", r.WhatHasBeenBetter, 4000);
        v.OneOf("lastStepTaken", r.LastStepTaken, LastStepAnswers.All, required: false);
        if (r.Fidelity is { } f)
        {
            v.OneOf("fidelity.bestHopesAsked", f.BestHopesAsked, FidelityItems.Answers);
            v.OneOf("fidelity.preferredFutureDescribed", f.PreferredFutureDescribed, FidelityItems.Answers);
            v.OneOf("fidelity.scalingUsed", f.ScalingUsed, FidelityItems.Answers);
            v.OneOf("fidelity.exceptionsExplored", f.ExceptionsExplored, FidelityItems.Answers);
            v.OneOf("fidelity.nextStepParticipantsOwn", f.NextStepParticipantsOwn, FidelityItems.Answers);
        }

        return v;
    }

    public const string DisclosedRiskDescription = "A risk was disclosed in a conversation.";

    /// <summary>
    /// Pure: a scheduled conversation of the open episode may be recorded once; a disclosed risk raises a concern with it.
    /// A next small step at a directory service names a service the directory lists (<paramref name="service"/>). What
    /// became of the last next step is asked only once there was a conversation before, and the fidelity self-rating
    /// only at every third conversation of the episode.
    /// </summary>
    public static Decision<(ConversationHeld Held, SafeguardingConcernRaised? Concern)> Decide(
        ConversationsJourney journey, Guid conversationId, RecordConversationRequest r, Guid concernId, DateTimeOffset now,
        SignpostableService? service = null)
    {
        var (found, refused) = ScheduledConversation.Find(journey, conversationId);
        if (found is not { } episode) return refused!;
        if (r.NextSmallStepServiceId is { } serviceId && service?.Id != serviceId.Trim())
        {
            return Refusal.Invalid("nextSmallStepServiceId", "is not the id of a service in the directory (GET /api/v1/directory/services).");
        }

        var number = episode.Held + 1;
        if (r.LastStepTaken is not null && episode.Held == 0)
        {
            return Refusal.Invalid("lastStepTaken", "is asked from the second conversation of an episode: this is the first, so there was no last step.");
        }

        if (r.Fidelity is not null && !FidelityItems.DueAt(number))
        {
            return Refusal.Invalid("fidelity", FormattableString.Invariant(
                $"is asked at every third conversation of an episode (the 3rd, the 6th and so on): this is conversation {number}."));
        }

        var fidelity = r.Fidelity is { } f
            ? new FidelityRating(f.BestHopesAsked!, f.PreferredFutureDescribed!, f.ScalingUsed!, f.ExceptionsExplored!, f.NextStepParticipantsOwn!)
            : null;
        var held = new ConversationHeld(conversationId, journey.Id, episode.ReferralId, episode.EpisodeNumber, episode.PractitionerId ?? Guid.Empty,
            r.BestHopes!, r.PreferredFutureSigns!, r.Scale!.Value, r.Exceptions!, r.OnePointUp!, r.NextSmallStep, r.Notes,
            r.RiskDisclosed!.Value, r.DurationMinutes!.Value, now, service?.Id,
            string.IsNullOrWhiteSpace(r.WhatHasBeenBetter) ? null : r.WhatHasBeenBetter, r.LastStepTaken, fidelity);
        // The concern is appended in the same transaction as the conversation: a disclosed risk cannot be saved without it.
        var concern = held.RiskDisclosed
            ? new SafeguardingConcernRaised(concernId, journey.Id, episode.EpisodeNumber, ConcernSources.Conversation, conversationId, DisclosedRiskDescription, now)
            : null;
        var decision = Decision.Of((held, concern)).Append(held);
        return concern is null ? decision : decision.Append(concern);
    }

    public static Task<IResult> Handle(Guid id, JsonBody<RecordConversationRequest> body, HttpContext http, WriteStep write) =>
        write.RunAsync(http, Validate(body.Read), Deciding(id, body.Read),
            recorded => Answer.Ok(new RecordedConversation(id, recorded.Held.ParticipantId, recorded.Held.EpisodeNumber, ConversationStatuses.Held,
                recorded.Concern?.ConcernId)));

    /// <summary>The write of the API and the page: the conversation of a participant the caller may see, with the directory service its next step names.</summary>
    public static Func<WriteAttempt, Task<Decision<(ConversationHeld Held, SafeguardingConcernRaised? Concern)>>> Deciding(Guid id, RecordConversationRequest request) =>
        async attempt =>
            await ScheduledConversation.JourneyOf(attempt, id) is { } journey
                ? Decide(journey, id, request, Guid.CreateVersion7(), attempt.Now,
                    request.NextSmallStepServiceId is { } serviceId
                        ? await attempt.Session.LoadAsync<SignpostableService>(serviceId.Trim(), attempt.Cancellation)
                        : null)
                : ScheduledConversation.NotYours(id);
}
