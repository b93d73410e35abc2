namespace WorkingConversations.Journey.Contracts;

/// <summary>
/// The person's identity was deleted and the protected text of their journey masked. Holds no personal data: the
/// anonymous facts of the journey stay, and this says when they stopped being about a known person.
/// </summary>
public sealed record ParticipantErased(Guid ParticipantId, string[] Steps, DateTimeOffset ErasedAt);

/// <summary>
/// Another module showed part of a participant's journey (their conversations: best hopes, notes) to someone: Journey
/// keeps it in the read audit with its own reads. Sent through the outbox in the read's own transaction, saved before
/// the answer goes out. Holds no personal data: who, with which key and role, the route and the correlation id.
/// </summary>
public sealed record ParticipantRecordRead(
    Guid ParticipantId, string Kind, string ActorRole, string ActorName, Guid ActorKeyId, string Route, string CorrelationId, DateTimeOffset ReadAt);
