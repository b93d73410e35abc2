namespace WorkingConversations.Journey.Contracts;

/// <summary>
/// The person's identity was deleted and the protected text of their journey masked. Holds no personal data: the
/// anonymous facts of the journey stay, and this says when they stopped being about a known person.
/// </summary>
public sealed record ParticipantErased(Guid ParticipantId, string[] Steps, DateTimeOffset ErasedAt);
