namespace WorkingConversations.BuildingBlocks;

/// <summary>The list shape of api.md: <c>{ items, nextCursor }</c>; the cursor is opaque to callers.</summary>
public sealed record ListPage<T>(IReadOnlyList<T> Items, string? NextCursor);
