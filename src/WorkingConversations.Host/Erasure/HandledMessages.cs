using WorkingConversations.BuildingBlocks.Volunteers;

namespace WorkingConversations.Host.Erasure;

/// <summary>
/// Wolverine keeps a handled message for a while after handling it (to recognise a redelivery), body and all, and the
/// messages VolunteerTraining sends carry a suspension's or a withdrawal's reason. Erasing a volunteer deletes the
/// handled ones that name them; messages still to be handled are left to do their work (they carry ids and fixed
/// phrases, or a reason that erasure of the volunteer's stream has already masked at its source).
/// </summary>
internal static class HandledMessages
{
    public static void Describe(VolunteerCatalog catalog) =>
        catalog.OnErasure("messages: the handled messages about them deleted", erasure =>
        {
            erasure.Session.QueueSqlCommand(
                $"delete from {HostSetup.MessagesSchema}.wolverine_incoming_envelopes where status = 'Handled' and position(convert_to(?, 'UTF8') in body) > 0",
                erasure.Subject.VolunteerId.ToString());
            return Task.CompletedTask;
        });
}
