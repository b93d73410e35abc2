using System.Globalization;

namespace WorkingConversations.BuildingBlocks.Http;

/// <summary>The <c>limit</c> of a list (api.md: default 50, at most 500), read from the query string so a bad one is named.</summary>
public static class ListLimit
{
    public const int Default = 50;
    public const int Max = 500;

    public static int Read(Validation v, string? limit)
    {
        if (limit is null) return Default;
        if (int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= Max) return n;
        v.Add("limit", $"must be a whole number from 1 to {Max}.");
        return Default;
    }
}
