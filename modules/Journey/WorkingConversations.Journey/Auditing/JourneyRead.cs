using Marten;
using Microsoft.AspNetCore.Http;
using WorkingConversations.BuildingBlocks.Auth;
using WorkingConversations.BuildingBlocks.Journey;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.Journey.Contracts;

namespace WorkingConversations.Journey.Auditing;

/// <summary>
/// One read of a participant's journey (history, state or export): who, with which key and role, when, which
/// participant, the route and the request's correlation id. Holds no personal data, so it survives erasure.
/// </summary>
internal sealed class JourneyRead
{
    /// <summary>Assigned by Marten (HiLo): the tie-breaker among reads recorded at the same microsecond.</summary>
    public long Id { get; set; }

    public Guid ParticipantId { get; set; }

    /// <summary>history, state or export (Journey's own reads); conversations or conversation (told by Conversations).</summary>
    public string Kind { get; set; } = "";

    public string ActorRole { get; set; } = "";

    public string ActorName { get; set; } = "";

    public Guid ActorKeyId { get; set; }

    public DateTimeOffset At { get; set; }

    public string Route { get; set; } = "";

    public string CorrelationId { get; set; } = "";
}

internal static class ReadAudit
{
    public const string History = "history";
    public const string State = "state";
    public const string Export = "export";

    /// <summary>
    /// Stores the read in the caller's session; the caller saves it before answering, so no read is ever shown
    /// without its audit row.
    /// </summary>
    public static JourneyRead Record(IDocumentSession session, HttpContext http, Actor actor, Guid participantId, string kind, DateTimeOffset now)
    {
        var read = new JourneyRead
        {
            ParticipantId = participantId,
            Kind = kind,
            ActorRole = actor.Role,
            ActorName = actor.Name,
            ActorKeyId = actor.KeyId,
            // PostgreSQL keeps microseconds: trimming here makes the stored time and the paging cursor agree exactly.
            At = Microseconds(now),
            Route = $"{http.Request.Method} {http.Request.Path}{http.Request.QueryString}",
            CorrelationId = CorrelationMiddleware.Of(http),
        };
        session.Store(read);
        return read;
    }

    public static DateTimeOffset Microseconds(DateTimeOffset t) => new(t.UtcTicks - t.UtcTicks % 10, TimeSpan.Zero);
}

/// <summary>Keeps the reads other modules tell of (ParticipantRecordRead) in the same audit as Journey's own.</summary>
public static class ParticipantRecordReadHandler
{
    public static void Handle(ParticipantRecordRead read, IDocumentSession session) =>
        session.Store(new JourneyRead
        {
            ParticipantId = read.ParticipantId,
            Kind = read.Kind,
            ActorRole = read.ActorRole,
            ActorName = read.ActorName,
            ActorKeyId = read.ActorKeyId,
            At = ReadAudit.Microseconds(read.ReadAt),
            Route = read.Route,
            CorrelationId = read.CorrelationId,
        });
}
