using Marten;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using WorkingConversations.BuildingBlocks.Auth;
using WorkingConversations.BuildingBlocks.Journey;
using WorkingConversations.BuildingBlocks.Modules;
using WorkingConversations.Conversations.Assigning;
using WorkingConversations.Conversations.Contracts;
using WorkingConversations.Conversations.Practitioners;
using WorkingConversations.Conversations.Recording;
using WorkingConversations.Conversations.Scheduling;

namespace WorkingConversations.Conversations;

public sealed class ConversationsModule : IModule
{
    public const string ModuleName = "Conversations";
    public const string Masked = "[erased]";
    public string Name => ModuleName;
    public string Schema => "conversations";

    public void ConfigureMarten(StoreOptions options)
    {
        options.Schema.For<Practitioner>().DatabaseSchemaName(Schema);
        options.Schema.For<CaseAssignment>().DatabaseSchemaName(Schema).Index(x => x.PractitionerId);
        options.Schema.For<ConversationIndex>().DatabaseSchemaName(Schema);
        options.Projections.LiveStreamAggregation<ConversationsJourney>();
    }

    public void DescribeJourney(JourneyCatalog catalog)
    {
        catalog
            .Add<EpisodeOpened>(ModuleName, "episode-opened", e => $"Episode {e.EpisodeNumber} opened")
            .Add<PractitionerAssigned>(ModuleName, "practitioner-assigned", e => $"Practitioner assigned ({e.Programme})" + (e.PreviousPractitionerId is null ? "" : ", replacing the previous one"))
            .Add<ConversationScheduled>(ModuleName, "conversation-scheduled", e => $"Conversation scheduled for {e.ScheduledFor:yyyy-MM-dd HH:mm} ({e.Mode})")
            .Add<ConversationHeld>(ModuleName, "conversation-held", e => $"Conversation held: scale {e.Scale}/10, {e.DurationMinutes} minutes" + (e.RiskDisclosed ? ", risk disclosed" : ""))
            .Add<ConversationMissed>(ModuleName, "conversation-missed", e => $"Conversation missed: {e.Reason}")
            .Add<SafeguardingConcernRaised>(ModuleName, "safeguarding-concern-raised", e => $"Safeguarding concern raised from a {e.Source}")
            .Add<SafeguardingConcernAcknowledged>(ModuleName, "safeguarding-concern-acknowledged", _ => "Safeguarding concern acknowledged")
            .Add<EpisodeEnded>(ModuleName, "episode-ended", e => $"Episode {e.EpisodeNumber} ended: {e.Reason}")
            .Protect<ConversationHeld>(e => e with
            {
                BestHopes = Masked, PreferredFutureSigns = [.. e.PreferredFutureSigns.Select(_ => Masked)], Exceptions = Masked, OnePointUp = Masked,
                NextSmallStep = e.NextSmallStep is null ? null : Masked, Notes = e.Notes is null ? null : Masked,
            })
            .Protect<ConversationScheduled>(e => e with { Location = e.Location is null ? null : Masked })
            .Protect<SafeguardingConcernRaised>(e => e with { Description = Masked })
            .Protect<SafeguardingConcernAcknowledged>(e => e with { ActionTaken = Masked })
            .Protect<EpisodeEnded>(e => e with { Note = e.Note is null ? null : Masked });
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        var participants = endpoints.MapGroup("/api/v1/participants").WithTags("Conversations");
        participants.MapPost("/{id:guid}/practitioner", AssignPractitioner.Handle).RequireRoles(Roles.Caseworker)
            .WithName("AssignPractitioner").WithSummary("Assign a cleared practitioner with room (caseworker)");
        participants.MapPost("/{id:guid}/conversations", ScheduleConversation.Handle).RequireRoles(Roles.Caseworker, Roles.Practitioner)
            .WithName("ScheduleConversation").WithSummary("Schedule a conversation");

        var conversations = endpoints.MapGroup("/api/v1/conversations").WithTags("Conversations");
        conversations.MapPost("/{id:guid}/record", RecordConversation.Handle).RequireRoles(Roles.Caseworker, Roles.Practitioner)
            .WithName("RecordConversation").WithSummary("Record a held solution-focused conversation");
    }
}
