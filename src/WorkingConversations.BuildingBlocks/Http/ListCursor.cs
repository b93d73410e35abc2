using System.Globalization;
using System.Text;

namespace WorkingConversations.BuildingBlocks.Http;

/// <summary>
/// The opaque <c>cursor</c> of every list (api.md, Lists). Where the list's order allows, it is the sort key of the last
/// item given (keyset: a page never repeats or skips an item when others are added before it); otherwise the position
/// of the next item. Either way it is base64url text that callers pass back as it is, so its inside can change.
/// </summary>
public static class ListCursor
{
    private const string OffsetKind = "o:";
    private const string KeyKind = "k:";
    private const int MaxLength = 200;
    public const string NotOurs = "is not a cursor this list gave out.";

    public static string ForOffset(int offset) => Encode(OffsetKind + offset.ToString(CultureInfo.InvariantCulture));

    public static string After(long key) => Keys(key.ToString(CultureInfo.InvariantCulture));

    public static string After(DateTimeOffset at, long id) => Keys(Ticks(at), id.ToString(CultureInfo.InvariantCulture));

    public static string After(DateTimeOffset at, Guid id) => Keys(Ticks(at), id.ToString("N"));

    /// <summary>The position a cursor of <see cref="ForOffset"/> names; 0 without one; a foreign cursor is named in <paramref name="v"/>.</summary>
    public static int ReadOffset(Validation v, string? cursor)
    {
        if (cursor is null) return 0;
        if (Offset(cursor) is { } offset) return offset;
        v.Add("cursor", NotOurs);
        return 0;
    }

    /// <summary>Pure: the position a cursor of <see cref="ForOffset"/> names, or null for one this service did not give out.</summary>
    public static int? Offset(string cursor) =>
        Decode(cursor) is { } text && text.StartsWith(OffsetKind, StringComparison.Ordinal) &&
        int.TryParse(text.AsSpan(OffsetKind.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
            ? offset
            : null;

    public static long? ReadLong(Validation v, string? cursor) => Read(v, cursor, Long);

    public static (DateTimeOffset At, long Id)? ReadTimeAndLong(Validation v, string? cursor) => Read(v, cursor, TimeAndLong);

    public static (DateTimeOffset At, Guid Id)? ReadTimeAndGuid(Validation v, string? cursor) => Read(v, cursor, TimeAndGuid);

    /// <summary>Pure: the key a cursor of <see cref="After(long)"/> names, or null for one this service did not give out.</summary>
    public static long? Long(string cursor) =>
        Keys(cursor, 1) is [var key] && long.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    public static (DateTimeOffset At, long Id)? TimeAndLong(string cursor) =>
        Keys(cursor, 2) is [var at, var id] && Time(at) is { } time && long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? (time, n)
            : null;

    public static (DateTimeOffset At, Guid Id)? TimeAndGuid(string cursor) =>
        Keys(cursor, 2) is [var at, var id] && Time(at) is { } time && Guid.TryParseExact(id, "N", out var guid) ? (time, guid) : null;

    private static T? Read<T>(Validation v, string? cursor, Func<string, T?> parse) where T : struct
    {
        if (cursor is null) return null;
        if (parse(cursor) is { } value) return value;
        v.Add("cursor", NotOurs);
        return null;
    }

    private static string[]? Keys(string cursor, int count) =>
        Decode(cursor) is { } text && text.StartsWith(KeyKind, StringComparison.Ordinal) && text[KeyKind.Length..].Split('|') is { } keys && keys.Length == count
            ? keys
            : null;

    private static string Keys(params string[] keys) => Encode(KeyKind + string.Join('|', keys));

    private static string Ticks(DateTimeOffset at) => at.UtcTicks.ToString(CultureInfo.InvariantCulture);

    private static DateTimeOffset? Time(string ticks) =>
        long.TryParse(ticks, NumberStyles.None, CultureInfo.InvariantCulture, out var t) && t <= DateTimeOffset.MaxValue.UtcTicks
            ? new DateTimeOffset(t, TimeSpan.Zero)
            : null;

    private static string Encode(string text) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string? Decode(string cursor)
    {
        if (cursor.Length is 0 or > MaxLength) return null;
        var base64 = cursor.Replace('-', '+').Replace('_', '/');
        base64 = base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '=');
        var bytes = new byte[base64.Length];
        return Convert.TryFromBase64String(base64, bytes, out var written) ? Encoding.UTF8.GetString(bytes, 0, written) : null;
    }
}
