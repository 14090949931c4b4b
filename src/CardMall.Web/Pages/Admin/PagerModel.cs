namespace CardMall.Web.Pages.Admin;

/// <summary>A list's page links (the _Pager partial): a window around the current page, plus the first and the last.</summary>
public sealed record PagerModel(int Page, int Pages, Func<int, string> Link)
{
    public IEnumerable<int> Shown()
    {
        var shown = new SortedSet<int> { 1, Pages };
        for (var n = Math.Max(1, Page - 3); n <= Math.Min(Pages, Page + 3); n++) shown.Add(n);
        return shown;
    }
}
