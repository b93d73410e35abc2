using Microsoft.AspNetCore.Http;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Http;
using WorkingConversations.BuildingBlocks.Http.Idempotency;
using WorkingConversations.BuildingBlocks.Journey;
using WorkingConversations.BuildingBlocks.Writing;
using WorkingConversations.Outcomes.Contracts;
using WorkingConversations.Outcomes.Scoring;

namespace WorkingConversations.Outcomes.Recording;

internal sealed record RecordQuestionnaireRequest(
    string? Instrument, string? Timepoint, int?[]? Answers, DateTimeOffset? AdministeredAt, string? DirectLoneliness = null);

internal sealed record QuestionnaireResult(
    Guid Id, string Instrument, decimal? Total, decimal? Metric, string? Band, IReadOnlyDictionary<string, string>? Bands,
    bool? Caseness, bool? RiskIndicated, bool? Lonely, string? DirectLoneliness);

internal static class RecordQuestionnaire
{
    public static readonly string[] Timepoints = ["start", "session", "end", "follow-up"];

    /// <summary>
    /// Pure: every failing field at once, and the scores of answers that are valid, under the service's thresholds (the
    /// same instance the episode outcomes are classified with).
    /// </summary>
    public static (Validation Validation, QuestionnaireScore? Score) Validate(RecordQuestionnaireRequest request, DateTimeOffset now, OutcomeThresholds thresholds)
    {
        var v = new Validation();
        v.OneOf("timepoint", request.Timepoint, Timepoints);
        v.Required("administeredAt", request.AdministeredAt);
        if (request.AdministeredAt > now.AddMinutes(5)) v.Add("administeredAt", "must not be in the future.");
        ScoreOutcome? scored = null;
        if (v.OneOf("instrument", request.Instrument, Instruments.All) && request.Answers is not null)
        {
            scored = QuestionnaireScoring.Score(request.Instrument!, request.Answers, thresholds);
            foreach (var (field, messages) in scored.Errors)
                foreach (var message in messages) v.Add(field, message);
        }
        else if (request.Answers is null) v.Add("answers", "is required: one answer per item, null for a missing one.");

        // measures.md: the direct question is asked beside UCLA-3 only, and its answer is one of five.
        if (request.DirectLoneliness is not null)
        {
            if (request.Instrument is not Instruments.Ucla3) v.Add("directLoneliness", "is only asked with UCLA-3; leave it out for " + (request.Instrument ?? "this instrument") + ".");
            else v.OneOf("directLoneliness", request.DirectLoneliness, [.. DirectLonelinessAnswers.All], required: false);
        }

        return (v, v.IsValid ? scored?.Score : null);
    }

    /// <summary>
    /// Pure: the questionnaire with its scores, in the current episode. A risk must reach a caseworker even if the host
    /// dies right after the commit, so it is sent through the durable outbox with the event.
    /// </summary>
    public static Decision<QuestionnaireResult> Decide(OutcomesJourney journey, RecordQuestionnaireRequest r, QuestionnaireScore score, Guid id, DateTimeOffset now)
    {
        if (journey.CurrentEpisode is not { } episode) return Refusal.Conflict("The participant has no accepted episode to record a questionnaire against.");
        var recorded = new QuestionnaireRecorded(id, journey.Id, episode, score.Instrument, r.Timepoint!, r.Answers!,
            score.Total, score.Metric, score.Band, score.Caseness, score.RiskIndicated, r.AdministeredAt!.Value, now, score.Lonely, r.DirectLoneliness);
        var decision = Decision.Of(new QuestionnaireResult(id, score.Instrument, score.Total, score.Metric, score.Band, score.Bands, score.Caseness,
            score.RiskIndicated, score.Lonely, r.DirectLoneliness)).Append(recorded);
        return score.RiskIndicated == true ? decision.Publish(new RiskIndicated(journey.Id, episode, id, score.Instrument, now)) : decision;
    }

    public static Task<IResult> Handle(Guid id, JsonBody<RecordQuestionnaireRequest> body, HttpContext http, WriteStep write, TimeProvider clock,
        OutcomeThresholds thresholds)
    {
        var request = body.Read;
        var (v, score) = Validate(request, clock.GetUtcNow(), thresholds);
        return write.RunAsync(http, v, Deciding(id, request, score),
            recorded => Answer.Created($"/api/v1/participants/{id}/questionnaires/{recorded.Id}", recorded));
    }

    /// <summary>The write of the API and the page: the questionnaire on the journey of a participant the caller may see.</summary>
    public static Func<WriteAttempt, Task<Decision<QuestionnaireResult>>> Deciding(Guid id, RecordQuestionnaireRequest request, QuestionnaireScore? score) =>
        async attempt =>
            await attempt.Journey<OutcomesJourney>(id) is { } journey
                ? Decide(journey, request, score!, Guid.CreateVersion7(), attempt.Now)
                : JourneyAccess.NotYours(id);
}
