using Marten;
using WorkingConversations.Referrals.Contracts;

namespace WorkingConversations.Conversations.Signposting;

/// <summary>
/// A directory service a next small step may point to, as Referrals, which keeps the directory, announced it. Conversations
/// keeps only the id and name, to check the id a practitioner gives and to show the name.
/// </summary>
internal sealed record SignpostableService(string Id, string Name, string Status, DateTimeOffset ListedAt);

/// <summary>Keeps <see cref="SignpostableService"/> in step with the directory's imports; a redelivered message changes nothing new.</summary>
public static class SignpostableServiceHandler
{
    public static void Handle(DirectoryServiceListed listed, IDocumentSession session) =>
        session.Store(new SignpostableService(listed.ServiceId, listed.Name, listed.Status, listed.ListedAt));

    public static void Handle(DirectoryServiceDelisted delisted, IDocumentSession session) =>
        session.Delete<SignpostableService>(delisted.ServiceId);
}
