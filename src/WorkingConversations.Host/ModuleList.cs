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
    public static readonly IReadOnlyList<IModule> All =
    [
        new AccessModule(),
        new JourneyModule(),
        new ReferralsModule(),
        new ConversationsModule(),
        new VolunteerTrainingModule(),
        new OutcomesModule(),
        new OperationsModule(),
    ];
}
