using Marten;
using WorkingConversations.BuildingBlocks.Http;
using WorkingConversations.BuildingBlocks.Volunteers;

namespace WorkingConversations.Journey.Auditing;

/// <summary>A read the volunteer made with one of their keys: what kind, when, in which role; never whose record it was.</summary>
internal sealed record ReadMade(string Kind, string ActorRole, Guid ActorKeyId, DateTimeOffset At);

/// <summary>
/// What the read audit holds about a volunteer: the reads of their own record (exports), and the reads they made as a
/// practitioner, stamped with their key's name. Erasure keeps every row (the audit must stand) and masks the name.
/// </summary>
internal static class VolunteerReads
{
    public static void Describe(VolunteerCatalog catalog) =>
        catalog
            .AddExportSection("readsOfTheRecord", async (session, subject, ct) =>
                (await session.Query<JourneyRead>().Where(r => r.VolunteerId == subject.VolunteerId).OrderBy(r => r.At).ThenBy(r => r.Id).ToListAsync(ct))
                .Select(AuditItem.From).ToList())
            .AddExportSection("readsMade", async (session, subject, ct) =>
                (await ByTheVolunteer(session, subject).OrderBy(r => r.At).ThenBy(r => r.Id).ToListAsync(ct))
                .Select(r => new ReadMade(r.Kind, r.ActorRole, r.ActorKeyId, r.At)).ToList())
            .OnErasure("journey: the name on the reads they made masked", async erasure =>
            {
                foreach (var read in await ByTheVolunteer(erasure.Session, erasure.Subject).ToListAsync(erasure.Cancellation))
                {
                    if (read.ActorName == ProtectedText.Masked) continue;
                    read.ActorName = ProtectedText.Masked;
                    erasure.Session.Store(read);
                }
            });

    private static IQueryable<JourneyRead> ByTheVolunteer(IQuerySession session, VolunteerSubject subject)
    {
        var keys = subject.KeyIds.ToArray();
        var names = subject.Names.ToArray();
        return session.Query<JourneyRead>().Where(r => keys.Contains(r.ActorKeyId) || names.Contains(r.ActorName));
    }
}
