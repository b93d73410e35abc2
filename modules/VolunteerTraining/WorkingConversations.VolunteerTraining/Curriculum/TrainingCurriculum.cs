using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace WorkingConversations.VolunteerTraining.Curriculum;

/// <summary>A module of the curriculum. <c>RequiredFor</c> names programmes ("volunteer", "apprentice") or a level ("senior-practitioner").</summary>
internal sealed record CurriculumModule(string Code, string Title, string[] RequiredFor, int? PassMark);

/// <summary>The curriculum the service trains against: data, not code, so the programme team can change it.</summary>
internal sealed class TrainingCurriculum
{
    /// <summary>What a module may be required for.</summary>
    public static readonly string[] Targets = [Programmes.Volunteer, Programmes.Apprentice, Levels.SeniorPractitioner];

    private readonly Dictionary<string, CurriculumModule> _byCode;

    public TrainingCurriculum(IReadOnlyList<CurriculumModule> modules)
    {
        var problems = Check(modules);
        if (problems.Count > 0) throw new InvalidOperationException("The training curriculum is not valid: " + string.Join(" ", problems));
        Modules = modules;
        _byCode = modules.ToDictionary(m => m.Code, StringComparer.OrdinalIgnoreCase);
    }

    public IReadOnlyList<CurriculumModule> Modules { get; }

    /// <summary>Codes are matched without regard to case; the curriculum's own spelling is the canonical one.</summary>
    public CurriculumModule? Find(string code) => _byCode.GetValueOrDefault(code);

    public IEnumerable<CurriculumModule> RequiredFor(string target) => Modules.Where(m => m.RequiredFor.Contains(target, StringComparer.Ordinal));

    public static IReadOnlyList<string> Check(IReadOnlyList<CurriculumModule> modules)
    {
        var problems = new List<string>();
        if (modules.Count == 0) problems.Add("It has no modules.");
        foreach (var (m, i) in modules.Select((m, i) => (m, i)))
        {
            if (string.IsNullOrWhiteSpace(m.Code)) problems.Add($"Module {i} has no code.");
            if (string.IsNullOrWhiteSpace(m.Title)) problems.Add($"Module {m.Code} has no title.");
            if (m.RequiredFor.Length == 0) problems.Add($"Module {m.Code} is required for nothing.");
            foreach (var target in m.RequiredFor.Where(t => !Targets.Contains(t, StringComparer.Ordinal)))
                problems.Add($"Module {m.Code} is required for '{target}', which is not one of {string.Join(", ", Targets)}.");
            if (m.PassMark is < 0 or > 100) problems.Add($"Module {m.Code} has a pass mark of {m.PassMark}, outside 0 to 100.");
        }

        foreach (var duplicate in modules.GroupBy(m => m.Code, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            problems.Add($"The code {duplicate.Key} is used by more than one module.");
        return problems;
    }

    public static TrainingCurriculum FromJson(Stream json)
    {
        var file = JsonSerializer.Deserialize<CurriculumFile>(json, JsonOptions)
                   ?? throw new InvalidOperationException("The training curriculum file is empty.");
        return new TrainingCurriculum([.. (file.Modules ?? []).Select(m => new CurriculumModule(m.Code ?? "", m.Title ?? "", m.RequiredFor ?? [], m.PassMark))]);
    }

    /// <summary>The curriculum shipped with the module (Curriculum/curriculum.json, embedded).</summary>
    public static TrainingCurriculum Default()
    {
        using var stream = typeof(TrainingCurriculum).Assembly.GetManifestResourceStream(ResourceName)
                           ?? throw new InvalidOperationException($"The embedded curriculum {ResourceName} is missing.");
        return FromJson(stream);
    }

    /// <summary>
    /// Configuration wins over the shipped file: <c>VolunteerTraining:Curriculum:Modules</c> (a list, as in the file) replaces
    /// the whole curriculum; otherwise <c>VolunteerTraining:Curriculum:File</c> names a JSON file of the same shape.
    /// </summary>
    public static TrainingCurriculum From(IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        var modules = section.GetSection("Modules").GetChildren().ToList();
        if (modules.Count > 0)
        {
            return new TrainingCurriculum([.. modules.Select(m => new CurriculumModule(
                m["code"] ?? "",
                m["title"] ?? "",
                [.. m.GetSection("requiredFor").GetChildren().Select(t => t.Value ?? "")],
                int.TryParse(m["passMark"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var mark) ? mark : null))]);
        }

        if (section["File"] is { Length: > 0 } path)
        {
            using var file = File.OpenRead(path);
            return FromJson(file);
        }

        return Default();
    }

    public const string SectionName = "VolunteerTraining:Curriculum";
    private const string ResourceName = "WorkingConversations.VolunteerTraining.Curriculum.curriculum.json";
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { AllowTrailingCommas = true, ReadCommentHandling = JsonCommentHandling.Skip };

    private sealed record CurriculumFile(List<ModuleEntry>? Modules);

    private sealed record ModuleEntry(string? Code, string? Title, string[]? RequiredFor, int? PassMark);
}

/// <summary>Reads the curriculum once, when first asked, so that every configuration source is in place by then.</summary>
internal sealed class CurriculumSource(IConfiguration configuration)
{
    private readonly Lazy<TrainingCurriculum> _curriculum = new(() => TrainingCurriculum.From(configuration));

    public TrainingCurriculum Current => _curriculum.Value;
}
