using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using WorkingConversations.Testing;
using WorkingConversations.VolunteerTraining.Curriculum;

namespace WorkingConversations.VolunteerTraining.Tests;

public sealed class CurriculumRules
{
    [Fact]
    public void The_shipped_curriculum_requires_the_core_modules_of_both_programmes_and_further_modules_of_apprentices()
    {
        var curriculum = TrainingCurriculum.Default();
        var volunteer = curriculum.RequiredFor(Programmes.Volunteer).Select(m => m.Code).ToArray();
        var apprentice = curriculum.RequiredFor(Programmes.Apprentice).Select(m => m.Code).ToArray();

        Assert.Equal(["SFP-01", "SFP-02", "SFP-03", "SAFE-01", "PRAC-01"], volunteer);
        Assert.Superset(volunteer.ToHashSet(), apprentice.ToHashSet());
        Assert.True(apprentice.Length > volunteer.Length);
        Assert.NotEmpty(curriculum.RequiredFor(Levels.SeniorPractitioner));
        Assert.Equal(80, curriculum.Find("safe-01")!.PassMark);
    }

    [Fact]
    public void A_broken_curriculum_is_refused_with_every_problem_named()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new TrainingCurriculum(
        [
            new CurriculumModule("A", "One", ["volunteer"], 70),
            new CurriculumModule("a", "Two", ["volunteers"], 120),
        ]));

        Assert.Contains("'volunteers'", error.Message, StringComparison.Ordinal);
        Assert.Contains("pass mark of 120", error.Message, StringComparison.Ordinal);
        Assert.Contains("more than one module", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Configuration_replaces_the_shipped_curriculum_without_a_code_change()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["VolunteerTraining:Curriculum:Modules:0:code"] = "LOCAL-1",
            ["VolunteerTraining:Curriculum:Modules:0:title"] = "Local induction",
            ["VolunteerTraining:Curriculum:Modules:0:requiredFor:0"] = "volunteer",
            ["VolunteerTraining:Curriculum:Modules:0:passMark"] = "60",
        }).Build();

        var module = Assert.Single(TrainingCurriculum.From(configuration).Modules);
        Assert.Equal(("LOCAL-1", "Local induction", 60), (module.Code, module.Title, module.PassMark));
        Assert.Equal(["volunteer"], module.RequiredFor);
    }

    [Fact]
    public void A_curriculum_file_named_in_configuration_is_used()
    {
        var path = Path.Combine(Path.GetTempPath(), $"curriculum-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """{ "modules": [ { "code": "F-1", "title": "From a file", "requiredFor": ["apprentice"] } ] }""");
        try
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["VolunteerTraining:Curriculum:File"] = path }).Build();
            var module = Assert.Single(TrainingCurriculum.From(configuration).Modules);
            Assert.Equal("F-1", module.Code);
            Assert.Null(module.PassMark);
        }
        finally
        {
            File.Delete(path);
        }
    }
}

[Collection(TrainingCollection.Name)]
public sealed class CurriculumEndpointTests(ServiceFixture service)
{
    [Fact]
    public async Task A_trainer_reads_the_curriculum_with_codes_titles_requirements_and_pass_marks()
    {
        var (trainer, _, _) = await service.ClientFor("trainer");

        var curriculum = await trainer.GetFromJsonAsync<JsonElement>("/api/v1/training/curriculum");

        var items = curriculum.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(TrainingCurriculum.Default().Modules.Count, items.Count);
        var safeguarding = items.Single(i => i.GetProperty("code").GetString() == "SAFE-01");
        Assert.Equal("Safeguarding, risk and boundaries", safeguarding.GetProperty("title").GetString());
        Assert.Equal(["volunteer", "apprentice"], safeguarding.GetProperty("requiredFor").EnumerateArray().Select(e => e.GetString()!).ToArray());
        Assert.Equal(80, safeguarding.GetProperty("passMark").GetInt32());
        Assert.Equal(JsonValueKind.Null, items.Single(i => i.GetProperty("code").GetString() == "PRAC-01").GetProperty("passMark").ValueKind);
    }

    [Fact]
    public async Task Only_trainers_read_the_curriculum()
    {
        var (analyst, _, _) = await service.ClientFor("analyst");
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.GetAsync("/api/v1/training/curriculum")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await service.ClientWithKey(null).GetAsync("/api/v1/training/curriculum")).StatusCode);
    }
}
