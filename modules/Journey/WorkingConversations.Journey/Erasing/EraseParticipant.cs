using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using WorkingConversations.BuildingBlocks.Http;
using WorkingConversations.BuildingBlocks.Journey;
using WorkingConversations.BuildingBlocks.Writing;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.Journey.Contracts;

using WorkingConversations.BuildingBlocks.Http.Idempotency;

namespace WorkingConversations.Journey.Erasing;

internal sealed record ErasureAccepted(Guid ParticipantId, long Version, string[] Steps, DateTimeOffset ErasedAt);

/// <summary>
/// The right to be forgotten, from an append-only store: a <see cref="ParticipantErased"/> event is appended with the
/// stream's version checked; then the protected free text of every event in the journey is masked in place (Marten's
/// masking rules, registered by each module for its own events); then each module's erasure steps delete what it
/// holds about the person and bring its inline projections up to date. Dates, scores and outcomes stay, so the
/// aggregates keep counting.
/// </summary>
internal static class EraseParticipant
{
    public const string MaskedHeader = "erased";

    /// <summary>Pure: the erasure event, naming every module's step, appended to the journey at <paramref name="version"/>.</summary>
    public static Decision<ErasureAccepted> Decide(Guid participantId, long version, JourneyCatalog catalog, DateTimeOffset now)
    {
        var erased = new ParticipantErased(participantId, [.. catalog.ErasureSteps.Select(s => s.Name)], now);
        return Decision.Of(new ErasureAccepted(participantId, version + 1, erased.Steps, now)).Append(erased);
    }

    public static Task<IResult> Handle(Guid id, JsonBody<NoFields> body, HttpContext http, WriteStep write, JourneyCatalog catalog) =>
        write.RunAsync(http, async attempt =>
            {
                if (!await attempt.MaySee(id)) return JourneyAccess.NotYours(id);
                // First the erasure event, with the version read expected: a write that slipped in since makes it fail
                // before anything has been masked, so a refused erasure changes nothing.
                var version = await attempt.StreamVersion(id);
                return Decide(id, version, catalog, attempt.Now);
            },
            accepted => Answer.Accepted($"/api/v1/participants/{id}", accepted),
            Options(id, catalog));

    /// <summary>What follows the erasure event's commit, for the API and the page alike: the masking and the modules' steps.</summary>
    public static WriteOptions Options(Guid id, JourneyCatalog catalog) => new() { AfterCommit = attempt => MaskAndErase(attempt, id, catalog) };

    /// <summary>
    /// After the event: mask in place (Marten's own transaction), and only then let each module delete what it holds and
    /// rebuild its inline views from the masked events. Masking and the steps are idempotent: a retry finishes the job.
    /// </summary>
    private static async Task MaskAndErase(WriteAttempt attempt, Guid id, JourneyCatalog catalog)
    {
        var store = attempt.Services.GetRequiredService<IDocumentStore>();
        await store.Advanced.ApplyEventDataMasking(x => x.IncludeStream(id).AddHeader(MaskedHeader, true), attempt.Cancellation);
        foreach (var step in catalog.ErasureSteps) await step.Erase(attempt.Session, id, attempt.Cancellation);
        await attempt.Session.SaveChangesAsync(attempt.Cancellation);
    }
}
