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
    string? NextSmallStep, string? Notes, bool? RiskDisclosed, int? DurationMinutes, string? NextSmallStepServiceId = null);

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
        return v;
    }

    public const string DisclosedRiskDescription = "A risk was disclosed in a conversation.";

    /// <summary>
    /// Pure: a scheduled conversation of the open episode may be recorded once; a disclosed risk raises a concern with it.
    /// A next small step at a directory service names a service the directory lists (<paramref name="service"/>).
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

        var held = new ConversationHeld(conversationId, journey.Id, episode.ReferralId, episode.EpisodeNumber, episode.PractitionerId ?? Guid.Empty,
            r.BestHopes!, r.PreferredFutureSigns!, r.Scale!.Value, r.Exceptions!, r.OnePointUp!, r.NextSmallStep, r.Notes,
            r.RiskDisclosed!.Value, r.DurationMinutes!.Value, now, service?.Id);
        // The concern is appended in the same transaction as the conversation: a disclosed risk cannot be saved without it.
        var concern = held.RiskDisclosed
            ? new SafeguardingConcernRaised(concernId, journey.Id, episode.EpisodeNumber, ConcernSources.Conversation, conversationId, DisclosedRiskDescription, now)
            : null;
        var decision = Decision.Of((held, concern)).Append(held);
        return concern is null ? decision : decision.Append(concern);
    }

    public static Task<IResult> Handle(Guid id, JsonBody<RecordConversationRequest> body, HttpContext http, WriteStep write) =>
        write.RunAsync(http, Validate(body.Read), async attempt =>
                await ScheduledConversation.JourneyOf(attempt, id) is { } journey
                    ? Decide(journey, id, body.Read, Guid.CreateVersion7(), attempt.Now,
                        body.Read.NextSmallStepServiceId is { } serviceId
                            ? await attempt.Session.LoadAsync<SignpostableService>(serviceId.Trim(), attempt.Cancellation)
                            : null)
                    : ScheduledConversation.NotYours(id),
            recorded => Answer.Ok(new RecordedConversation(id, recorded.Held.ParticipantId, recorded.Held.EpisodeNumber, ConversationStatuses.Held,
                recorded.Concern?.ConcernId)));
}
