using System.Collections;

namespace WorkingConversations.BuildingBlocks.Hosting;

/// <summary>
/// A logging scope of named values: the JSON console writes each as a property of the line's scope, and its text reads
/// "CorrelationId:abc" rather than a type name.
/// </summary>
public sealed class LogScope(params KeyValuePair<string, object>[] values) : IReadOnlyList<KeyValuePair<string, object>>
{
    public static LogScope Of(string name, object value) => new(new KeyValuePair<string, object>(name, value));

    public KeyValuePair<string, object> this[int index] => values[index];

    public int Count => values.Length;

    public IEnumerator<KeyValuePair<string, object>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object>>)values).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => string.Join(", ", values.Select(v => $"{v.Key}:{v.Value}"));
}
