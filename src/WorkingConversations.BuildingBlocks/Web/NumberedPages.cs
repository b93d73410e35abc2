using System.Globalization;

namespace WorkingConversations.BuildingBlocks.Web;

/// <summary>
/// Pure: one page of a list by its number (<c>?page=</c>), for lists a person pages through to reach an older row and
/// may bookmark at a page: which rows it holds and which page numbers the pager offers.
/// </summary>
public sealed record NumberedPages(int Current, int Size, int Total)
{
    /// <summary>The number of the last page; an empty list has one, empty, page.</summary>
    public int Last => Total == 0 ? 1 : (int)((Total + (long)Size - 1) / Size);

    public int Skip => (int)Math.Min(int.MaxValue, (Current - 1L) * Size);

    /// <summary>The position in the whole list of the page's first and last rows (1-based), or 0 and 0 past the end.</summary>
    public (int From, int To) Rows => Skip >= Total ? (0, 0) : (Skip + 1, (int)Math.Min(Total, (long)Skip + Size));

    /// <summary>
    /// The page numbers the pager shows: the first, the last, and the current with its neighbours, a gap (null) where
    /// pages are left out, as the NHS.UK numbered pagination does (1 ... 4 5 6 ... 10).
    /// </summary>
    public IReadOnlyList<int?> Shown()
    {
        var current = Math.Min(Current, Last);
        var numbers = new SortedSet<int> { 1, Last };
        for (var n = current - 1; n <= current + 1; n++)
            if (n >= 1 && n <= Last) numbers.Add(n);
        var shown = new List<int?>();
        var previous = 0;
        foreach (var n in numbers)
        {
            if (n - previous == 2) shown.Add(n - 1);
            else if (n - previous > 2) shown.Add(null);
            shown.Add(n);
            previous = n;
        }

        return shown;
    }

    /// <summary>A page number as a person or a bookmark gives it: none is the first; otherwise a whole number from 1.</summary>
    public static int? Read(string? value) =>
        string.IsNullOrWhiteSpace(value) ? 1 :
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var page) && page >= 1 ? page : null;
}
