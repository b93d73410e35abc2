using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using WorkingConversations.BuildingBlocks.Auth;

namespace WorkingConversations.BuildingBlocks.Journey.Erasing;

public sealed record ErasureAccepted(Guid ParticipantId, long Version, string[] Steps, DateTimeOffset ErasedAt);

/// <summary>
/// The right to be forgotten, from an append-only store: a <see cref="ParticipantErased"/> event is appended with the
/// stream's version checked; then the protected free text of every event in the journey is masked in place (Marten's
/// masking rules, registered by each module for its own events); then each module's erasure steps delete what it
/// holds about the person and bring its inline projections up to date. Dates, scores and outcomes stay, so the
/// aggregates keep counting.
/// </summary>
public static class EraseParticipant
{
    public const string MaskedHeader = "erased";

    public static async Task<Results<Accepted<ErasureAccepted>, ProblemHttpResult>> Handle(
        Guid id, HttpContext http, IDocumentSession session, IDocumentStore store, JourneyCatalog catalog, TimeProvider clock, CancellationToken ct)
    {
        var actor = session.StampFrom(http);
        if (!await JourneyAccess.MayRead(session, catalog, actor, id, ct)) return JourneyAccess.NotFound(id);

        var stream = await session.Events.FetchStreamStateAsync(id, ct);
        var current = stream!.Version;
        if (JourneyConcurrency.CheckIfMatch(http.Request, current) is { } stale) return stale;

        var now = clock.GetUtcNow();
        var steps = catalog.ErasureSteps.Select(s => s.Name).ToArray();
        // First the erasure event with the expected version: a write that slipped in since the check above makes this
        // fail (409) before anything has been masked, so a refused erasure changes nothing.
        session.Events.Append(id, current + 1, new ParticipantErased(id, steps, now));
        await session.SaveChangesAsync(ct);

        // Then mask in place (Marten's own transaction), and only then let each module delete what it holds and rebuild
        // its inline views from the masked events. Masking and the steps are idempotent: a retry finishes the job.
        await store.Advanced.ApplyEventDataMasking(x => x.IncludeStream(id).AddHeader(MaskedHeader, true), ct);
        foreach (var step in catalog.ErasureSteps) await step.Erase(session, id, ct);
        await session.SaveChangesAsync(ct);

        JourneyConcurrency.SetETag(http.Response, current + 1);
        return TypedResults.Accepted($"/api/v1/participants/{id}", new ErasureAccepted(id, current + 1, steps, now));
    }
}
