using System.Globalization;
using System.Text.RegularExpressions;
using CardMall.BrowserTests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CardMall.BrowserTests;

/// <summary>
/// The demo buyer tops up the wallet through the sandbox gateway: wallet page → sandbox pay page → back
/// to the shop, where the signed notification has credited the money and the statement shows it.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class TopUpTests(BrowserShop shop) : BrowserTest(shop)
{
    private const string DemoBuyer = "buyer@cardmall.test";

    [Fact]
    public Task The_demo_buyer_tops_up_a_preset_amount_through_the_sandbox_in_Chinese() =>
        InBrowserAsync(ShopTexts.Chinese.Locale, page => TopUpAsync(page, ShopTexts.Chinese, TopUpTexts.Chinese, 200.00m, preset: true));

    [Fact]
    public Task The_demo_buyer_tops_up_another_amount_through_the_sandbox_in_English() =>
        InBrowserAsync(ShopTexts.English.Locale, page => TopUpAsync(page, ShopTexts.English, TopUpTexts.English, 66.60m, preset: false));

    private static async Task TopUpAsync(IPage page, ShopTexts texts, TopUpTexts words, decimal amount, bool preset)
    {
        var yuan = "¥" + amount.ToString("#,0.00", CultureInfo.InvariantCulture);
        await page.GotoAsync("/");
        await page.SignInAsync(texts, DemoBuyer, ShopJourneys.DemoPassword);
        await page.OpenFromAccountMenuAsync(words.WalletLink);
        await Expect(page.Heading(words.WalletHeading)).ToBeVisibleAsync();
        var before = Yuan(await page.GetByTestId("wallet-balance").InnerTextAsync());

        var form = page.GetByTestId("top-up-form");
        if (preset)
            await form.GetByText(yuan, new LocatorGetByTextOptions { Exact = true }).ClickAsync();
        else
            await form.GetByLabel(words.OtherAmount, new LocatorGetByLabelOptions { Exact = true }).FillAsync(amount.ToString(CultureInfo.InvariantCulture));
        await form.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = words.ContinueToPayment, Exact = true }).ClickAsync();

        // The sandbox gateway's own page, plainly marked as a test.
        await Expect(page).ToHaveURLAsync(new Regex("/Sandbox/Pay/SB\\d+$"));
        await Expect(page.GetByTestId("sandbox-banner")).ToContainTextAsync(words.SandboxBanner);
        await Expect(page.GetByTestId("sandbox-merchant")).ToHaveTextAsync("CardMall");
        await Expect(page.GetByTestId("sandbox-amount")).ToHaveTextAsync(yuan);
        var topUpNo = (await page.GetByTestId("sandbox-reference").InnerTextAsync()).Trim();
        await page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(BrowserShop.ScreenshotFolder, $"TopUp_sandbox_pay_page_{texts.Locale}.png"),
            FullPage = true,
        });
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = words.Pay, Exact = true }).ClickAsync();

        // Back at the shop: the page refreshes itself until the notification has credited the top-up.
        await Expect(page).ToHaveURLAsync(new Regex($"/Wallet/TopUp/{topUpNo}$"));
        await Expect(page.GetByTestId("top-up-result")).ToHaveTextAsync(words.Credited);
        await page.GetByTestId("back-to-wallet").ClickAsync();

        await Expect(page.GetByTestId("wallet-balance")).ToHaveTextAsync("¥" + (before + amount).ToString("#,0.00", CultureInfo.InvariantCulture));
        var newest = page.GetByTestId("ledger").Locator("tbody tr").First;
        await Expect(newest.Locator("td").Nth(1)).ToHaveTextAsync(words.TopUpKind);
        await Expect(newest.Locator("td").Nth(2)).ToHaveTextAsync("+" + yuan);
        await Expect(newest.Locator("td").Nth(4)).ToHaveTextAsync(topUpNo);
        var recent = page.GetByTestId("top-ups").Locator("tbody tr", new LocatorLocatorOptions { HasText = topUpNo });
        await Expect(recent.GetByTestId("top-up-status")).ToHaveTextAsync(words.StatusCredited);
    }

    private static decimal Yuan(string text) =>
        decimal.Parse(text.Trim().TrimStart('¥'), NumberStyles.Number, CultureInfo.InvariantCulture);

    /// <summary>The top-up words a buyer reads, copied from SharedResource(.en).resx on purpose (see ShopTexts).</summary>
    private sealed record TopUpTexts(
        string WalletLink, string WalletHeading, string OtherAmount, string ContinueToPayment, string SandboxBanner, string Pay,
        string Credited, string TopUpKind, string StatusCredited)
    {
        public static TopUpTexts Chinese { get; } = new(
            WalletLink: "钱包",
            WalletHeading: "我的钱包",
            OtherAmount: "其他金额",
            ContinueToPayment: "去支付",
            SandboxBanner: "不会产生任何真实扣款",
            Pay: "确认支付",
            Credited: "充值成功",
            TopUpKind: "充值",
            StatusCredited: "已到账");

        public static TopUpTexts English { get; } = new(
            WalletLink: "Wallet",
            WalletHeading: "My wallet",
            OtherAmount: "Another amount",
            ContinueToPayment: "Continue to payment",
            SandboxBanner: "never moves real money",
            Pay: "Pay",
            Credited: "Top-up successful",
            TopUpKind: "Top-up",
            StatusCredited: "Credited");
    }
}
