using System.Globalization;

namespace CardMall.Application.Localization;

/// <summary>
/// Which of a bilingual text's two languages the visitor reads (product names, articles, categories):
/// English for any English UI culture, Simplified Chinese otherwise.
/// </summary>
public static class VisitorLanguage
{
    public static bool IsEnglish => CultureInfo.CurrentUICulture.Name.StartsWith("en", StringComparison.OrdinalIgnoreCase);
}
