using System.Net;
using System.Net.Http.Json;
using Marten;
using WorkingConversations.Testing;

namespace WorkingConversations.Conversations.Tests;

[Collection(ConversationsCollection.Name)]
public sealed class RecordingTests(ServiceFixture service)
{
    private readonly Given _given = new(service);

    [Fact]
    public async Task A_record_with_a_scale_outside_0_to_10_or_missing_fields_is_refused_naming_each_field_and_nothing_is_stored()
    {
        var (participantId, _, _, practitioner) = await _given.AssignedParticipant();
        var conversation = await Given.Schedule(practitioner, participantId, DateTimeOffset.UtcNow.AddDays(1));

        var problem = await Given.Problem(await practitioner.PostAsJsonAsync($"/api/v1/conversations/{conversation}/record", new
        {
            attended = true, bestHopes = "", preferredFutureSigns = new[] { "ok", " " }, scale = 11, exceptions = "Walks", onePointUp = "Out",
            riskDisclosed = false, durationMinutes = 0,
        }), HttpStatusCode.BadRequest);
        var errors = problem.GetProperty("errors");
        Assert.All(["bestHopes", "preferredFutureSigns[1]", "scale", "durationMinutes"], f => Assert.True(errors.TryGetProperty(f, out _), f));

        var fraction = await Given.Problem(await practitioner.PostAsync($"/api/v1/conversations/{conversation}/record",
            JsonContent.Create(new { attended = true, scale = 4.5 })), HttpStatusCode.BadRequest);
        Assert.True(fraction.GetProperty("errors").TryGetProperty("scale", out _));

        var item = Assert.Single(await Given.Items(practitioner, $"/api/v1/participants/{participantId}/conversations"));
        Assert.Equal("scheduled", item.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Erasure_masks_the_conversations_protected_text_and_keeps_the_scale()
    {
        var (participantId, _, _, practitioner) = await _given.AssignedParticipant();
        var conversation = await Given.Schedule(practitioner, participantId, DateTimeOffset.UtcNow.AddDays(1));
        Assert.Equal(HttpStatusCode.OK, (await Given.Record(practitioner, conversation, riskDisclosed: true, scale: 7)).StatusCode);

        // The masking rules this module registered, applied as erasure applies them.
        await service.Services.GetRequiredService<IDocumentStore>().Advanced.ApplyEventDataMasking(x => x.IncludeStream(participantId));

        var item = Assert.Single(await Given.Items(practitioner, $"/api/v1/participants/{participantId}/conversations"));
        Assert.Equal(7, item.GetProperty("scale").GetInt32());
        Assert.All(new[] { "bestHopes", "exceptions", "onePointUp", "nextSmallStep" }, f => Assert.Equal("[erased]", item.GetProperty(f).GetString()));
        Assert.All(item.GetProperty("preferredFutureSigns").EnumerateArray(), s => Assert.Equal("[erased]", s.GetString()));
        var raised = Assert.Single(await Given.Items(await _given.Caseworker(), $"/api/v1/participants/{participantId}/history?type=safeguarding-concern-raised"));
        Assert.Equal("[erased]", raised.GetProperty("data").GetProperty("description").GetString());
    }
}
