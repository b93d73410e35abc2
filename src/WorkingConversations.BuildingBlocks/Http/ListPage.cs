using WorkingConversations.BuildingBlocks.Http;

namespace WorkingConversations.BuildingBlocks;

/// <summary>The list shape of api.md: <c>{ items, nextCursor }</c>; the cursor is opaque to callers.</summary>
public sealed record ListPage<T>(IReadOnlyList<T> Items, string? NextCursor);

public static class ListPage
{
    /// <summary>
    /// A page of a list paged by position: <paramref name="fetched"/> holds up to one item more than the page, which tells
    /// whether another page follows.
    /// </summary>
    public static ListPage<T> At<T>(IReadOnlyList<T> fetched, int offset, int size) =>
        new([.. fetched.Take(size)], fetched.Count > size ? ListCursor.ForOffset(offset + size) : null);
}
