using System.Globalization;
using JasperFx.Events;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace WorkingConversations.BuildingBlocks.Journey;

/// <summary>
/// The journey's ETag is its stream version. A write that sends <c>If-Match</c> with an older ETag gets 412 before it
/// changes anything; a write that loses a race to another after that check gets 409 from Marten's version check on
/// append (FetchForWriting, or Append with an expected version), so no update is ever lost.
/// </summary>
public static class JourneyConcurrency
{
    public static string ETagFor(long version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    public static void SetETag(HttpResponse response, long version) => response.Headers.ETag = ETagFor(version);

    /// <summary>
    /// Pure: whether an If-Match header value allows a write to a stream now at <paramref name="currentVersion"/>.
    /// No header, <c>*</c> or a strong tag equal to the version allow it; anything else (weak tags never match, as
    /// RFC 9110 says for If-Match) does not.
    /// </summary>
    public static bool Allows(string? ifMatch, long currentVersion)
    {
        if (string.IsNullOrWhiteSpace(ifMatch)) return true;
        if (!EntityTagHeaderValue.TryParseList([ifMatch], out var tags)) return false;
        var current = ETagFor(currentVersion);
        return tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || (!t.IsWeak && string.Equals(t.Tag.Value, current, StringComparison.Ordinal)));
    }

    /// <summary>
    /// For a write that fetched its stream with <c>FetchForWriting</c>: the 412 problem when the request's If-Match names
    /// another version than the one fetched. The append then checks that same version, so a later race gets 409.
    /// </summary>
    public static ProblemHttpResult? CheckIfMatch<T>(HttpRequest request, IEventStream<T> stream) where T : notnull =>
        CheckIfMatch(request, stream.StartingVersion ?? 0);

    /// <summary>The 412 problem when the request's If-Match is stale; null when the write may go ahead.</summary>
    public static ProblemHttpResult? CheckIfMatch(HttpRequest request, long currentVersion) =>
        Allows(request.Headers.IfMatch.ToString(), currentVersion) ? null : Problem.PreconditionFailed(currentVersion);
}
