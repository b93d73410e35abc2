using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace WorkingConversations.BuildingBlocks.Journey;

/// <summary>
/// A stream's ETag is its version. A write that sends <c>If-Match</c> with an older ETag gets 412 before it changes
/// anything (the write step checks it against the version it read); without <c>If-Match</c>, a write that loses a race
/// to another is decided again on the new state, so no update is ever lost.
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
}
