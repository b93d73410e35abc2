using WorkingConversations.Access;
using WorkingConversations.BuildingBlocks.Modules;
using WorkingConversations.BuildingBlocks.Operations;
using WorkingConversations.Conversations;
using WorkingConversations.Journey;
using WorkingConversations.Outcomes;
using WorkingConversations.Referrals;
using WorkingConversations.VolunteerTraining;

namespace WorkingConversations.Host;

public static class ModuleList
{
    /// <summary>The domain modules and the two supporting ones, each under modules/.</summary>
    public static readonly IReadOnlyList<IModule> All =
    [
        new AccessModule(),
        new JourneyModule(),
        new ReferralsModule(),
        new ConversationsModule(),
        new VolunteerTrainingModule(),
        new OutcomesModule(),
    ];

    /// <summary>Plumbing, not domain: the operators' tools of BuildingBlocks, registered the way a module is.</summary>
    public static readonly IReadOnlyList<IModule> Plumbing = [new OperationsModule()];

    /// <summary>What the host is made of.</summary>
    public static readonly IReadOnlyList<IModule> Composed = [.. All, .. Plumbing];
}
