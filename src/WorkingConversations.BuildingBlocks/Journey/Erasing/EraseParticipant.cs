using Marten;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using WorkingConversations.BuildingBlocks.Auth;

namespace WorkingConversations.BuildingBlocks.Journey.Erasing;

public sealed record ErasureAccepted(Guid ParticipantId, long Version, string[] Steps, DateTimeOffset ErasedAt);

/// <summary>
/// The right to be forgotten, from an append-only store: the protected free text of every event in the journey is
/// masked in place (Marten's masking rules, registered by each module for its own events, in Marten's own
/// transaction); then, in one transaction with the stream's version checked, each module's erasure steps delete what
/// it holds about the person and bring its inline projections up to date, and a <see cref="ParticipantErased"/>
/// event is appended. Dates, scores and outcomes stay, so the aggregates keep counting.
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

        // Masking is idempotent, so an erasure that is repeated (or retried after a lost race) simply masks again.
        await store.Advanced.ApplyEventDataMasking(x => x.IncludeStream(id).AddHeader(MaskedHeader, true), ct);

        foreach (var step in catalog.ErasureSteps) await step.Erase(session, id, ct);

        var now = clock.GetUtcNow();
        var steps = catalog.ErasureSteps.Select(s => s.Name).ToArray();
        // The expected version makes a write that slipped in since the check above lose nothing: this append fails (409).
        session.Events.Append(id, current + 1, new ParticipantErased(id, steps, now));
        await session.SaveChangesAsync(ct);

        JourneyConcurrency.SetETag(http.Response, current + 1);
        return TypedResults.Accepted($"/api/v1/participants/{id}", new ErasureAccepted(id, current + 1, steps, now));
    }
}
