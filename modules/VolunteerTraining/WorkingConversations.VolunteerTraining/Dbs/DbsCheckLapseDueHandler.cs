using Marten;
using Wolverine;
using WorkingConversations.BuildingBlocks.Auth;
using WorkingConversations.BuildingBlocks.Writing;
using WorkingConversations.VolunteerTraining.Certifying;
using WorkingConversations.VolunteerTraining.Contracts;

namespace WorkingConversations.VolunteerTraining.Dbs;

/// <summary>
/// On the day a DBS check runs out, withdraws the clearance it supported. It decides from the stream as it is then, so a
/// newer check, a withdrawal or an earlier lapse since the message was scheduled makes it do nothing.
/// </summary>
public static class DbsCheckLapseDueHandler
{
    public const string Reason = "DBS check lapsed";

    internal static ClearanceLapsed? Decide(Volunteer? volunteer, DateTimeOffset now) =>
        volunteer is { HoldsClearance: true, Dbs: { ValidUntil: { } until } dbs } && Requirements.HasLapsed(dbs, DateOnly.FromDateTime(now.UtcDateTime))
            ? new ClearanceLapsed(volunteer.Id, Reason, until, now)
            : null;

    public static Task<OutgoingMessages> Handle(DbsCheckLapseDue message, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        // Nobody acted: the stream says the service did it, whoever recorded the check.
        session.LastModifiedBy = Actor.System.ToString();
        return session.DecideAsync<Volunteer>(message.VolunteerId, volunteer =>
            Decide(volunteer, clock.GetUtcNow()) is { } lapsed
                ? Decision.Append(lapsed).Publish(new PractitionerWithdrawn(message.VolunteerId, lapsed.Reason, lapsed.LapsedAt))
                : Decision.Nothing, ct);
    }
}
