using System.Collections;
using System.Globalization;
using System.Resources;
using CardMall.Application.Localization;
using CardMall.Web.Localization;
using Microsoft.AspNetCore.Http;

namespace CardMall.UnitTests;

public sealed class LocalizationTests
{
    public static TheoryData<string> ResourceSets => new()
    {
        "CardMall.Web.Localization.SharedResource",
        "CardMall.Application.Resources.Messages",
    };

    [Theory]
    [MemberData(nameof(ResourceSets))]
    public void Every_text_exists_in_both_Chinese_and_English_and_none_is_empty(string baseName)
    {
        var assembly = baseName.StartsWith("CardMall.Web", StringComparison.Ordinal) ? typeof(SharedResource).Assembly : typeof(AppText).Assembly;
        var manager = new ResourceManager(baseName, assembly);

        var chinese = Entries(manager, CultureInfo.InvariantCulture);
        var english = Entries(manager, new CultureInfo("en"));

        Assert.NotEmpty(chinese);
        Assert.Equal(chinese.Keys.Order(StringComparer.Ordinal), english.Keys.Order(StringComparer.Ordinal));
        Assert.All(chinese.Concat(english), e => Assert.False(string.IsNullOrWhiteSpace(e.Value), $"{e.Key} is empty"));
        // The Chinese set really is Chinese: most texts contain CJK characters.
        Assert.True(chinese.Values.Count(v => v.Any(c => c is >= '\u4e00' and <= '\u9fff')) > chinese.Count / 2);
    }

    [Fact]
    public void Use_case_messages_follow_the_UI_culture()
    {
        var before = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = new CultureInfo("en-US");
            Assert.Equal("The two passwords do not match.", AppText.Get("Account.PasswordsDiffer"));
            CultureInfo.CurrentUICulture = new CultureInfo("zh-CN");
            Assert.Equal("两次输入的密码不一致。", AppText.Get("Account.PasswordsDiffer"));
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    [Theory]
    [InlineData("en-GB,en;q=0.9", "en-US")]
    [InlineData("zh-TW,zh;q=0.9,en;q=0.8", "zh-CN")]
    [InlineData("de-DE,en;q=0.7,zh-CN;q=0.9", "zh-CN")]
    [InlineData("fr-FR", null)]
    [InlineData("", null)]
    public async Task The_browser_language_picks_Chinese_or_English_by_preference(string header, string? expected)
    {
        var context = new DefaultHttpContext();
        context.Request.Headers.AcceptLanguage = header;

        var result = await new BrowserLanguageCultureProvider().DetermineProviderCultureResult(context);

        Assert.Equal(expected, result?.UICultures.Single().Value);
    }

    private static Dictionary<string, string> Entries(ResourceManager manager, CultureInfo culture)
    {
        using var set = manager.GetResourceSet(culture, createIfNotExists: true, tryParents: false)
            ?? throw new InvalidOperationException($"no resources for {culture}");
        return set.Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "");
    }
}
