using System.Globalization;
using WorkingConversations.BuildingBlocks;

namespace WorkingConversations.Conversations;

/// <summary>Offset paging behind an opaque cursor (api.md, Lists).</summary>
public static class Paging
{
    public const int DefaultLimit = 50;

    public static int ReadCursor(Validation v, string? cursor)
    {
        if (cursor is null) return 0;
        if (int.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var offset)) return offset;
        v.Add("cursor", "is not a cursor this list gave out.");
        return 0;
    }

    /// <summary><paramref name="fetched"/> holds up to one item more than the page, which tells whether another page follows.</summary>
    public static ListPage<T> Page<T>(IReadOnlyList<T> fetched, int offset, int size) =>
        new(fetched.Take(size).ToList(), fetched.Count > size ? (offset + size).ToString(CultureInfo.InvariantCulture) : null);
}
