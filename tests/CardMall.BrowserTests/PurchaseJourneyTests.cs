using System.Text.RegularExpressions;
using CardMall.BrowserTests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CardMall.BrowserTests;

/// <summary>
/// The demo buyer buys a demo product: product page with its notices → refused without ticking them →
/// bought with them ticked → order page with the key masked → reveal → TXT download holding that key.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PurchaseJourneyTests(BrowserShop shop) : BrowserTest(shop)
{
    private const string DemoBuyer = "buyer@cardmall.test";

    [Fact]
    public Task The_demo_buyer_buys_a_game_card_from_the_home_page_reveals_it_and_downloads_it_in_Chinese() =>
        InBrowserAsync(ShopTexts.Chinese.Locale, async page =>
        {
            var words = PurchaseTexts.Chinese;
            await page.GotoAsync("/");
            await page.SignInAsync(ShopTexts.Chinese, DemoBuyer, ShopJourneys.DemoPassword);
            await page.GetByTestId("on-sale").GetByRole(AriaRole.Link, new LocatorGetByRoleOptions { Name = "魔兽世界 60 元点卡", Exact = true }).ClickAsync();

            await BuyRevealAndDownloadAsync(page, words, "魔兽世界 60 元点卡", hasSecret: true);
        });

    [Fact]
    public Task The_demo_buyer_finds_a_membership_by_search_buys_it_reveals_it_and_downloads_it_in_English() =>
        InBrowserAsync(ShopTexts.English.Locale, async page =>
        {
            var words = PurchaseTexts.English;
            await page.GotoAsync("/");
            await page.SignInAsync(ShopTexts.English, DemoBuyer, ShopJourneys.DemoPassword);
            var search = page.GetByTestId("search-form");
            await search.GetByRole(AriaRole.Searchbox, new LocatorGetByRoleOptions { Name = words.SearchProducts, Exact = true }).FillAsync("iqiyi");
            await search.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = words.Search, Exact = true }).ClickAsync();
            await Expect(page.Heading("Search: “iqiyi”")).ToBeVisibleAsync();
            await page.GetByTestId("search-results").GetByRole(AriaRole.Link, new LocatorGetByRoleOptions { Name = "iQIYI Gold VIP, 1 month", Exact = true }).ClickAsync();

            await BuyRevealAndDownloadAsync(page, words, "iQIYI Gold VIP, 1 month", hasSecret: false);
        });

    [Fact]
    public Task A_VIP_pays_the_member_price_and_a_fifth_order_brings_a_thank_you_note_in_both_languages() =>
        InBrowserAsync(ShopTexts.Chinese.Locale, async page =>
        {
            var words = PurchaseTexts.Chinese;
            await page.GotoAsync("/");
            await page.SignInAsync(ShopTexts.Chinese, "vip@cardmall.test", ShopJourneys.DemoPassword);
            await page.GotoAsync("/Products/IQIYI-VIP-M");
            await Expect(page.GetByTestId("price")).ToHaveTextAsync("¥19.00");
            await Expect(page.GetByTestId("list-price")).ToHaveTextAsync("¥19.80");

            // Every fifth order brings the note; other journeys may have bought for this account already,
            // so buy until it comes (never more than five times).
            var unread = page.GetByTestId("unread-count");
            for (var bought = 0; bought < 5 && await unread.CountAsync() == 0; bought++)
            {
                await page.GotoAsync("/Products/IQIYI-VIP-M");
                await page.GetByLabel(words.AcceptNotices, new PageGetByLabelOptions { Exact = true }).CheckAsync();
                await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = words.BuyNow, Exact = true }).ClickAsync();
                await Expect(page.GetByTestId("order-placed")).ToBeVisibleAsync();
            }
            await Expect(unread).ToHaveTextAsync("1");

            await page.GetByTestId("my-orders-link").ClickAsync();
            await Expect(page.Heading("我的订单")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("orders").Locator("tbody tr").First).ToContainTextAsync("爱奇艺黄金会员 月卡");
            await Expect(page.GetByTestId("orders").Locator("tbody tr").First).ToContainTextAsync("¥19.00");
            await page.ScreenshotAsync(new PageScreenshotOptions
            {
                Path = Path.Combine(BrowserShop.ScreenshotFolder, "PurchaseJourney_orders_zh-CN.png"),
                FullPage = true,
            });

            await page.GetByTestId("notifications-link").ClickAsync();
            await Expect(page.Heading("消息通知")).ToBeVisibleAsync();
            var note = page.GetByTestId("notification").First;
            await Expect(note).ToContainTextAsync(new Regex("感谢你在 CardMall 完成第 \\d+ 笔订单！"));
            await page.ScreenshotAsync(new PageScreenshotOptions
            {
                Path = Path.Combine(BrowserShop.ScreenshotFolder, "PurchaseJourney_notifications_zh-CN.png"),
                FullPage = true,
            });

            await page.GetByTestId("language-switch").GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "English", Exact = true }).ClickAsync();
            await Expect(page.Heading("Notifications")).ToBeVisibleAsync();
            await Expect(note).ToContainTextAsync(new Regex("Thank you for your \\d+th order at CardMall!"));
            await page.ScreenshotAsync(new PageScreenshotOptions
            {
                Path = Path.Combine(BrowserShop.ScreenshotFolder, "PurchaseJourney_notifications_en-US.png"),
                FullPage = true,
            });

            // Opening the note marks it read and leads to the order it thanks for.
            await note.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Open", Exact = true }).ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex("/Orders/[A-Z0-9]+$"));
            await Expect(unread).ToHaveCountAsync(0);
            await page.GetByTestId("my-orders-link").ClickAsync();
            await Expect(page.Heading("My orders")).ToBeVisibleAsync();
        });

    private async Task BuyRevealAndDownloadAsync(IPage page, PurchaseTexts words, string productName, bool hasSecret)
    {
        // The product page: the notices come before the buy button.
        await Expect(page.Heading(productName)).ToBeVisibleAsync();
        await Expect(page.Heading(words.NoticesHeading)).ToBeVisibleAsync();
        await Expect(page.GetByTestId("notices")).ToContainTextAsync(words.NoRefundWords);
        await Expect(page.GetByTestId("tutorial-link")).ToHaveTextAsync(words.Tutorial);

        // Buying without ticking the notices is refused, and says why.
        var buy = page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = words.BuyNow, Exact = true });
        await buy.ClickAsync();
        await Expect(page.Locator("[data-valmsg-for='Input.AcceptNotices']")).ToHaveTextAsync(words.NoticesRequired);
        await page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(BrowserShop.ScreenshotFolder, $"PurchaseJourney_notices_required_{words.Locale}.png"),
            FullPage = true,
        });

        await page.GetByLabel(words.AcceptNotices, new PageGetByLabelOptions { Exact = true }).CheckAsync();
        await buy.ClickAsync();

        // The order page: paid, delivered, the key hidden until asked for.
        await Expect(page).ToHaveURLAsync(new Regex("/Orders/[A-Z0-9]+$"));
        await Expect(page.GetByTestId("order-placed")).ToHaveTextAsync(words.OrderPlaced);
        var row = page.GetByTestId("key-row");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.GetByTestId("masked-key")).ToBeVisibleAsync();
        await Expect(row.GetByTestId("key-state")).ToHaveTextAsync(words.Delivered);
        await page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(BrowserShop.ScreenshotFolder, $"PurchaseJourney_order_masked_{words.Locale}.png"),
            FullPage = true,
        });

        await row.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = words.Reveal, Exact = true }).ClickAsync();
        var code = page.GetByTestId("revealed-code");
        await Expect(code).ToHaveTextAsync(new Regex("^[A-Z0-9-]{8,}$"));
        await Expect(page.GetByTestId("revealed-secret")).ToHaveCountAsync(hasSecret ? 1 : 0);
        await Expect(page.GetByTestId("masked-key")).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = words.Copy, Exact = true }).First).ToBeVisibleAsync();
        var revealed = (await code.InnerTextAsync()).Trim();
        Assert.DoesNotContain(revealed, page.Url, StringComparison.Ordinal);

        var download = await page.RunAndWaitForDownloadAsync(() =>
            page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = words.DownloadTxt, Exact = true }).ClickAsync());
        Assert.EndsWith(".txt", download.SuggestedFilename, StringComparison.Ordinal);
        var text = await File.ReadAllTextAsync(await download.PathAsync());
        Assert.StartsWith(revealed, text, StringComparison.Ordinal);
        Assert.Equal(hasSecret, text.Contains("----", StringComparison.Ordinal));
        // Bought, shown and downloaded through the browser, at every log level: the key is in none of it.
        Assert.False(Shop.LogsMention(revealed), "the revealed card key reached the shop's log");
    }

    /// <summary>The purchase words a buyer reads, copied from SharedResource(.en).resx on purpose (see ShopTexts).</summary>
    private sealed record PurchaseTexts(
        string Locale, string SearchProducts, string Search, string NoticesHeading, string NoRefundWords, string Tutorial, string BuyNow,
        string NoticesRequired, string AcceptNotices, string OrderPlaced, string Delivered, string Reveal, string Copy, string DownloadTxt)
    {
        public static PurchaseTexts Chinese { get; } = new(
            Locale: "zh-CN",
            SearchProducts: "搜索商品",
            Search: "搜索",
            NoticesHeading: "购买须知",
            NoRefundWords: "虚拟商品一经发货不支持七天无理由退货",
            Tutorial: "使用教程",
            BuyNow: "立即购买",
            NoticesRequired: "请先阅读并勾选“我已阅读并同意购买须知”。",
            AcceptNotices: "我已阅读并同意购买须知",
            OrderPlaced: "购买成功！卡密已发放，点击“显示卡密”即可查看。",
            Delivered: "已发放",
            Reveal: "显示卡密",
            Copy: "复制",
            DownloadTxt: "下载 TXT");

        public static PurchaseTexts English { get; } = new(
            Locale: "en-US",
            SearchProducts: "Search products",
            Search: "Search",
            NoticesHeading: "Before you buy",
            NoRefundWords: "Virtual goods are not eligible for 7-day no-reason returns",
            Tutorial: "How to use it",
            BuyNow: "Buy now",
            NoticesRequired: "Please read the notices and tick \"I have read the notices\" first.",
            AcceptNotices: "I have read the notices",
            OrderPlaced: "Thank you! Your keys are ready: press “Reveal” to see one.",
            Delivered: "Delivered",
            Reveal: "Reveal",
            Copy: "Copy",
            DownloadTxt: "Download TXT");
    }
}
