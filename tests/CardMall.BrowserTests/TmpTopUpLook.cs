using CardMall.BrowserTests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CardMall.BrowserTests;

[Collection(BrowserCollection.Name)]
public sealed class TmpTopUpLook(BrowserShop shop) : BrowserTest(shop)
{
    [Fact]
    public Task Look_pending() =>
        InBrowserAsync("zh-CN", async page =>
        {
            await page.GotoAsync("/");
            await page.SignInAsync(ShopTexts.Chinese, "buyer@cardmall.test", ShopJourneys.DemoPassword);
            await page.GotoAsync("/Wallet");
            await page.GetByLabel("其他金额", new() { Exact = true }).FillAsync("0.001");
            await page.GetByRole(AriaRole.Button, new() { Name = "去支付" }).ClickAsync();
            await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserShop.ScreenshotFolder, "tmp_invalid.png"), FullPage = true });
            await page.GetByLabel("其他金额", new() { Exact = true }).FillAsync("");
            await page.GetByRole(AriaRole.Button, new() { Name = "去支付" }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "支付，但丢失通知" }).ClickAsync();
            await Expect(page.GetByTestId("top-up-result")).ToBeVisibleAsync();
            await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserShop.ScreenshotFolder, "tmp_pending.png"), FullPage = true });
            await page.GotoAsync("/Wallet");
            await page.GetByRole(AriaRole.Button, new() { Name = "去支付" }).ClickAsync();
            var pay = page.Url;
            await page.GetByRole(AriaRole.Button, new() { Name = "取消，返回商户" }).ClickAsync();
            await page.GotoAsync("/Wallet");
            await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserShop.ScreenshotFolder, "tmp_wallet_pending.png"), FullPage = true });
            await page.GotoAsync(pay);
            await page.GetByRole(AriaRole.Button, new() { Name = "确认支付" }).ClickAsync();
            await page.GotoAsync(pay);
            await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserShop.ScreenshotFolder, "tmp_pay_paid.png"), FullPage = true });
        });
}
