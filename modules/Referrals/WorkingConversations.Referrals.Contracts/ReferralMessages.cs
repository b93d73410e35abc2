namespace WorkingConversations.Referrals.Contracts;

/// <summary>
/// A referral of a partner with a callback URL changed status (including the first <c>received</c>, and
/// <c>in-conversation</c> and <c>ended</c> that Conversations' events cause): the work of one partner callback. Published
/// from the referral view's projection in the transaction that made the change; partners without a callback URL get
/// none. <paramref name="CallbackId"/> is made once per change, so every retry of the partner callback carries the
/// same id and the partner can de-duplicate on it.
/// </summary>
public sealed record ReferralStatusChanged(
    Guid ReferralId,
    Guid ParticipantId,
    Guid PartnerId,
    string PartnerReference,
    string Status,
    DateTimeOffset At,
    Guid CallbackId);

/// <summary>
/// A service of the directory was added or changed by an import: it can be pointed to (signposting). Other modules keep
/// what they need of it (its id and name) to check a service id they are given.
/// </summary>
public sealed record DirectoryServiceListed(string ServiceId, string Name, string Status, DateTimeOffset ListedAt);

/// <summary>An import no longer lists the service: it can no longer be pointed to.</summary>
public sealed record DirectoryServiceDelisted(string ServiceId, DateTimeOffset DelistedAt);

/// <summary>A partner organisation was registered: Access keeps its id, so that a partner key is issued only for a partner that exists.</summary>
public sealed record PartnerRegistered(Guid PartnerId, DateTimeOffset RegisteredAt);
