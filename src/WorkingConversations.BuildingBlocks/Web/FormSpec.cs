using Microsoft.AspNetCore.Components;

namespace WorkingConversations.BuildingBlocks.Web;

public enum FieldKind
{
    Text,
    Number,
    TextArea,
    Radios,
    InlineRadios,
    Date,
    Time,
    Select,
    Checkboxes,
}

/// <summary>
/// One field of a form: its name (the API's field name, so that a refusal's errors land on it), what a person reads, and
/// how it is typed. A date posts as <c>{Name}-day</c>, <c>-month</c>, <c>-year</c>.
/// </summary>
public sealed record Field(string Name, string Label, FieldKind Kind = FieldKind.Text, string? Hint = null, IReadOnlyList<Choice>? Options = null, int? Width = null)
{
    public string Anchor => Kind == FieldKind.Date ? $"#{Name}-day" : "#" + Name;
}

/// <summary>A form page: where it posts, its fields, and what it says around them.</summary>
public sealed record FormSpec(string Title, string Action, IReadOnlyList<Field> Fields, string Submit)
{
    public string? Caption { get; init; }
    public string? Intro { get; init; }
    public string? BackHref { get; init; }
    public string BackText { get; init; } = "Back";
    public bool SubmitIsWarning { get; init; }

    /// <summary>The labels a refusal's fields are named with on this page.</summary>
    public IReadOnlyDictionary<string, FieldLabel> Labels => Fields.ToDictionary(f => f.Name, f => new FieldLabel(f.Label, f.Anchor), StringComparer.Ordinal);
}

/// <summary>Shows a form page: fresh, or again with what was typed and why it was refused.</summary>
public static class FormPages
{
    public static Microsoft.AspNetCore.Http.IResult Show(FormSpec spec, PostedForm? form = null, FormErrors? errors = null, long? version = null,
        RenderFragment? above = null, int status = 200) =>
        PageResult.Show<Components.FormPage>(new Dictionary<string, object?>
        {
            ["Spec"] = spec, ["Form"] = form ?? PostedForm.Empty, ["Errors"] = errors, ["Version"] = version, ["Above"] = above,
        }, status);

    /// <summary>The form drawn again after a refusal: 409 when the record changed under it, 400 otherwise.</summary>
    public static Microsoft.AspNetCore.Http.IResult Refused(FormSpec spec, PostedForm form, Writing.Refusal refusal, long? version, RenderFragment? above)
    {
        var errors = refusal.ToErrors(spec.Labels);
        return Show(spec, form, errors, version, above, errors.Stale || refusal.Type == ProblemTypes.Conflict ? 409 : refusal.Type == ProblemTypes.Unprocessable ? 422 : 400);
    }
}
