using WorkingConversations.BuildingBlocks.Writing;

namespace WorkingConversations.BuildingBlocks.Web;

/// <summary>One line of the error summary, and the field it takes a person to.</summary>
public sealed record FormError(string Field, string Href, string Text);

/// <summary>
/// What the NHS.UK error summary of a form lists, and the message beside each field. Made from the same
/// <see cref="Refusal"/> the API turns into an RFC 9457 problem (<see cref="PageRefusals"/>), so a page names the same
/// fields and rules the API does.
/// </summary>
public sealed class FormErrors
{
    private readonly List<FormError> _items = [];

    public static FormErrors None => new();

    public IReadOnlyList<FormError> Items => _items;

    public bool Any => _items.Count > 0;

    /// <summary>The form was drawn from a version of the record that is no longer the latest.</summary>
    public bool Stale { get; init; }

    public FormErrors Add(string field, string href, string text)
    {
        _items.Add(new FormError(field, href, text));
        return this;
    }

    /// <summary>The message shown beside a field, or null when it has none.</summary>
    public string? For(string field)
    {
        var texts = _items.Where(i => string.Equals(i.Field, field, StringComparison.Ordinal)).Select(i => i.Text).ToList();
        return texts.Count == 0 ? null : string.Join(" ", texts);
    }

    /// <summary>The messages of every field whose name starts with <paramref name="prefix"/> (a list's items: <c>signs[0]</c>).</summary>
    public string? ForAll(string prefix)
    {
        var texts = _items.Where(i => i.Field.StartsWith(prefix, StringComparison.Ordinal)).Select(i => i.Text).ToList();
        return texts.Count == 0 ? null : string.Join(" ", texts);
    }
}

/// <summary>A form field as a page shows it: the label a person reads, and the element the error summary links to.</summary>
public sealed record FieldLabel(string Label, string? Anchor = null);

/// <summary>
/// The one place a <see cref="Refusal"/> becomes what a page shows (beside <c>Http.Refusals</c>, the one place it becomes
/// an RFC 9457 problem): each field of a validation refusal named with its label and its rule; the fields of an
/// unprocessable one (unmet requirements) each as a line; a stale ETag as the news that someone else changed the record;
/// anything else as its sentence. A refusal that the record does not exist is the page's 404, not a form error.
/// </summary>
public static class PageRefusals
{
    public const string FormAnchor = "#form";

    public static bool IsNotFound(Refusal refusal) => refusal.Type == ProblemTypes.NotFound;

    public static FormErrors ToErrors(this Refusal refusal, IReadOnlyDictionary<string, FieldLabel> labels)
    {
        if (refusal.Type == ProblemTypes.PreconditionFailed)
        {
            return new FormErrors { Stale = true }.Add("", FormAnchor,
                "Someone else changed this record after you opened this page, so nothing was saved. The page now shows the record as it is: " +
                "check it, then send your changes again.");
        }

        var errors = new FormErrors();
        if (refusal.Type is ProblemTypes.Validation or ProblemTypes.MalformedRequest)
        {
            foreach (var (field, messages) in refusal.Errors)
            {
                var label = LabelOf(field, labels);
                foreach (var message in messages) errors.Add(field, label.Anchor ?? "#" + field, $"{label.Label} {message}");
            }

            return errors.Any ? errors : errors.Add("", FormAnchor, refusal.Detail);
        }

        if (refusal.Type == ProblemTypes.Unprocessable && refusal.Errors.Count > 0)
        {
            foreach (var (field, messages) in refusal.Errors)
                foreach (var message in messages) errors.Add(field, labels.TryGetValue(field, out var l) ? l.Anchor ?? "#" + field : FormAnchor, message);
            return errors;
        }

        return errors.Add("", FormAnchor, refusal.Detail);
    }

    /// <summary>A field the page did not name (an item of a list: <c>preferredFutureSigns[2]</c>) takes its list's label.</summary>
    private static FieldLabel LabelOf(string field, IReadOnlyDictionary<string, FieldLabel> labels)
    {
        if (labels.TryGetValue(field, out var label)) return label;
        var bracket = field.IndexOf('[', StringComparison.Ordinal);
        if (bracket > 0 && labels.TryGetValue(field[..bracket], out var list))
        {
            return list with { Label = $"{list.Label} (item {ItemNumber(field[bracket..])})" };
        }

        return new FieldLabel(char.ToUpperInvariant(field[0]) + field[1..], FormAnchor);
    }

    private static string ItemNumber(string index) =>
        int.TryParse(index.Trim('[', ']'), out var i) ? (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) : index;
}
