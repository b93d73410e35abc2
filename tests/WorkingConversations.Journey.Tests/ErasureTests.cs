using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Marten;
using Npgsql;
using WorkingConversations.BuildingBlocks.Hosting;
using WorkingConversations.Outcomes.Projections;
using WorkingConversations.Referrals.Identity;
using WorkingConversations.Testing;

namespace WorkingConversations.Journey.Tests;

[Collection(JourneyCollection.Name)]
public sealed class ErasureTests(ServiceFixture service)
{
    [Fact]
    public async Task After_erasure_a_dump_of_the_database_holds_none_of_the_persons_details_or_free_text_and_the_outcomes_are_unchanged()
    {
        var steps = new JourneySteps(service);
        var person = Person.Distinctive();
        var tag = person.FamilyName;
        string[] freeText = [$"Referral reason of {tag}", $"Waiting because of {tag}", $"Cafe on {tag} street", $"Best hopes of {tag}", $"Notes about {tag}", $"Called the GP of {tag}"];

        var (participantId, referralId) = await steps.Refer(person, freeText[0]);
        await steps.Waitlist(referralId, freeText[1]);
        await steps.Accept(referralId);
        var (practitionerId, practitioner) = await steps.ClearedPractitioner();
        await steps.Assign(participantId, practitionerId);
        var conversationId = await JourneySteps.Schedule(practitioner, participantId, location: freeText[2]);
        await JourneySteps.Hold(practitioner, conversationId, bestHopes: freeText[3], notes: freeText[4]);
        Assert.Equal(HttpStatusCode.Created, (await JourneySteps.Phq9(practitioner, participantId, [2, 2, 1, 1, 2, 1, 1, 2, 0], "start")).StatusCode);
        // A PHQ-9 that indicates risk raises a safeguarding concern; the caseworker's action taken is free text.
        await service.WaitForMessages(async () =>
            Assert.Equal(HttpStatusCode.Created, (await JourneySteps.Phq9(practitioner, participantId, [2, 2, 1, 1, 2, 1, 1, 2, 1])).StatusCode));
        var caseworker = await steps.Caseworker();
        var concern = Assert.Single((await caseworker.GetFromJsonAsync<JsonElement>($"/api/v1/safeguarding/concerns?participantId={participantId}"))
            .GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK,
            (await caseworker.PostAsJsonAsync($"/api/v1/safeguarding/concerns/{concern}/acknowledge", new { actionTaken = freeText[5] })).StatusCode);

        // The dump finds the free text and the identity as stored (its fields sealed at rest) before erasure, so it
        // would find them after if they were left anywhere.
        var sealedIdentity = await SealedIdentityValues(participantId);
        Assert.Equal(person.IdentifyingStrings.Length + 1, sealedIdentity.Length);
        var before = await Dump();
        Assert.All([.. sealedIdentity, .. freeText], s => Assert.Contains(s, before, StringComparison.Ordinal));
        var outcomeBefore = await OutcomeJson(participantId);
        Assert.NotNull(outcomeBefore);

        var url = $"/api/v1/participants/{participantId}";
        var erased = await ConcurrencyTests.Erase(caseworker, url, null);
        Assert.Equal(HttpStatusCode.Accepted, erased.StatusCode);
        Assert.Equal($"/api/v1/participants/{participantId}", erased.Headers.Location?.ToString());

        var after = await Dump();
        Assert.All([.. person.IdentifyingStrings, .. sealedIdentity, .. freeText], s => Assert.DoesNotContain(s, after, StringComparison.Ordinal));
        Assert.Empty(await SealedIdentityValues(participantId));
        Assert.Equal(outcomeBefore, await OutcomeJson(participantId));

        // The anonymous facts stay: the journey state still counts, the timeline still shows every step, masked.
        var episode = Assert.Single((await caseworker.GetFromJsonAsync<JsonElement>(url)).GetProperty("episodes").EnumerateArray());
        Assert.Equal(1, episode.GetProperty("conversationsHeld").GetInt32());
        Assert.Equal(13m, episode.GetProperty("latestScores").GetProperty("PHQ-9").GetDecimal());
        var export = await caseworker.GetFromJsonAsync<JsonElement>($"{url}/export");
        Assert.Equal(JsonValueKind.Null, export.GetProperty("identity").ValueKind);
        var events = export.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal("[erased]", events[0].GetProperty("data").GetProperty("reason").GetString());
        var last = events[^1];
        Assert.Equal("participant-erased", last.GetProperty("type").GetString());
        Assert.Equal("Journey", last.GetProperty("module").GetString());
        Assert.Equal("caseworker", last.GetProperty("recordedBy").GetProperty("role").GetString());

        // The referral view was rebuilt from the masked events: its history keeps each step, without the reasons.
        var referral = await caseworker.GetFromJsonAsync<JsonElement>($"/api/v1/referrals/{referralId}");
        var waitlisted = referral.GetProperty("statusHistory").EnumerateArray().Single(s => s.GetProperty("status").GetString() == "waitlisted");
        Assert.Equal("[erased]", waitlisted.GetProperty("reason").GetString());
        Assert.Equal("in-conversation", referral.GetProperty("status").GetString());

        // So was the concern: still acknowledged, without the action taken.
        var acknowledged = Assert.Single((await caseworker.GetFromJsonAsync<JsonElement>($"/api/v1/safeguarding/concerns?participantId={participantId}"))
            .GetProperty("items").EnumerateArray());
        Assert.Equal("acknowledged", acknowledged.GetProperty("status").GetString());
        Assert.Equal("[erased]", acknowledged.GetProperty("actionTaken").GetString());
    }

    /// <summary>The identity document's fields as the database holds them (sealed), none when there is no document.</summary>
    private async Task<string[]> SealedIdentityValues(Guid participantId)
    {
        await using var session = service.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var raw = await session.Json.FindByIdAsync<ParticipantIdentity>(participantId);
        if (raw is null) return [];
        return JsonDocument.Parse(raw).RootElement.EnumerateObject()
            .Where(p => p.Value.ValueKind == JsonValueKind.String && p.Value.GetString()!.StartsWith(IdentityCipher.Prefix, StringComparison.Ordinal))
            .Select(p => p.Value.GetString()!).ToArray();
    }

    private async Task<string?> OutcomeJson(Guid participantId)
    {
        await using var session = service.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return await session.Json.FindByIdAsync<EpisodeOutcome>(EpisodeOutcome.KeyOf(participantId, 1));
    }

    private Task<string> Dump() => DatabaseDump.Of(service.ConnectionString);
}
