using System.Text.RegularExpressions;
using WorkingConversations.BuildingBlocks.Writing;

namespace WorkingConversations.BuildingBlocks;

/// <summary>Collects every failing field of a request, so that one problem response lists them all at once.</summary>
public sealed partial class Validation
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool IsValid => _errors.Count == 0;

    public IReadOnlyDictionary<string, string[]> Errors => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    public Validation Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(message);
        return this;
    }

    /// <summary>True when the value is present and within bounds; otherwise records why not.</summary>
    public bool RequiredText(string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, "is required and must not be empty.");
            return false;
        }

        return OptionalText(field, value, maxLength);
    }

    public bool OptionalText(string field, string? value, int maxLength)
    {
        if (value is null) return true;
        if (value.Length > maxLength)
        {
            Add(field, $"must be at most {maxLength} characters (it has {value.Length}).");
            return false;
        }

        if (value.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
        {
            Add(field, "must not contain control characters.");
            return false;
        }

        return true;
    }

    public bool Required<T>(string field, T? value) where T : struct
    {
        if (value is null) Add(field, "is required.");
        return value is not null;
    }

    public bool Required(string field, object? value)
    {
        if (value is null) Add(field, "is required.");
        return value is not null;
    }

    public bool OneOf(string field, string? value, IReadOnlyCollection<string> allowed, bool required = true)
    {
        if (value is null)
        {
            if (required) Add(field, $"is required: one of {string.Join(", ", allowed)}.");
            return !required;
        }

        if (!allowed.Contains(value))
        {
            Add(field, $"must be one of {string.Join(", ", allowed)}.");
            return false;
        }

        return true;
    }

    public bool InRange(string field, int? value, int min, int max, bool required = true)
    {
        if (value is null)
        {
            if (required) Add(field, $"is required: a whole number from {min} to {max}.");
            return !required;
        }

        if (value < min || value > max)
        {
            Add(field, $"must be a whole number from {min} to {max}.");
            return false;
        }

        return true;
    }

    public bool Email(string field, string? value, bool required = false)
    {
        if (value is null) return !required && true;
        if (!OptionalText(field, value, 254)) return false;
        if (!EmailPattern().IsMatch(value))
        {
            Add(field, "must be an email address such as name@example.org.");
            return false;
        }

        return true;
    }

    /// <summary>The refusal naming every failing field; valid input has none.</summary>
    public Refusal ToRefusal() => Refusal.Invalid(Errors);

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();
}
