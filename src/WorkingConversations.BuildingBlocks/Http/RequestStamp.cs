using Marten;
using Microsoft.AspNetCore.Http;
using Wolverine.Marten;
using Wolverine.Runtime;
using WorkingConversations.BuildingBlocks.Auth;

namespace WorkingConversations.BuildingBlocks;

public static class RequestStamp
{
    public const string RoleHeader = "actorRole";

    /// <summary>
    /// Stamps the session (and the outbox's outgoing messages) with who is acting and the request's correlation, so every
    /// event it appends and every message it sends carries them.
    /// </summary>
    public static Actor StampFrom(this IDocumentSession session, HttpContext http, IMartenOutbox? outbox = null)
    {
        var actor = Actor.From(http.User);
        var correlation = CorrelationMiddleware.Of(http);
        session.LastModifiedBy = actor.ToString();
        session.CorrelationId = correlation;
        session.CausationId = http.TraceIdentifier;
        session.SetHeader(RoleHeader, actor.Role);
        if (outbox is MessageBus bus)
        {
            bus.CorrelationId = correlation;
            bus.UserName = actor.ToString();
        }

        return actor;
    }
}
