using Marten;
using WorkingConversations.BuildingBlocks.Http;

namespace WorkingConversations.BuildingBlocks.Volunteers;

/// <summary>
/// Every event is stamped with who appended it (<c>role|keyId|name</c>, see <see cref="Auth.Actor"/>), in any stream: a
/// practitioner's key name, or the name a signed-in practitioner's identity provider gave, is copied onto every event of
/// the journeys they worked on. Erasing the person keeps the role and the key id (a pseudonym) and masks the name.
/// </summary>
public static class EventActors
{
    public static void MaskNames(IDocumentSession session, VolunteerSubject subject)
    {
        if (subject.KeyIds.Count == 0 && subject.Names.Count == 0) return;
        var events = session.DocumentStore.Options.Events.DatabaseSchemaName;
        var masked = "|" + ProtectedText.Masked;
        session.QueueSqlCommand(
            $"update {events}.mt_events set user_name = split_part(user_name, '|', 1) || '|' || split_part(user_name, '|', 2) || ? " +
            "where user_name like '%|%|%' and split_part(user_name, '|', 3) <> ? " +
            "and (split_part(user_name, '|', 2) = any(?) or substr(user_name, length(split_part(user_name, '|', 1)) + length(split_part(user_name, '|', 2)) + 3) = any(?))",
            masked, ProtectedText.Masked, subject.KeyIds.Select(k => k.ToString()).ToArray(), subject.Names.ToArray());
    }
}
