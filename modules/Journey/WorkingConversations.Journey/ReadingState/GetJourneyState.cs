using System.Globalization;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http;
using WorkingConversations.BuildingBlocks.Auth;
using WorkingConversations.BuildingBlocks.Http;
using WorkingConversations.BuildingBlocks.Journey;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.Journey.Auditing;
using WorkingConversations.Journey.Contracts;

namespace WorkingConversations.Journey.ReadingState;

/// <summary>
/// The journey's state now, or as it stood at a moment (<c>asOf</c>) or a version (<c>version</c>): the stream is read
/// up to that point and folded through every module's state part. The ETag is the version the state was built at.
/// </summary>
internal static class GetJourneyState
{
    public sealed record Query(long? Version, DateTimeOffset? AsOf);

    /// <summary>Pure: reads and checks the query string, naming each bad field.</summary>
    public static (Query? Query, Validation Validation) Validate(string? asOf, string? version)
    {
        var v = new Validation();
        long? atVersion = null;
        if (version is not null)
        {
            if (long.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1) atVersion = n;
            else v.Add("version", "must be a whole number of 1 or more: a version of the journey.");
        }

        var at = ListReads.Time(v, "asOf", asOf);
        if (asOf is not null && version is not null) v.Add("asOf", "give either 'asOf' or 'version', not both.");
        return v.IsValid ? (new Query(atVersion, at), v) : (null, v);
    }

    public static async Task<Results<Ok<JourneyStateView>, ProblemHttpResult, ValidationProblem>> Handle(
        Guid id, string? asOf, string? version, HttpContext http, IDocumentSession session, JourneyCatalog catalog, JourneyAccess access, TimeProvider clock, CancellationToken ct)
    {
        var (query, v) = Validate(asOf, version);
        if (query is null) return v.ToProblem();

        var actor = Actor.From(http.User);
        if (!await access.MaySee(session, actor, id, ct)) return JourneyAccess.NotYours(id).AsProblem();

        var events = await session.Events.FetchStreamAsync(id, query.Version ?? 0, query.AsOf, token: ct);
        if (events.Count == 0)
            return Problem.NotFound($"The journey of participant {id} had not begun at {query.AsOf:O}.");
        var reached = events[^1].Version;
        if (query.Version is { } wanted && reached < wanted)
            return Problem.Validation("version", $"must be at most {reached.ToString(CultureInfo.InvariantCulture)}, the journey's current version.");

        var now = clock.GetUtcNow();
        var describes = query.AsOf ?? (query.Version is null ? now : events[^1].Timestamp);
        var state = new JourneyStateView(id, reached, describes, JourneyState.Fold(catalog, events.Select(e => e.Data)));

        ReadAudit.Record(session, http, actor, id, ReadAudit.State, now);
        await session.SaveChangesAsync(ct);
        JourneyConcurrency.SetETag(http.Response, reached);
        return TypedResults.Ok(state);
    }
}
