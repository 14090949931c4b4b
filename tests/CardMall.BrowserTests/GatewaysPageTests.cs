using CardMall.BrowserTests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CardMall.BrowserTests;

/// <summary>
/// The demo admin on the payment gateways page, on a desktop and on a phone, in both languages: each gateway's
/// state and notify address, a connection test of the sandbox, and no key anywhere. Screenshots are saved to be looked at.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class GatewaysPageTests(BrowserShop shop) : BrowserTest(shop)
{
    [Fact]
    public Task The_admin_tests_a_gateway_in_Chinese() =>
        InBrowserAsync(ShopTexts.Chinese.Locale, page => GatewaysAsync(page, ShopTexts.Chinese, "沙箱支付：连接正常"));

    [Fact]
    public Task The_admin_tests_a_gateway_in_English() =>
        InBrowserAsync(ShopTexts.English.Locale, page => GatewaysAsync(page, ShopTexts.English, "Sandbox: connection works"));

    private static async Task GatewaysAsync(IPage page, ShopTexts texts, string worked)
    {
        await page.GotoAsync("/");
        await page.SignInAsync(texts, "admin@cardmall.test", ShopJourneys.DemoPassword);
        await page.OpenFromAccountMenuAsync(texts.StaffArea);
        await page.GetByTestId("nav-gateways").ClickAsync();

        await Expect(page.Locator("[data-testid=gateway]")).ToHaveCountAsync(3);
        await Expect(page.Locator("[data-code=sandbox] [data-testid=gateway-notify-url]")).ToContainTextAsync("/payments/sandbox/notify");
        await page.Locator("[data-code=sandbox] form[data-testid=gateway-test-form] button").ClickAsync();
        await Expect(page.GetByTestId("gateway-test-result")).ToContainTextAsync(worked);
        await page.SaveScreenshotAsync($"Gateways-desktop-{texts.Locale}");

        await page.SetViewportSizeAsync(390, 844);
        await page.EvaluateAsync("window.scrollTo(0, 0)");
        await page.SaveScreenshotAsync($"Gateways-phone-{texts.Locale}");
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth + 1"), "the gateways page is wider than a phone");
    }
}
