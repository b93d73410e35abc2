using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WorkingConversations.Testing;

namespace WorkingConversations.VolunteerTraining.Tests;

/// <summary>A volunteer's subject-access export and erasure (UK GDPR articles 15 and 17), for trainers and administrators.</summary>
[Collection(TrainingCollection.Name)]
public sealed class VolunteerErasureTests(ServiceFixture service)
{
    /// <summary>A volunteer with every identifying string unique to the test, so a database dump can be searched for them.</summary>
    private sealed record Volunteer(string GivenName, string FamilyName, string Email)
    {
        public string FullName => $"{GivenName} {FamilyName}";

        public static Volunteer Distinctive()
        {
            var letters = new string([.. Guid.NewGuid().ToString("N").Take(10).Select(c => (char)('a' + c % 26))]);
            return new Volunteer("Wren" + letters, "Osei" + letters, $"wren.{letters}@example.org");
        }
    }

    private sealed record World(Guid VolunteerId, Guid ParticipantId, Volunteer Who, string KeyName, string[] FreeText, HttpClient Trainer, HttpClient Caseworker);

    /// <summary>
    /// A volunteer trained, supervised (a note), certified, given capacity (a reason) and a key named after them; as a
    /// practitioner they schedule a conversation and read a participant's journey (their key's name is stamped on both);
    /// then they are suspended, reinstated and withdrawn (reasons).
    /// </summary>
    private async Task<World> VolunteerWhoPractisedAndLeft()
    {
        var who = Volunteer.Distinctive();
        var tag = who.FamilyName;
        string[] freeText = [$"Assessor of {tag}", $"Supervisor of {tag}", $"Talked about the bereavement of {tag}", $"Caring for the parent of {tag}",
            $"Review of {tag}", $"Review done for {tag}", $"{tag} is moving abroad"];
        var (trainer, _, _) = await service.ClientFor("trainer");
        var enrolled = await trainer.PostAsJsonAsync("/api/v1/volunteers", new { givenName = who.GivenName, familyName = who.FamilyName, email = who.Email, programme = "volunteer" });
        Assert.Equal(HttpStatusCode.Created, enrolled.StatusCode);
        var id = (await enrolled.Body()).GetProperty("id").GetGuid();
        var today = service.Today();
        var curriculum = await trainer.GetFromJsonAsync<JsonElement>("/api/v1/training/curriculum");
        var module = curriculum.GetProperty("items").EnumerateArray().First().GetProperty("code").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/modules/{Uri.EscapeDataString(module)}/assessment",
            new { passed = true, score = 90, assessedBy = freeText[0], assessedOn = today })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/supervision",
            new { supervisor = freeText[1], on = today, note = freeText[2] })).StatusCode);
        await service.MeetCertificationRequirements(trainer, id);
        await service.WaitForMessages(async () => Assert.Equal(HttpStatusCode.OK, (await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/certify", new { })).StatusCode));
        await service.WaitForMessages(async () =>
            Assert.Equal(HttpStatusCode.OK, (await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/capacity", new { capacity = 2, reason = freeText[3] })).StatusCode));

        var keyName = $"Practitioner key of {who.FullName}";
        var (practitioner, _, _) = await service.ClientFor("practitioner", practitionerId: id, name: keyName);
        var scenario = new Scenario(service);
        var participant = await (await (await scenario.Referred()).Accepted()).Assigned(practitioner: (id, practitioner));
        Assert.Equal(HttpStatusCode.Created, (await practitioner.PostAsJsonAsync($"/api/v1/participants/{participant.ParticipantId}/conversations",
            new { scheduledFor = service.Clock.GetUtcNow().AddDays(1), mode = "phone", location = (string?)null })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await practitioner.GetAsync($"/api/v1/participants/{participant.ParticipantId}")).StatusCode);

        await service.WaitForMessages(async () =>
            Assert.Equal(HttpStatusCode.OK, (await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/suspend", new { reason = freeText[4] })).StatusCode));
        await service.WaitForMessages(async () =>
            Assert.Equal(HttpStatusCode.OK, (await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/reinstate", new { reason = freeText[5] })).StatusCode));
        await service.WaitForMessages(async () =>
            Assert.Equal(HttpStatusCode.OK, (await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/withdraw", new { reason = freeText[6] })).StatusCode));
        return new World(id, participant.ParticipantId, who, keyName, freeText, trainer, await scenario.Caseworker());
    }

    [Fact]
    public async Task After_erasure_no_table_holds_the_volunteers_name_email_or_free_text_the_training_facts_and_the_pseudonym_stay_and_a_repeat_changes_nothing()
    {
        var world = await VolunteerWhoPractisedAndLeft();
        var id = world.VolunteerId;
        string[] gone = [world.Who.GivenName, world.Who.FamilyName, world.Who.Email, world.KeyName, .. world.FreeText];
        var before = await DatabaseDump.Of(service.ConnectionString);
        Assert.All(gone, s => Assert.True(Holds(before, s), $"The dump before erasure should hold '{s}'."));
        var progressBefore = await world.Trainer.GetFromJsonAsync<JsonElement>($"/api/v1/volunteers/{id}");

        var admin = service.Admin();
        var erased = await admin.PostAsJsonAsync($"/api/v1/volunteers/{id}/erasure", new { });
        Assert.Equal(HttpStatusCode.Accepted, erased.StatusCode);
        Assert.Equal($"/api/v1/volunteers/{id}", erased.Headers.Location?.ToString());
        var accepted = await erased.Body();

        var after = await DatabaseDump.Of(service.ConnectionString);
        Assert.All(gone, s => Assert.False(Holds(after, s), $"The dump after erasure still holds '{s}'."));

        // The training facts stay, without who they were.
        var progress = await world.Trainer.GetFromJsonAsync<JsonElement>($"/api/v1/volunteers/{id}");
        Assert.Equal(("[erased]", "[erased]", "[erased]"),
            (progress.GetProperty("givenName").GetString(), progress.GetProperty("familyName").GetString(), progress.GetProperty("email").GetString()));
        foreach (var fact in new[] { "status", "level", "programme", "capacity", "certifiedAt", "dbs", "practiceHours", "supervisionSessions", "modules" })
        {
            if (progressBefore.TryGetProperty(fact, out var value)) Assert.Equal(value.GetRawText(), progress.GetProperty(fact).GetRawText());
        }

        Assert.Equal("withdrawn", progress.GetProperty("status").GetString());

        // The participant's journey keeps the practitioner's id as its pseudonym.
        var journey = await world.Caseworker.GetFromJsonAsync<JsonElement>($"/api/v1/participants/{world.ParticipantId}");
        var episode = Assert.Single(journey.GetProperty("episodes").EnumerateArray());
        Assert.Contains(id.ToString(), episode.GetRawText(), StringComparison.OrdinalIgnoreCase);
        var history = await world.Caseworker.GetFromJsonAsync<JsonElement>($"/api/v1/participants/{world.ParticipantId}/history?limit=500");
        var scheduled = history.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("type").GetString() == "conversation-scheduled");
        Assert.Equal(id, scheduled.GetProperty("data").GetProperty("practitionerId").GetGuid());
        Assert.Equal("[erased]", scheduled.GetProperty("recordedBy").GetProperty("name").GetString());

        // The erasure is in the volunteer's own history, with who did it; a repeat answers the same erasure and appends nothing.
        var again = await world.Trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/erasure", new { });
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal(accepted.GetProperty("erasedAt").GetDateTimeOffset(), (await again.Body()).GetProperty("erasedAt").GetDateTimeOffset());
        var own = (await world.Trainer.GetFromJsonAsync<JsonElement>($"/api/v1/volunteers/{id}/history")).GetProperty("items").EnumerateArray().ToList();
        var erasure = Assert.Single(own, i => i.GetProperty("type").GetString() == "volunteer-erased");
        Assert.Equal("admin", erasure.GetProperty("recordedBy").GetProperty("role").GetString());
        var afterRepeat = await DatabaseDump.Of(service.ConnectionString);
        Assert.All(gone, s => Assert.False(Holds(afterRepeat, s), $"The dump after a repeated erasure holds '{s}'."));

        // Their keys no longer work.
        var keys = await admin.GetFromJsonAsync<JsonElement>("/api/v1/api-keys");
        var theirs = keys.EnumerateArray().Where(k => k.GetProperty("practitionerId").ValueKind == JsonValueKind.String && k.GetProperty("practitionerId").GetGuid() == id).ToList();
        Assert.NotEmpty(theirs);
        Assert.All(theirs, k => Assert.Equal(("[erased]", JsonValueKind.String), (k.GetProperty("name").GetString(), k.GetProperty("revokedAt").ValueKind)));
    }

    [Fact]
    public async Task The_export_holds_everything_about_the_volunteer_and_is_in_the_read_audit()
    {
        var world = await VolunteerWhoPractisedAndLeft();
        var id = world.VolunteerId;

        var response = await world.Trainer.GetAsync($"/api/v1/volunteers/{id}/export");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var export = await response.Body();
        var text = export.GetRawText();
        Assert.Equal(id, export.GetProperty("volunteerId").GetGuid());
        var profile = export.GetProperty("profile");
        Assert.Equal((world.Who.GivenName, world.Who.FamilyName, world.Who.Email),
            (profile.GetProperty("givenName").GetString(), profile.GetProperty("familyName").GetString(), profile.GetProperty("email").GetString()));
        // Their own stream with its data: the notes and reasons recorded about them, and the names of the people around them.
        Assert.All(world.FreeText, t => Assert.Contains(t, text, StringComparison.Ordinal));
        var types = export.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("type").GetString()).ToList();
        Assert.Equal("volunteer-enrolled", types[0]);
        Assert.Contains("volunteer-certified", types);
        Assert.Equal("volunteer-withdrawn", types[^1]);
        // What other modules hold keyed by their practitioner id: their key (never its secret or hash), their practice, their reads.
        var key = Assert.Single(export.GetProperty("apiKeys").EnumerateArray());
        Assert.Equal(world.KeyName, key.GetProperty("name").GetString());
        Assert.False(key.TryGetProperty("hash", out _));
        var practice = export.GetProperty("practice");
        Assert.Equal("withdrawn", practice.GetProperty("standing").GetProperty("status").GetString());
        var conversation = Assert.Single(practice.GetProperty("conversations").EnumerateArray());
        Assert.Equal("phone", conversation.GetProperty("mode").GetString());
        Assert.DoesNotContain(world.ParticipantId.ToString(), text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(export.GetProperty("readsMade").EnumerateArray(), r => r.GetProperty("kind").GetString() == "state");
        var read = Assert.Single(export.GetProperty("readsOfTheRecord").EnumerateArray());
        Assert.Equal("volunteer-export", read.GetProperty("kind").GetString());

        // An administrator may export too; each export is in the read audit, with who made it.
        Assert.Equal(HttpStatusCode.OK, (await service.Admin().GetAsync($"/api/v1/volunteers/{id}/export")).StatusCode);
        var audit = await service.Admin().GetFromJsonAsync<JsonElement>("/api/v1/audit?limit=500");
        var exports = audit.GetProperty("items").EnumerateArray()
            .Where(r => r.TryGetProperty("volunteerId", out var v) && v.ValueKind == JsonValueKind.String && v.GetGuid() == id).ToList();
        Assert.Equal(["admin", "trainer"], exports.Select(r => r.GetProperty("actor").GetProperty("role").GetString()));
        Assert.All(exports, r => Assert.Equal("volunteer-export", r.GetProperty("kind").GetString()));
    }

    [Fact]
    public async Task Unknown_volunteers_are_404_problems_and_one_still_in_the_programme_is_not_erased()
    {
        var (trainer, _, _) = await service.ClientFor("trainer");
        var unknown = Guid.NewGuid();
        foreach (var answer in new[] { await trainer.GetAsync($"/api/v1/volunteers/{unknown}/export"), await trainer.PostAsJsonAsync($"/api/v1/volunteers/{unknown}/erasure", new { }) })
        {
            Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
            Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
            Assert.Contains(unknown.ToString(), (await answer.Body()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        var id = await service.CertifiedPractitioner();
        var before = await trainer.GetStringAsync($"/api/v1/volunteers/{id}");
        var refused = await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/erasure", new { });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var problem = await refused.Body();
        Assert.Equal(409, problem.GetProperty("status").GetInt32());
        Assert.Equal("certified", problem.GetProperty("volunteerStatus").GetString());
        Assert.Equal(before, await trainer.GetStringAsync($"/api/v1/volunteers/{id}"));
        var history = (await trainer.GetFromJsonAsync<JsonElement>($"/api/v1/volunteers/{id}/history")).GetProperty("items").EnumerateArray();
        Assert.DoesNotContain(history, i => i.GetProperty("type").GetString() == "volunteer-erased");

        var unknownField = await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/erasure", new { reason = "because" });
        Assert.Equal(HttpStatusCode.BadRequest, unknownField.StatusCode);
    }

    /// <summary>
    /// The dump holds the text as text, or inside a binary column (pg_dump writes bytea as hex: the bodies of the messages
    /// Wolverine keeps).
    /// </summary>
    private static bool Holds(string dump, string text) =>
        dump.Contains(text, StringComparison.Ordinal) || dump.Contains(Convert.ToHexStringLower(System.Text.Encoding.UTF8.GetBytes(text)), StringComparison.Ordinal);
}
