using CardMall.BrowserTests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CardMall.BrowserTests;

/// <summary>The language switch in the navigation bar overrides the browser's language, and sticks.</summary>
[Collection(BrowserCollection.Name)]
public sealed class LanguageSwitchTests(BrowserShop shop) : BrowserTest(shop)
{
    [Fact]
    public Task A_Chinese_browser_switches_the_shop_to_English_and_it_stays_English() =>
        InBrowserAsync(ShopTexts.Chinese.Locale, async page =>
        {
            await page.GotoAsync("/");
            await Expect(page.Heading(ShopTexts.Chinese.HeroTitle)).ToBeVisibleAsync();

            await page.GetByTestId("language-switch")
                .GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "English", Exact = true })
                .ClickAsync();

            await Expect(page.Heading(ShopTexts.English.HeroTitle)).ToBeVisibleAsync();
            await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", ShopTexts.English.HtmlLang);

            // The browser still asks for Chinese; the remembered choice must win on the next page.
            await page.GetByTestId("register-link").ClickAsync();
            await Expect(page.Heading(ShopTexts.English.RegisterHeading)).ToBeVisibleAsync();
            await Expect(page.GetByLabel(ShopTexts.English.Email, new PageGetByLabelOptions { Exact = true })).ToBeVisibleAsync();
        });
}
