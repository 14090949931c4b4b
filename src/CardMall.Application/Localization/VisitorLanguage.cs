using System.Globalization;

namespace CardMall.Application.Localization;

/// <summary>
/// Which of a bilingual text's two languages the visitor reads (product names, articles, categories):
/// English for any English UI culture, Simplified Chinese otherwise.
/// </summary>
public static class VisitorLanguage
{
    public static readonly CultureInfo Chinese = CultureInfo.GetCultureInfo("zh-CN");
    public static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-US");

    /// <summary>The languages the shop is written in.</summary>
    public static readonly IReadOnlyList<string> Supported = [Chinese.Name, English.Name];

    public static bool IsEnglish => CultureInfo.CurrentUICulture.Name.StartsWith("en", StringComparison.OrdinalIgnoreCase);

    /// <summary>The language to word something in for a user who is not on the page (their remembered PreferredCulture).</summary>
    public static CultureInfo Of(string? preferredCulture) =>
        preferredCulture is not null && preferredCulture.StartsWith("en", StringComparison.OrdinalIgnoreCase) ? English : Chinese;
}
