namespace WorkingConversations.Referrals.Contracts;

/// <summary>Referral statuses as api.md names them.</summary>
public static class ReferralStatuses
{
    public const string Received = "received";
    public const string Accepted = "accepted";
    public const string Declined = "declined";
    public const string Waitlisted = "waitlisted";
    public const string Withdrawn = "withdrawn";
    public const string InConversation = "in-conversation";
    public const string Ended = "ended";
}
