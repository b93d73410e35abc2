namespace WorkingConversations.Referrals.Partners;

/// <summary>A partner organisation that refers people. The callback secret signs its status callbacks.</summary>
internal sealed record Partner(Guid Id, string Name, string ContactEmail, string? CallbackUrl, string? CallbackSecret, DateTimeOffset RegisteredAt);
