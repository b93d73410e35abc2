using Marten;
using Microsoft.AspNetCore.Http;
using WorkingConversations.BuildingBlocks.Auth;

namespace WorkingConversations.BuildingBlocks.Journey;

/// <summary>
/// The read audit, for any module's reads: every view of a journey, a conversation, a questionnaire or an export is
/// recorded in the caller's session (saved before the answer), and every participant search with what was searched for
/// as a keyed hash, never the text. The Journey module keeps the records; a module records through this and nothing else.
/// </summary>
public interface IReadAudit
{
    void Record(IDocumentSession session, HttpContext http, Actor actor, Guid participantId, string kind, DateTimeOffset now);

    /// <summary>
    /// A search for a participant: <paramref name="searchedFor"/> is the canonical text of the search ("nhs-number:9434765919"),
    /// stored only as its HMAC under the audit key, with how many participants it found.
    /// </summary>
    void RecordSearch(IDocumentSession session, HttpContext http, Actor actor, string searchedFor, int found, DateTimeOffset now);

    /// <summary>A read of a volunteer's record (their subject-access export), in the same audit as the participants' reads.</summary>
    void RecordVolunteer(IDocumentSession session, HttpContext http, Actor actor, Guid volunteerId, string kind, DateTimeOffset now);
}

/// <summary>The kinds of read the audit tells apart.</summary>
public static class ReadKinds
{
    public const string History = "history";
    public const string State = "state";
    public const string Export = "export";
    public const string Journey = "journey";
    public const string Conversation = "conversation";
    public const string Questionnaire = "questionnaire";
    public const string Search = "search";
    public const string VolunteerExport = "volunteer-export";
}
