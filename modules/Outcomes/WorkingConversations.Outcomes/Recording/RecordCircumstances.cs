using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Wolverine.Marten;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Http;
using WorkingConversations.BuildingBlocks.Journey;
using WorkingConversations.BuildingBlocks.Auth;
using WorkingConversations.BuildingBlocks.Http.Idempotency;
using WorkingConversations.Outcomes.Contracts;
using WorkingConversations.Outcomes.Scoring;

namespace WorkingConversations.Outcomes.Recording;

public sealed record RecordCircumstancesRequest(
    string? Timepoint, string? Housing, string? Employment, string? Money, bool? HasSomeoneToTurnTo, bool? TakesPartInCommunity);

public sealed record CircumstancesResult(
    Guid Id, int EpisodeNumber, string Timepoint, string Housing, string Employment, string Money, bool HasSomeoneToTurnTo,
    bool TakesPartInCommunity, DateTimeOffset RecordedAt);

public static class RecordCircumstances
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
        return v;
    }

    /// <summary>Pure: the event to append, or why not.</summary>
    public static (CircumstancesRecorded? Recorded, ProblemHttpResult? Problem) Decide(OutcomesJourney journey, RecordCircumstancesRequest r, Guid id, DateTimeOffset now)
    {
        if (journey.CurrentEpisode is not { } episode)
            return (null, LegacyProblem.Conflict("The participant has no accepted episode to record circumstances against."));
        return (new CircumstancesRecorded(id, journey.Id, episode, r.Timepoint!, r.Housing!, r.Employment!, r.Money!,
            r.HasSomeoneToTurnTo!.Value, r.TakesPartInCommunity!.Value, now), null);
    }

    public static async Task<Results<Created<CircumstancesResult>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, JsonBody<RecordCircumstancesRequest> body, HttpContext http, IDocumentSession session, IMartenOutbox outbox, TimeProvider clock, CancellationToken ct)
    {
        // WithJsonBody has already answered a body that could not be read.
        var request = body.Value ?? throw new InvalidOperationException("The body was not read.");
        var actor = session.StampFrom(http, outbox);
        var stream = await session.Events.FetchForWriting<OutcomesJourney>(id, ct);
        var journey = stream.Aggregate;
        if (journey is null || (actor.IsIn(Roles.Practitioner) && journey.PractitionerId != actor.PractitionerId))
            return Problem.NotFound($"No participant with the id {id} is yours to see.");
        // Only once the caller may see the journey: a client holding the journey's ETag gets 412 rather than acting on a stale picture of it.
        if (LegacyProblem.CheckIfMatch(http.Request, stream) is { } stale) return stale;

        var v = Validate(request);
        if (!v.IsValid) return v.ToProblem();

        var (recorded, problem) = Decide(journey, request, Guid.CreateVersion7(), clock.GetUtcNow());
        if (recorded is null) return problem!;

        stream.AppendOne(recorded);
        await session.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/participants/{id}/circumstances/{recorded.CircumstancesId}",
            new CircumstancesResult(recorded.CircumstancesId, recorded.EpisodeNumber, recorded.Timepoint, recorded.Housing, recorded.Employment,
                recorded.Money, recorded.HasSomeoneToTurnTo, recorded.TakesPartInCommunity, recorded.RecordedAt));
    }
}
