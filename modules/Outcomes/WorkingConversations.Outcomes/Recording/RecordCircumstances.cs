using Microsoft.AspNetCore.Http;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Http;
using WorkingConversations.BuildingBlocks.Http.Idempotency;
using WorkingConversations.BuildingBlocks.Journey;
using WorkingConversations.BuildingBlocks.Writing;
using WorkingConversations.Outcomes.Contracts;
using WorkingConversations.Outcomes.Scoring;

namespace WorkingConversations.Outcomes.Recording;

internal sealed record RecordCircumstancesRequest(
    string? Timepoint, string? Housing, string? Employment, string? Money, bool? HasSomeoneToTurnTo, bool? TakesPartInCommunity,
    string? ConnectedWithSignpostedService = null);

internal sealed record CircumstancesResult(
    Guid Id, int EpisodeNumber, string Timepoint, string Housing, string Employment, string Money, bool HasSomeoneToTurnTo,
    bool TakesPartInCommunity, DateTimeOffset RecordedAt, string? ConnectedWithSignpostedService = null);

/// <summary>Whether the person connected with a service they were pointed to (a decline's or a next small step's signpost).</summary>
public static class SignpostConnection
{
    public const string Connected = "connected";
    public const string TriedButCouldNot = "tried-but-could-not";
    public const string DidNot = "did-not";
    public static readonly string[] All = [Connected, TriedButCouldNot, DidNot];
}

internal static class RecordCircumstances
{
    /// <summary>measures.md: circumstances are recorded at the start, the end and each follow-up (not per session).</summary>
    public static readonly string[] Timepoints = [Scoring.Timepoints.Start, Scoring.Timepoints.End, Scoring.Timepoints.FollowUp];

    public static Validation Validate(RecordCircumstancesRequest r)
    {
        var v = new Validation();
        v.OneOf("timepoint", r.Timepoint, Timepoints);
        v.OneOf("housing", r.Housing, [.. HousingStatus.All]);
        v.OneOf("employment", r.Employment, [.. EmploymentStatus.All]);
        v.OneOf("money", r.Money, [.. MoneyStatus.All]);
        if (r.HasSomeoneToTurnTo is null) v.Add("hasSomeoneToTurnTo", "is required: true or false.");
        if (r.TakesPartInCommunity is null) v.Add("takesPartInCommunity", "is required: true or false.");
        if (v.OneOf("connectedWithSignpostedService", r.ConnectedWithSignpostedService, SignpostConnection.All, required: false) &&
            r.ConnectedWithSignpostedService is not null && r.Timepoint is not null && r.Timepoint != Scoring.Timepoints.FollowUp)
        {
            v.Add("connectedWithSignpostedService", "is asked at a follow-up only (timepoint follow-up).");
        }

        return v;
    }

    /// <summary>Pure: the event to append, or why not.</summary>
    public static Decision<CircumstancesRecorded> Decide(OutcomesJourney journey, RecordCircumstancesRequest r, Guid id, DateTimeOffset now)
    {
        if (journey.CurrentEpisode is not { } episode) return Refusal.Conflict("The participant has no accepted episode to record circumstances against.");
        return Decision.Append(new CircumstancesRecorded(id, journey.Id, episode, r.Timepoint!, r.Housing!, r.Employment!, r.Money!,
            r.HasSomeoneToTurnTo!.Value, r.TakesPartInCommunity!.Value, now, r.ConnectedWithSignpostedService));
    }

    public static Task<IResult> Handle(Guid id, JsonBody<RecordCircumstancesRequest> body, HttpContext http, WriteStep write) =>
        write.RunAsync(http, Validate(body.Read), Deciding(id, body.Read),
            recorded => Answer.Created($"/api/v1/participants/{id}/circumstances/{recorded.CircumstancesId}",
                new CircumstancesResult(recorded.CircumstancesId, recorded.EpisodeNumber, recorded.Timepoint, recorded.Housing, recorded.Employment,
                    recorded.Money, recorded.HasSomeoneToTurnTo, recorded.TakesPartInCommunity, recorded.RecordedAt, recorded.ConnectedWithSignpostedService)));

    /// <summary>The write of the API and the page: the circumstances on the journey of a participant the caller may see.</summary>
    public static Func<WriteAttempt, Task<Decision<CircumstancesRecorded>>> Deciding(Guid id, RecordCircumstancesRequest request) => async attempt =>
        await attempt.Journey<OutcomesJourney>(id) is { } journey
            ? Decide(journey, request, Guid.CreateVersion7(), attempt.Now)
            : JourneyAccess.NotYours(id);
}
