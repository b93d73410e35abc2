using System.Collections.Concurrent;
using Marten;
using WorkingConversations.Referrals.Partners;

namespace WorkingConversations.Referrals.Callbacks;

/// <summary>
/// Which partners registered a callback URL. A partner's callback URL is set once, at registration, and nothing changes
/// it afterwards, so each answer is kept for the life of the process: a status change of a partner without a callback
/// then costs no lookup and no durable message. If changing a partner's callback URL ever becomes possible, that change
/// must reach this directory on every node.
/// </summary>
public sealed class PartnerCallbackDirectory
{
    private readonly ConcurrentDictionary<Guid, bool> _hasCallback = new();

    public async ValueTask<bool> HasCallbackAsync(IQuerySession session, Guid partnerId, CancellationToken ct)
    {
        if (_hasCallback.TryGetValue(partnerId, out var known)) return known;
        var partner = await session.LoadAsync<Partner>(partnerId, ct);
        // An unknown partner is not remembered: it may be registered a moment later.
        if (partner is null) return false;
        return _hasCallback[partnerId] = partner.CallbackUrl is not null;
    }
}
