using Marten;
using Microsoft.Extensions.Configuration;
using WorkingConversations.Referrals.Contracts;
using WorkingConversations.VolunteerTraining.Contracts;

namespace WorkingConversations.Access.KnownHolders;

/// <summary>
/// Someone a key may act for: a registered partner, or an enrolled volunteer (a practitioner once certified). Access
/// cannot read the Referrals or VolunteerTraining documents, so it keeps this small read model of its own, fed by their
/// messages.
/// </summary>
public sealed record KnownHolder(Guid Id, string Kind, DateTimeOffset Since)
{
    public const string Partner = "partner";
    public const string Volunteer = "volunteer";
}

/// <summary>Keeps <see cref="KnownHolder"/> from the messages; a redelivery stores the same document again.</summary>
public static class KnownHolderHandler
{
    public static void Handle(PartnerRegistered registered, IDocumentSession session) =>
        session.Store(new KnownHolder(registered.PartnerId, KnownHolder.Partner, registered.RegisteredAt));

    public static void Handle(VolunteerRegistered registered, IDocumentSession session) =>
        session.Store(new KnownHolder(registered.VolunteerId, KnownHolder.Volunteer, registered.EnrolledAt));
}

/// <summary>Looks up whether a key's partner or practitioner exists.</summary>
internal static class Holders
{
    /// <summary>
    /// The message that makes a new partner or volunteer known is handled a moment after the write that created them
    /// (tens of milliseconds; the first messages after a node starts, several seconds), so an id not known yet is looked
    /// for again for a while (<c>Auth:HolderGraceSeconds</c>, default 30) before the key is refused. Only an id that does
    /// not exist waits this long.
    /// </summary>
    public static TimeSpan Grace(IConfiguration configuration) => TimeSpan.FromSeconds(configuration.GetValue("Auth:HolderGraceSeconds", 30));

    public static async Task<bool> ExistsAsync(IQuerySession session, Guid id, string kind, TimeSpan grace, CancellationToken ct)
    {
        var until = DateTimeOffset.UtcNow + grace;
        while (true)
        {
            var known = await session.LoadAsync<KnownHolder>(id, ct);
            if (known is not null) return known.Kind == kind;
            if (DateTimeOffset.UtcNow >= until) return false;
            await Task.Delay(100, ct);
        }
    }
}
