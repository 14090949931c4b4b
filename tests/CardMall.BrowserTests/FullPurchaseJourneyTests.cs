using System.Globalization;
using System.Text.RegularExpressions;
using CardMall.BrowserTests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CardMall.BrowserTests;

/// <summary>
/// The whole first purchase of a newcomer, end to end: register → wallet at ¥0 → top up through the
/// sandbox pay page → the money arrives (the gateway's notification is sent in the background) → the
/// Steam code bought with the notices ticked → key masked, revealed, downloaded → the wallet shows the
/// purchase against the order. A new account each run, so the top-up is really what pays for the order.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class FullPurchaseJourneyTests(BrowserShop shop) : BrowserTest(shop)
{
    private const string Sku = "STEAM-WALLET-100";

    /// <summary>What a regular buyer pays for STEAM-WALLET-100 (DemoCatalog).</summary>
    private const decimal Price = 98.00m;

    // The gateway's notification arrives in the background and the result page refreshes itself every
    // few seconds until it has; this allows for a slow first round on a busy two-core machine.
    private static readonly LocatorAssertionsToHaveTextOptions CreditWait = new() { Timeout = 30_000 };

    [Fact]
    public Task A_new_buyer_tops_up_through_the_sandbox_then_buys_reveals_and_downloads_a_Steam_code_in_Chinese() =>
        InBrowserAsync(ShopTexts.Chinese.Locale, async page =>
        {
            var words = JourneyTexts.Chinese;
            await SignUpAndTopUpAsync(page, ShopTexts.Chinese, words, 100.00m, preset: true);

            // To the product from the home page's shelves.
            await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = words.Home, Exact = true }).First.ClickAsync();
            await page.GetByTestId("on-sale").GetByRole(AriaRole.Link, new LocatorGetByRoleOptions { Name = words.ProductName, Exact = true }).ClickAsync();

            await BuyRevealDownloadAndCheckWalletAsync(page, words, topUp: 100.00m);
        });

    [Fact]
    public Task A_new_buyer_tops_up_through_the_sandbox_then_buys_reveals_and_downloads_a_Steam_code_in_English() =>
        InBrowserAsync(ShopTexts.English.Locale, async page =>
        {
            var words = JourneyTexts.English;
            await SignUpAndTopUpAsync(page, ShopTexts.English, words, 120.50m, preset: false);

            // To the product through the search box.
            var search = page.GetByTestId("search-form");
            await search.GetByRole(AriaRole.Searchbox, new LocatorGetByRoleOptions { Name = words.SearchProducts, Exact = true }).FillAsync("steam");
            await search.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = words.Search, Exact = true }).ClickAsync();
            await Expect(page.Heading("Search: “steam”")).ToBeVisibleAsync();
            await page.GetByTestId("search-results").GetByRole(AriaRole.Link, new LocatorGetByRoleOptions { Name = words.ProductName, Exact = true }).ClickAsync();

            await BuyRevealDownloadAndCheckWalletAsync(page, words, topUp: 120.50m);
        });

    /// <summary>Registers a new buyer, checks the wallet starts empty, and tops it up through the sandbox.</summary>
    private static async Task SignUpAndTopUpAsync(IPage page, ShopTexts texts, JourneyTexts words, decimal amount, bool preset)
    {
        await page.GotoAsync("/");
        await page.RegisterAsync(texts, UniqueEmail("full-journey"));

        await page.OpenFromAccountMenuAsync(words.WalletLink);
        await Expect(page.Heading(words.WalletHeading)).ToBeVisibleAsync();
        await Expect(page.GetByTestId("wallet-balance")).ToHaveTextAsync("¥0.00");
        await Expect(page.GetByTestId("ledger-empty")).ToHaveTextAsync(words.LedgerNone);

        var form = page.GetByTestId("top-up-form");
        if (preset)
            await form.GetByText(Yuan(amount), new LocatorGetByTextOptions { Exact = true }).ClickAsync();
        else
            await form.GetByLabel(words.OtherAmount, new LocatorGetByLabelOptions { Exact = true }).FillAsync(amount.ToString(CultureInfo.InvariantCulture));
        await form.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = words.ContinueToPayment, Exact = true }).ClickAsync();

        // The sandbox gateway's page: the amount asked for, for this top-up.
        await Expect(page).ToHaveURLAsync(new Regex("/Sandbox/Pay/SB\\d+$"));
        await Expect(page.GetByTestId("sandbox-banner")).ToContainTextAsync(words.SandboxBanner);
        await Expect(page.GetByTestId("sandbox-amount")).ToHaveTextAsync(Yuan(amount));
        var topUpNo = (await page.GetByTestId("sandbox-reference").InnerTextAsync()).Trim();
        await page.SaveScreenshotAsync($"FullJourney-sandbox-{words.Locale}");
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = words.Pay, Exact = true }).ClickAsync();

        // Back at the shop, which shows the top-up as credited once the notification has come in.
        await Expect(page).ToHaveURLAsync(new Regex($"/Wallet/TopUp/{topUpNo}$"));
        await Expect(page.GetByTestId("top-up-result")).ToHaveTextAsync(words.Credited, CreditWait);
        await page.GetByTestId("back-to-wallet").ClickAsync();
        await Expect(page.GetByTestId("wallet-balance")).ToHaveTextAsync(Yuan(amount));
    }

    private static async Task BuyRevealDownloadAndCheckWalletAsync(IPage page, JourneyTexts words, decimal topUp)
    {
        // The product page: the regular price, the topped-up balance, and the notices to accept.
        await Expect(page).ToHaveURLAsync(new Regex($"/Products/{Sku}$"));
        await Expect(page.Heading(words.ProductName)).ToBeVisibleAsync();
        await Expect(page.GetByTestId("price")).ToHaveTextAsync(Yuan(Price));
        await Expect(page.GetByTestId("balance")).ToContainTextAsync(Yuan(topUp));
        await Expect(page.Heading(words.NoticesHeading)).ToBeVisibleAsync();
        var buyForm = page.GetByTestId("buy-form");
        await buyForm.GetByLabel(words.Quantity, new LocatorGetByLabelOptions { Exact = true }).FillAsync("1");
        var accept = buyForm.GetByLabel(words.AcceptNotices, new LocatorGetByLabelOptions { Exact = true });
        await accept.CheckAsync();
        await Expect(accept).ToBeCheckedAsync();
        await page.SaveScreenshotAsync($"FullJourney-product-{words.Locale}");
        await buyForm.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = words.BuyNow, Exact = true }).ClickAsync();

        // The order page: placed, one key, hidden until asked for.
        await Expect(page).ToHaveURLAsync(new Regex("/Orders/[A-Z0-9]+$"));
        await Expect(page.GetByTestId("order-placed")).ToHaveTextAsync(words.OrderPlaced);
        var orderNo = (await page.GetByTestId("order-no").InnerTextAsync()).Trim();
        Assert.EndsWith("/Orders/" + orderNo, page.Url, StringComparison.Ordinal);
        var row = page.GetByTestId("key-row");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.GetByTestId("masked-key")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("revealed-code")).ToHaveCountAsync(0);

        await row.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = words.Reveal, Exact = true }).ClickAsync();
        var code = page.GetByTestId("revealed-code");
        await Expect(code).ToHaveTextAsync(new Regex("^[A-Z0-9-]{8,}$"));
        await Expect(page.GetByTestId("masked-key")).ToHaveCountAsync(0);
        var revealed = (await code.InnerTextAsync()).Trim();
        Assert.DoesNotContain(revealed, page.Url, StringComparison.Ordinal);
        await page.SaveScreenshotAsync($"FullJourney-order-revealed-{words.Locale}");

        var download = await page.RunAndWaitForDownloadAsync(() =>
            page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = words.DownloadTxt, Exact = true }).ClickAsync());
        Assert.EndsWith(".txt", download.SuggestedFilename, StringComparison.Ordinal);
        var text = await File.ReadAllTextAsync(await download.PathAsync());
        Assert.Contains(revealed, text, StringComparison.Ordinal);

        // The wallet: the price taken from the topped-up balance, the purchase pointing at the order.
        await page.OpenFromAccountMenuAsync(words.WalletLink);
        await Expect(page.Heading(words.WalletHeading)).ToBeVisibleAsync();
        await Expect(page.GetByTestId("wallet-balance")).ToHaveTextAsync(Yuan(topUp - Price));
        var lines = page.GetByTestId("ledger").Locator("tbody tr");
        await Expect(lines).ToHaveCountAsync(2);
        var purchase = lines.Nth(0).Locator("td");
        await Expect(purchase.Nth(1)).ToHaveTextAsync(words.PurchaseKind);
        await Expect(purchase.Nth(2)).ToHaveTextAsync("−" + Yuan(Price));
        await Expect(purchase.Nth(3)).ToHaveTextAsync(Yuan(topUp - Price));
        await Expect(purchase.Nth(4).GetByRole(AriaRole.Link, new LocatorGetByRoleOptions { Name = orderNo, Exact = true }))
            .ToHaveAttributeAsync("href", "/Orders/" + orderNo);
        var credit = lines.Nth(1).Locator("td");
        await Expect(credit.Nth(1)).ToHaveTextAsync(words.TopUpKind);
        await Expect(credit.Nth(2)).ToHaveTextAsync("+" + Yuan(topUp));
        await page.SaveScreenshotAsync($"FullJourney-wallet-after-{words.Locale}");
    }

    private static string Yuan(decimal amount) => "¥" + amount.ToString("#,0.00", CultureInfo.InvariantCulture);

    /// <summary>The words this journey reads, copied from SharedResource(.en).resx and the demo catalogue on purpose (see ShopTexts).</summary>
    private sealed record JourneyTexts(
        string Locale, string Home, string WalletLink, string WalletHeading, string LedgerNone, string OtherAmount, string ContinueToPayment,
        string SandboxBanner, string Pay, string Credited, string SearchProducts, string Search, string ProductName, string NoticesHeading,
        string Quantity, string AcceptNotices, string BuyNow, string OrderPlaced, string Reveal, string DownloadTxt, string PurchaseKind,
        string TopUpKind)
    {
        public static JourneyTexts Chinese { get; } = new(
            Locale: "zh-CN",
            Home: "首页",
            WalletLink: "钱包",
            WalletHeading: "我的钱包",
            LedgerNone: "还没有任何余额变动，充值和购买都会记在这里。",
            OtherAmount: "其他金额",
            ContinueToPayment: "去支付",
            SandboxBanner: "不会产生任何真实扣款",
            Pay: "确认支付",
            Credited: "充值成功",
            SearchProducts: "搜索商品",
            Search: "搜索",
            ProductName: "Steam 钱包充值码 100 元",
            NoticesHeading: "购买须知",
            Quantity: "购买数量",
            AcceptNotices: "我已阅读并同意购买须知",
            BuyNow: "立即购买",
            OrderPlaced: "购买成功！卡密已发放，点击“显示卡密”即可查看。",
            Reveal: "显示卡密",
            DownloadTxt: "下载 TXT",
            PurchaseKind: "购买",
            TopUpKind: "充值");

        public static JourneyTexts English { get; } = new(
            Locale: "en-US",
            Home: "Home",
            WalletLink: "Wallet",
            WalletHeading: "My wallet",
            LedgerNone: "No money has moved yet. Your top-ups and purchases will be listed here.",
            OtherAmount: "Another amount",
            ContinueToPayment: "Continue to payment",
            SandboxBanner: "never moves real money",
            Pay: "Pay",
            Credited: "Top-up successful",
            SearchProducts: "Search products",
            Search: "Search",
            ProductName: "Steam Wallet code 100 CNY",
            NoticesHeading: "Before you buy",
            Quantity: "Quantity",
            AcceptNotices: "I have read the notices",
            BuyNow: "Buy now",
            OrderPlaced: "Thank you! Your keys are ready: press “Reveal” to see one.",
            Reveal: "Reveal",
            DownloadTxt: "Download TXT",
            PurchaseKind: "Purchase",
            TopUpKind: "Top-up");
    }
}
