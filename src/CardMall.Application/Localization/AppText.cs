using System.Globalization;
using System.Resources;

namespace CardMall.Application.Localization;

/// <summary>
/// Messages that use cases give users (validation and rule messages), in the request's UI culture:
/// Simplified Chinese by default (Resources/Messages.resx), English in Messages.en.resx.
/// </summary>
public static class AppText
{
    private static readonly ResourceManager Resources =
        new("CardMall.Application.Resources.Messages", typeof(AppText).Assembly);

    public static string Get(string key) =>
        Resources.GetString(key, CultureInfo.CurrentUICulture) ?? key;

    public static string Get(string key, CultureInfo culture) => Resources.GetString(key, culture) ?? key;

    public static string Format(string key, params object[] args) =>
        string.Format(CultureInfo.CurrentUICulture, Get(key), args);

    /// <summary>Every key of the neutral (Chinese) resource set, for the test that both languages match.</summary>
    public static IReadOnlyCollection<string> Keys(CultureInfo culture)
    {
        using var set = Resources.GetResourceSet(culture, createIfNotExists: true, tryParents: false);
        return set is null ? [] : set.Cast<System.Collections.DictionaryEntry>().Select(e => (string)e.Key).ToList();
    }
}
