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

public sealed record RecordQuestionnaireRequest(string? Instrument, string? Timepoint, int?[]? Answers, DateTimeOffset? AdministeredAt);

public sealed record QuestionnaireResult(
    Guid Id, string Instrument, decimal? Total, decimal? Metric, string? Band, IReadOnlyDictionary<string, string>? Bands,
    bool? Caseness, bool? RiskIndicated, bool? Lonely);

public static class RecordQuestionnaire
{
    public static readonly string[] Timepoints = ["start", "session", "end", "follow-up"];

    public static async Task<Results<Created<QuestionnaireResult>, ValidationProblem, ProblemHttpResult>> Handle(
        Guid id, JsonBody<RecordQuestionnaireRequest> body, HttpContext http, IDocumentSession session, IMartenOutbox outbox, TimeProvider clock, CancellationToken ct)
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

        var v = new Validation();
        v.OneOf("timepoint", request.Timepoint, Timepoints);
        v.Required("administeredAt", request.AdministeredAt);
        var now = clock.GetUtcNow();
        if (request.AdministeredAt > now.AddMinutes(5)) v.Add("administeredAt", "must not be in the future.");
        ScoreOutcome? scored = null;
        if (v.OneOf("instrument", request.Instrument, Instruments.All) && request.Answers is not null)
        {
            scored = QuestionnaireScoring.Score(request.Instrument!, request.Answers);
            foreach (var (field, messages) in scored.Errors)
                foreach (var message in messages) v.Add(field, message);
        }
        else if (request.Answers is null) v.Add("answers", "is required: one answer per item, null for a missing one.");

        if (!v.IsValid || scored?.Score is not { } score) return v.ToProblem();
        if (journey.CurrentEpisode is not { } episode) return LegacyProblem.Conflict("The participant has no accepted episode to record a questionnaire against.");

        var recorded = new QuestionnaireRecorded(Guid.CreateVersion7(), id, episode, score.Instrument, request.Timepoint!, request.Answers!,
            score.Total, score.Metric, score.Band, score.Caseness, score.RiskIndicated, request.AdministeredAt!.Value, now);
        stream.AppendOne(recorded);
        if (score.RiskIndicated == true)
        {
            // A risk must reach a caseworker even if the host dies right after this commit: durable outbox.
            await outbox.PublishAsync(new RiskIndicated(id, episode, recorded.QuestionnaireId, score.Instrument, now));
        }

        await session.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/participants/{id}/questionnaires/{recorded.QuestionnaireId}",
            new QuestionnaireResult(recorded.QuestionnaireId, score.Instrument, score.Total, score.Metric, score.Band, score.Bands, score.Caseness, score.RiskIndicated, score.Lonely));
    }
}
