namespace CardMall.Application.Abstractions;

/// <summary>Text searched for inside a column with LIKE: its own %, _ and \ are taken literally (PostgreSQL's default escape is \).</summary>
public static class LikePattern
{
    public static string Containing(string text) =>
        "%" + text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
}
