namespace WorkingConversations.Conversations.Assigning;

/// <summary>
/// Who holds a participant: the lookup behind capacity checks, caseloads and reassignment. <see cref="Active"/> is false
/// once the episode has ended. Who may see the participant is decided from the journey itself (JourneyAccess), not here.
/// </summary>
public sealed record CaseAssignment(Guid Id, Guid PractitionerId, int EpisodeNumber, bool Active, DateTimeOffset AssignedAt);
