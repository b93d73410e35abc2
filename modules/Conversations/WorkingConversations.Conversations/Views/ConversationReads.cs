using Marten;
using Microsoft.AspNetCore.Http;
using Wolverine.Marten;
using WorkingConversations.BuildingBlocks;
using WorkingConversations.BuildingBlocks.Auth;
using WorkingConversations.Journey.Contracts;

namespace WorkingConversations.Conversations.Views;

/// <summary>
/// The read audit of the conversation routes (they show best hopes and notes): Journey keeps the audit, so the read is
/// told to it by a message, stored in the outbox and committed before the answer is sent. A read that cannot be
/// recorded is not shown.
/// </summary>
internal static class ConversationReads
{
    public const string Conversations = "conversations";
    public const string Conversation = "conversation";
    public const string Trajectory = "trajectory";

    public static async Task RecordAsync(IDocumentSession session, IMartenOutbox outbox, HttpContext http, Guid participantId, string kind,
        DateTimeOffset now, CancellationToken ct)
    {
        var actor = Actor.From(http.User);
        outbox.Enroll(session);
        await outbox.PublishAsync(new ParticipantRecordRead(participantId, kind, actor.Role, actor.Name, actor.KeyId,
            $"{http.Request.Method} {http.Request.Path}{http.Request.QueryString}", CorrelationMiddleware.Of(http), now));
        await session.SaveChangesAsync(ct);
    }
}
