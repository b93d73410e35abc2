using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Wolverine.Tracking;
using WorkingConversations.Testing;
using WorkingConversations.VolunteerTraining.Contracts;

namespace WorkingConversations.VolunteerTraining.Tests;

/// <summary>The host with a programme team's own curriculum and rules, set in configuration only.</summary>
public sealed class ConfiguredTrainingFixture : ServiceFixture
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["VolunteerTraining:Curriculum:Modules:0:code"] = "LOC-1",
        ["VolunteerTraining:Curriculum:Modules:0:title"] = "Local induction",
        ["VolunteerTraining:Curriculum:Modules:0:requiredFor:0"] = "volunteer",
        ["VolunteerTraining:Curriculum:Modules:0:requiredFor:1"] = "apprentice",
        ["VolunteerTraining:Curriculum:Modules:0:passMark"] = "60",
        ["VolunteerTraining:Curriculum:Modules:1:code"] = "LEAD-1",
        ["VolunteerTraining:Curriculum:Modules:1:title"] = "Leading practice",
        ["VolunteerTraining:Curriculum:Modules:1:requiredFor:0"] = "senior-practitioner",
        ["VolunteerTraining:Certification:VolunteerPracticeHours"] = "4",
        ["VolunteerTraining:Certification:ApprenticePracticeHours"] = "10",
        ["VolunteerTraining:Certification:SupervisionSessions"] = "1",
        ["VolunteerTraining:Certification:VolunteerCapacity"] = "2",
        ["VolunteerTraining:Certification:ApprenticeCapacity"] = "5",
        ["VolunteerTraining:Certification:SeniorPractitioner:PracticeHours"] = "30",
        ["VolunteerTraining:Certification:SeniorPractitioner:SupervisionSessions"] = "2",
        ["VolunteerTraining:Certification:SeniorPractitioner:MonthsAsPractitioner"] = "1",
        ["VolunteerTraining:Certification:SeniorPractitioner:Capacity"] = "9",
    };
}

[CollectionDefinition(Name)]
public sealed class ConfiguredTrainingCollection : ICollectionFixture<ConfiguredTrainingFixture>
{
    public const string Name = "training-configured";
}

[Collection(ConfiguredTrainingCollection.Name)]
public sealed class ConfiguredTrainingTests(ConfiguredTrainingFixture service)
{
    [Fact]
    public async Task The_curriculum_and_the_rules_come_from_configuration()
    {
        var (trainer, _, _) = await service.ClientFor("trainer");
        var curriculum = await trainer.GetFromJsonAsync<JsonElement>("/api/v1/training/curriculum");
        Assert.Equal(["LOC-1", "LEAD-1"], curriculum.GetProperty("items").Strings("code"));

        var id = await service.EnrolVolunteer(trainer);
        var refused = await (await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/certify", new { })).Body();
        Assert.Equal(["module:LOC-1", "practice-hours", "supervision-sessions", "dbs-check"], refused.GetProperty("unmet").Strings("requirement"));
        Assert.Contains("4 supervised practice hours", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);

        await service.MeetCertificationRequirements(trainer, id);
        var tracked = await service.WaitForMessages(async () =>
            Assert.Equal(HttpStatusCode.OK, (await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/certify", new { })).StatusCode));
        Assert.Equal(2, Assert.Single(tracked.MessageSucceeded.MessagesOf<PractitionerCleared>()).Capacity);
    }

    [Fact]
    public async Task An_apprentice_rises_from_trainee_to_practitioner_to_senior_practitioner_as_each_levels_requirements_are_met()
    {
        var (trainer, _, _) = await service.ClientFor("trainer");
        var id = await service.EnrolVolunteer(trainer, "apprentice");
        Assert.Equal("trainee", (await trainer.GetFromJsonAsync<JsonElement>($"/api/v1/volunteers/{id}")).GetProperty("level").GetString());

        var early = await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/promote", new { });
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);

        await service.MeetCertificationRequirements(trainer, id);
        var certification = await service.WaitForMessages(async () =>
            Assert.Equal(HttpStatusCode.OK, (await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/certify", new { })).StatusCode));
        Assert.Equal(5, Assert.Single(certification.MessageSucceeded.MessagesOf<PractitionerCleared>()).Capacity);
        var practitioner = await trainer.GetFromJsonAsync<JsonElement>($"/api/v1/volunteers/{id}");
        Assert.Equal("practitioner", practitioner.GetProperty("level").GetString());
        Assert.Equal("senior-practitioner", practitioner.GetProperty("next").GetProperty("towards").GetString());

        var refused = await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/promote", new { });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal(["module:LEAD-1", "practice-hours", "supervision-sessions", "months-as-practitioner"],
            (await refused.Body()).GetProperty("unmet").Strings("requirement"));

        await service.MeetCertificationRequirements(trainer, id);
        Assert.Equal(["months-as-practitioner"], await service.UnmetRequirements(trainer, id));
        service.Clock.Advance(TimeSpan.FromDays(32));

        var promotion = await service.WaitForMessages(async () =>
            Assert.Equal(HttpStatusCode.OK, (await trainer.PostAsJsonAsync($"/api/v1/volunteers/{id}/promote", new { })).StatusCode));
        var changed = Assert.Single(promotion.MessageSucceeded.MessagesOf<PractitionerCapacityChanged>());
        Assert.Equal((id, 9), (changed.PractitionerId, changed.Capacity));
        var senior = await trainer.GetFromJsonAsync<JsonElement>($"/api/v1/volunteers/{id}");
        Assert.Equal(("senior-practitioner", 9), (senior.GetProperty("level").GetString(), senior.GetProperty("capacity").GetInt32()));
        Assert.Equal(JsonValueKind.Null, senior.GetProperty("next").ValueKind);
    }
}
