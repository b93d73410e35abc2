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

    /// <summary>Guid.Empty for a search and for a read of a volunteer's record.</summary>
    public Guid ParticipantId { get; set; }

    /// <summary>The volunteer whose record was read (their export); null for a participant's.</summary>
    public Guid? VolunteerId { get; set; }

    /// <summary>history, state or export (Journey's own reads); conversations or conversation (told by Conversations).</summary>
    public string Kind { get; set; } = "";

    public string ActorRole { get; set; } = "";

    public string ActorName { get; set; } = "";

    public Guid ActorKeyId { get; set; }

    public DateTimeOffset At { get; set; }

    public string Route { get; set; } = "";

    public string CorrelationId { get; set; } = "";

    /// <summary>For a search: the HMAC of what was searched for, under the audit key; never the text itself.</summary>
    public string? SearchedFor { get; set; }

    /// <summary>For a search: how many participants it found.</summary>
    public int? Found { get; set; }
}

internal static class ReadAudit
{
    public const string History = ReadKinds.History;
    public const string State = ReadKinds.State;
    public const string Export = ReadKinds.Export;

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

/// <summary>
/// The read audit for every module (<see cref="IReadAudit"/>). A search is kept as an HMAC-SHA256 of what was searched for
/// under <c>Journey:AuditKey</c> (base64, 32 bytes or more): an administrator who is asked "did anyone look for this
/// person?" can compute the same hash, but the audit itself holds no name, date of birth or NHS number.
/// </summary>
internal sealed class JourneyReadAudit(AuditSettings settings) : IReadAudit
{
    public void Record(IDocumentSession session, HttpContext http, Actor actor, Guid participantId, string kind, DateTimeOffset now) =>
        ReadAudit.Record(session, http, actor, participantId, kind, now);

    public void RecordSearch(IDocumentSession session, HttpContext http, Actor actor, string searchedFor, int found, DateTimeOffset now)
    {
        var read = ReadAudit.Record(session, http, actor, Guid.Empty, ReadKinds.Search, now);
        // The route keeps its path only: the query string would carry what was searched for.
        read.Route = $"{http.Request.Method} {http.Request.Path}";
        read.SearchedFor = settings.Hash(searchedFor);
        read.Found = found;
    }

    public void RecordVolunteer(IDocumentSession session, HttpContext http, Actor actor, Guid volunteerId, string kind, DateTimeOffset now)
    {
        var read = ReadAudit.Record(session, http, actor, Guid.Empty, kind, now);
        read.VolunteerId = volunteerId;
    }
}

internal sealed class AuditSettings(byte[] key)
{
    public const string Setting = "Journey:AuditKey";

    private static readonly byte[] DevelopmentKey =
        System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("working-conversations-development-audit-key"));

    public string Hash(string text) =>
        Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(key, System.Text.Encoding.UTF8.GetBytes(text)));

    /// <summary>
    /// Pure: whether the key is the public development one (in this repository), which anyone could use to test a
    /// guess of a name against the audit's hashes of searches.
    /// </summary>
    public bool IsDevelopmentKey => key.AsSpan().SequenceEqual(DevelopmentKey);

    public static AuditSettings From(Microsoft.Extensions.Configuration.IConfiguration configuration)
    {
        var configured = configuration[Setting];
        var key = string.IsNullOrEmpty(configured) ? DevelopmentKey : Convert.FromBase64String(configured);
        if (key.Length < 32) throw new InvalidOperationException($"{Setting} must be base64 of at least 32 bytes (e.g. `openssl rand -base64 32`).");
        return new AuditSettings(key);
    }
}

/// <summary>Stops a Production host at start-up, before the database is touched, when the audit key is the development one or not set.</summary>
internal sealed class ProductionAuditKeyCheck(AuditSettings settings, Microsoft.Extensions.Hosting.IHostEnvironment environment) : Microsoft.Extensions.Hosting.IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        Microsoft.Extensions.Hosting.HostEnvironmentEnvExtensions.IsProduction(environment) && settings.IsDevelopmentKey
            ? throw new InvalidOperationException(
                $"The host will not start in Production with development secrets. {AuditSettings.Setting} is the development key (or not set): " +
                "set a secret of your own (`openssl rand -base64 32`).")
            : Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
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
