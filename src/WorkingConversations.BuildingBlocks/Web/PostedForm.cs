using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace WorkingConversations.BuildingBlocks.Web;

/// <summary>
/// What a person typed into a form, exactly as typed, so that a refused form shows it again; and the typed values the
/// API's request records take, read with the rules a person can fix (a date that does not exist, a number with letters).
/// A value that cannot be read is named in <see cref="Problems"/> under the API's field name and left null, so the API's
/// own validation does not name it a second time as missing.
/// </summary>
public sealed class PostedForm
{
    /// <summary>The hidden field a form carries the ETag (the stream version) it was drawn from in.</summary>
    public const string ETagField = "etag";

    private readonly Dictionary<string, string> _values;

    public PostedForm(IEnumerable<KeyValuePair<string, string>> values) =>
        _values = values.ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);

    public static PostedForm Empty { get; } = new([]);

    public static async Task<PostedForm> ReadAsync(HttpRequest request)
    {
        var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        return new PostedForm(form.Where(f => f.Key != "__RequestVerificationToken")
            .Select(f => new KeyValuePair<string, string>(f.Key, string.Join("\n", f.Value.Where(v => v is not null)))));
    }

    /// <summary>Errors of values that could not be read, keyed like the API's fields.</summary>
    public Validation Problems { get; } = new();

    public string? this[string name] => _values.GetValueOrDefault(name);

    public IReadOnlyDictionary<string, string> Values => _values;

    /// <summary>The value, trimmed; null when absent or blank.</summary>
    public string? Text(string name) => _values.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;

    /// <summary>The If-Match of the ETag the form was drawn from; null when it carries none.</summary>
    public string? IfMatch => long.TryParse(Text(ETagField), NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0
        ? Journey.JourneyConcurrency.ETagFor(v)
        : Text(ETagField) is null ? null : "\"stale\"";

    public int? Number(string name, string field)
    {
        var text = Text(name);
        if (text is null) return null;
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)) return n;
        Problems.Add(field, "must be a whole number, like 45.");
        return null;
    }

    public decimal? Decimal(string name, string field)
    {
        var text = Text(name);
        if (text is null) return null;
        if (decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n)) return n;
        Problems.Add(field, "must be a number, like 2 or 1.5.");
        return null;
    }

    /// <summary>The boxes ticked of a set of checkboxes, in the order they were posted; null when none was ticked.</summary>
    public string[]? Ticked(string name) =>
        _values.TryGetValue(name, out var v) && v.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is { Length: > 0 } ticked
            ? ticked
            : null;

    /// <summary>"yes" or "no" radios; null when neither was chosen.</summary>
    public bool? YesNo(string name) => Text(name) switch { "yes" => true, "no" => false, _ => null };

    /// <summary>The three boxes of an NHS.UK date input (<c>{name}-day</c>, <c>-month</c>, <c>-year</c>).</summary>
    public DateOnly? Date(string name, string field)
    {
        var (day, month, year) = (Text(name + "-day"), Text(name + "-month"), Text(name + "-year"));
        if (day is null && month is null && year is null) return null;
        if (int.TryParse(day, NumberStyles.None, CultureInfo.InvariantCulture, out var d) &&
            int.TryParse(month, NumberStyles.None, CultureInfo.InvariantCulture, out var m) &&
            int.TryParse(year, NumberStyles.None, CultureInfo.InvariantCulture, out var y) &&
            y is >= 1000 and <= 9999 && m is >= 1 and <= 12 && d >= 1 && d <= DateTime.DaysInMonth(y, m))
        {
            return new DateOnly(y, m, d);
        }

        Problems.Add(field, "must be a real date, with the day, month and year as numbers, like 27 3 2026.");
        return null;
    }

    /// <summary>A time of day typed as "14:30", "2:30pm" or "9am".</summary>
    public TimeOnly? Time(string name, string field)
    {
        var text = Text(name);
        if (text is null) return null;
        string[] formats = ["H:mm", "HH:mm", "h:mmtt", "htt", "h.mmtt", "H.mm"];
        if (TimeOnly.TryParseExact(text.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant(), formats, CultureInfo.InvariantCulture,
                DateTimeStyles.None, out var t))
        {
            return t;
        }

        Problems.Add(field, "must be a time of day, like 14:30 or 2:30pm.");
        return null;
    }

    /// <summary>Lines of a text area, each trimmed, blank lines left out.</summary>
    public string[] Lines(string name) =>
        (this[name] ?? "").Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();

    /// <summary>The form's own problems and the API's validation of the request made from it, as one.</summary>
    public Validation With(Validation api)
    {
        var merged = new Validation();
        foreach (var (field, messages) in Problems.Errors)
            foreach (var m in messages) merged.Add(field, m);
        foreach (var (field, messages) in api.Errors)
        {
            // A value that could not be read is not also "required": the first message says what is wrong with it.
            if (Problems.Errors.ContainsKey(field)) continue;
            foreach (var m in messages) merged.Add(field, m);
        }

        return merged;
    }
}
