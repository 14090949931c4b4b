using CardMall.IntegrationTests.Support;
using CardMall.TestSupport;

namespace CardMall.IntegrationTests;

/// <summary>Simplified Chinese by default, English for English browsers, and the visitor's own choice above both.</summary>
public sealed class LanguageTests(ShopFixture shop) : IClassFixture<ShopFixture>
{
    [Theory]
    [InlineData(null, "zh-CN", "正版卡密")]
    [InlineData("zh-CN,zh;q=0.9", "zh-CN", "正版卡密")]
    [InlineData("en-GB,en;q=0.9", "en-US", "Genuine keys")]
    [InlineData("fr-FR,fr;q=0.9,en;q=0.5", "en-US", "Genuine keys")]
    [InlineData("ja-JP", "zh-CN", "正版卡密")]
    public async Task The_first_visit_follows_the_browser_language(string? acceptLanguage, string expectedLang, string expectedText)
    {
        using var web = new WebSession(shop.Factory, acceptLanguage);

        var home = await web.GetAsync("/");

        Assert.Equal(expectedLang, home.Document.DocumentElement.GetAttribute("lang"));
        Assert.Contains(expectedText, home.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_language_switch_wins_over_the_browser_and_is_remembered()
    {
        using var web = new WebSession(shop.Factory, "zh-CN");

        var switched = await web.SubmitAsync("/Account/Login", "form[data-testid=language-switch]", new Dictionary<string, string>(), "culture", "en-US");
        Assert.Equal("/Account/Login", switched.Location);

        var login = await web.GetAsync("/Account/Login");
        Assert.Equal("en-US", login.Document.DocumentElement.GetAttribute("lang"));
        Assert.Contains("Sign in", login.Document.QuerySelector("h1")?.TextContent ?? "", StringComparison.Ordinal);
        var home = await web.GetAsync("/");
        Assert.Contains("Genuine keys", home.Html, StringComparison.Ordinal);
    }
}
