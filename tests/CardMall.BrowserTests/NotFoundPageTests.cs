using CardMall.BrowserTests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CardMall.BrowserTests;

/// <summary>A mistyped address gets the shop's own page, not a blank browser error.</summary>
[Collection(BrowserCollection.Name)]
public sealed class NotFoundPageTests(BrowserShop shop) : BrowserTest(shop)
{
    [Fact]
    public Task An_unknown_page_shows_the_friendly_not_found_page() =>
        InBrowserAsync(ShopTexts.Chinese.Locale, async page =>
        {
            var texts = ShopTexts.Chinese;

            var response = await page.GotoAsync("/no-such-page");

            Assert.Equal(404, response?.Status);
            await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", texts.HtmlLang);
            await Expect(page.Heading(texts.NotFoundTitle)).ToBeVisibleAsync();
            var backHome = page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = texts.BackHome, Exact = true });
            await Expect(backHome).ToBeVisibleAsync();
            await Expect(backHome).ToHaveAttributeAsync("href", "/");
        });
}
