using WorkingConversations.Conversations.Contracts;

namespace WorkingConversations.Conversations.Pages;

/// <summary>The fidelity items as a person reads them, on the record form and the trainer's view alike.</summary>
internal static class FidelityWords
{
    public static readonly IReadOnlyList<(string Item, string Field, string Question)> Questions =
    [
        (FidelityItems.BestHopesAsked, "fidelity.bestHopesAsked", "Did you ask about their best hopes?"),
        (FidelityItems.PreferredFutureDescribed, "fidelity.preferredFutureDescribed", "Did they describe their preferred future?"),
        (FidelityItems.ScalingUsed, "fidelity.scalingUsed", "Did you use the scale?"),
        (FidelityItems.ExceptionsExplored, "fidelity.exceptionsExplored", "Did you explore what is already working?"),
        (FidelityItems.NextStepParticipantsOwn, "fidelity.nextStepParticipantsOwn", "Was the next step their own?"),
    ];

    public static string Item(string item) => item switch
    {
        FidelityItems.BestHopesAsked => "Best hopes asked",
        FidelityItems.PreferredFutureDescribed => "Preferred future described",
        FidelityItems.ScalingUsed => "Scaling used",
        FidelityItems.ExceptionsExplored => "Exceptions explored",
        FidelityItems.NextStepParticipantsOwn => "Next step the participant's own",
        _ => item,
    };
}
