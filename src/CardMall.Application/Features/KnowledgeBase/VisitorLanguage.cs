using System.Globalization;

namespace CardMall.Application.Features.KnowledgeBase;

/// <summary>Which of an article's two languages a visitor reads: English for any English UI culture, Chinese otherwise.</summary>
internal static class VisitorLanguage
{
    public static bool IsEnglish => CultureInfo.CurrentUICulture.Name.StartsWith("en", StringComparison.OrdinalIgnoreCase);
}
