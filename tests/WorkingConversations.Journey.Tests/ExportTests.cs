using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WorkingConversations.Testing;

namespace WorkingConversations.Journey.Tests;

[Collection(JourneyCollection.Name)]
public sealed class ExportTests(ServiceFixture service)
{
    [Fact]
    public async Task The_export_holds_the_identity_every_event_with_its_data_the_questionnaires_and_who_read_the_record()
    {
        var steps = new JourneySteps(service);
        var person = Person.Distinctive();
        var journey = await steps.HeldJourney(person);
        var caseworker = await steps.Caseworker();
        var url = $"/api/v1/participants/{journey.ParticipantId}";
        Assert.Equal(HttpStatusCode.OK, (await journey.Practitioner.GetAsync($"{url}/history")).StatusCode);

        var response = await caseworker.GetAsync($"{url}/export");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var export = await response.Body();
        Assert.Equal(journey.ParticipantId, export.GetProperty("participantId").GetGuid());

        var identity = export.GetProperty("identity");
        Assert.Equal(person.GivenName, identity.GetProperty("givenName").GetString());
        Assert.Equal(person.FamilyName, identity.GetProperty("familyName").GetString());
        Assert.Equal(person.DateOfBirth, identity.GetProperty("dateOfBirth").GetString());
        Assert.Equal(person.NhsNumber, identity.GetProperty("nhsNumber").GetString());
        Assert.Equal(person.Email, identity.GetProperty("email").GetString());

        var events = export.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(7, events.Count);
        Assert.Equal("Low mood since losing work", events[0].GetProperty("data").GetProperty("reason").GetString());
        Assert.Equal("Feel settled at home", events[5].GetProperty("data").GetProperty("bestHopes").GetString());

        var questionnaire = Assert.Single(export.GetProperty("questionnaires").EnumerateArray());
        Assert.Equal("PHQ-9", questionnaire.GetProperty("instrument").GetString());
        Assert.Equal([2, 2, 1, 1, 2, 1, 1, 2, 0], questionnaire.GetProperty("answers").EnumerateArray().Select(a => a.GetInt32()).ToArray());

        var reads = export.GetProperty("reads").EnumerateArray().ToList();
        Assert.Equal(["history", "export"], reads.Select(r => r.GetProperty("kind").GetString()!).ToArray());
        Assert.Equal("practitioner", reads[0].GetProperty("actor").GetProperty("role").GetString());
    }
}
