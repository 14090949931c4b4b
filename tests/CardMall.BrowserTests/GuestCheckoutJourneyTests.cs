using System.Text.RegularExpressions;
using CardMall.BrowserTests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CardMall.BrowserTests;

/// <summary>
/// A visitor without an account buys a Steam code in one flow — the product page's "buy without an account", e-mail
/// and lookup password, the sandbox pay page, back on the order page that refreshes itself until the payment's
/// notification has settled it — reveals the key, and in another browser finds the order again on the lookup page
/// with the lookup password. A member pays an order through the sandbox from the product page. Both languages; the
/// guest pages are looked at on a phone as well.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class GuestCheckoutJourneyTests(BrowserShop shop) : BrowserTest(shop)
{
    private const string Sku = "STEAM-WALLET-100";

    private const string LookupPassword = "my-lookup-2026";

    // The notification arrives in the background and the order page reloads itself every few seconds.
    private static readonly LocatorAssertionsToHaveTextOptions PaidWait = new() { Timeout = 30_000 };

    [Fact]
    public Task A_visitor_buys_without_an_account_through_the_sandbox_and_finds_the_order_again_in_Chinese() =>
        InBrowserAsync(Words.Chinese.Locale, page => GuestJourneyAsync(page, Words.Chinese));

    [Fact]
    public Task A_visitor_buys_without_an_account_through_the_sandbox_and_finds_the_order_again_in_English() =>
        InBrowserAsync(Words.English.Locale, page => GuestJourneyAsync(page, Words.English));

    [Fact]
    public Task A_member_pays_an_order_through_the_sandbox_instead_of_the_wallet() =>
        InBrowserAsync(ShopTexts.Chinese.Locale, async page =>
        {
            var words = Words.Chinese;
            await page.GotoAsync("/");
            await page.RegisterAsync(ShopTexts.Chinese, UniqueEmail("member-pays"));
            await page.GotoAsync($"/Products/{Sku}");
            var form = page.GetByTestId("buy-form");
            await form.GetByLabel(words.Sandbox, new LocatorGetByLabelOptions { Exact = true }).CheckAsync();
            await form.GetByLabel(words.AcceptNotices, new LocatorGetByLabelOptions { Exact = true }).CheckAsync();
            await page.SaveScreenshotAsync("GuestJourney-member-pay-choice-zh-CN");
            await form.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = words.BuyNow, Exact = true }).ClickAsync();

            await Expect(page).ToHaveURLAsync(new Regex("/Sandbox/Pay/SB\\d+$"));
            await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = words.Pay, Exact = true }).ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex("/Orders/CM\\d+$"));
            await Expect(page.GetByTestId("order-status")).ToHaveTextAsync(words.Delivered, PaidWait);
            await Expect(page.GetByTestId("key-row")).ToHaveCountAsync(1);
            await Expect(page.GetByTestId("paid-with")).ToHaveTextAsync(words.SandboxName);
        });

    private async Task GuestJourneyAsync(IPage page, Words words)
    {
        var email = UniqueEmail("guest-journey");
        await page.GotoAsync($"/Products/{Sku}");
        await page.GetByRole(AriaRole.Link, new PageGetByRoleOptions { Name = words.GuestBuy, Exact = true }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex($"/Products/{Sku}/Guest$"));
        var form = page.GetByTestId("guest-form");
        await form.GetByLabel(words.Email, new LocatorGetByLabelOptions { Exact = true }).FillAsync(email);
        await form.GetByLabel(words.LookupPassword, new LocatorGetByLabelOptions { Exact = true }).FillAsync(LookupPassword);
        await Expect(form.GetByLabel(words.Sandbox, new LocatorGetByLabelOptions { Exact = true })).ToBeCheckedAsync();
        await form.GetByLabel(words.AcceptNotices, new LocatorGetByLabelOptions { Exact = true }).CheckAsync();
        await page.SaveScreenshotAsync($"GuestJourney-checkout-{words.Locale}");
        await form.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = words.ContinueToPayment, Exact = true }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/Sandbox/Pay/SB\\d+$"));
        await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = words.Pay, Exact = true }).ClickAsync();

        // Back on the order page, signed in as the order's guest: it waits for the notification, then shows the key.
        await Expect(page).ToHaveURLAsync(new Regex("/Orders/CM\\d+$"));
        var orderNo = (await page.GetByTestId("order-no").InnerTextAsync()).Trim();
        await Expect(page.GetByTestId("guest-banner")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("order-status")).ToHaveTextAsync(words.Delivered, PaidWait);
        var row = page.GetByTestId("key-row");
        await Expect(row).ToHaveCountAsync(1);
        await row.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = words.Reveal, Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("revealed-code")).ToHaveTextAsync(new Regex("^[A-Z0-9-]{8,}$"));
        var code = (await page.GetByTestId("revealed-code").InnerTextAsync()).Trim();
        await page.SaveScreenshotAsync($"GuestJourney-order-{words.Locale}");
        await Expect(page.GetByTestId("wallet-link")).ToHaveCountAsync(0);

        // Another browser, on a phone: the lookup page from the footer, the order by e-mail and lookup password.
        var phone = await Shop.NewPageAsync(words.Locale);
        try
        {
            await phone.SetViewportSizeAsync(390, 844);
            await phone.GotoAsync("/");
            await phone.GetByTestId("footer-lookup").ClickAsync();
            await Expect(phone).ToHaveURLAsync(new Regex("/Lookup$"));
            var lookup = phone.GetByTestId("lookup-form");
            await lookup.GetByLabel(words.OrderNoOrEmail, new LocatorGetByLabelOptions { Exact = true }).FillAsync("not-the-password@example.test");
            await lookup.GetByLabel(words.LookupPassword, new LocatorGetByLabelOptions { Exact = true }).FillAsync(LookupPassword);
            await lookup.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = words.Find, Exact = true }).ClickAsync();
            await Expect(phone.GetByTestId("lookup-error")).ToContainTextAsync(words.NotFound);

            lookup = phone.GetByTestId("lookup-form");
            await lookup.GetByLabel(words.OrderNoOrEmail, new LocatorGetByLabelOptions { Exact = true }).FillAsync(email);
            await lookup.GetByLabel(words.LookupPassword, new LocatorGetByLabelOptions { Exact = true }).FillAsync(LookupPassword);
            await lookup.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = words.Find, Exact = true }).ClickAsync();
            var found = phone.GetByTestId("lookup-order");
            await Expect(found).ToHaveCountAsync(1);
            await Expect(found).ToContainTextAsync(orderNo);
            await phone.SaveScreenshotAsync($"GuestJourney-lookup-phone-{words.Locale}");
            await found.GetByRole(AriaRole.Link, new LocatorGetByRoleOptions { Name = words.Open, Exact = true }).ClickAsync();

            await Expect(phone).ToHaveURLAsync(new Regex($"/Orders/{orderNo}$"));
            var again = phone.GetByTestId("key-row");
            await again.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = words.Reveal, Exact = true }).ClickAsync();
            await Expect(phone.GetByTestId("revealed-code")).ToHaveTextAsync(code);
            var width = await phone.EvaluateAsync<int>("document.documentElement.scrollWidth");
            Assert.True(width <= 390, $"the order page is {width}px wide on a 390px screen");
            await phone.SaveScreenshotAsync($"GuestJourney-order-phone-{words.Locale}");
            Assert.Empty(Shop.CspRefusals(phone.Context));
        }
        finally
        {
            await phone.Context.CloseAsync();
        }
    }

    /// <summary>The words this journey reads, copied from SharedResource(.en).resx on purpose (see ShopTexts).</summary>
    private sealed record Words(
        string Locale, string GuestBuy, string Email, string LookupPassword, string Sandbox, string SandboxName, string AcceptNotices,
        string ContinueToPayment, string Pay, string Delivered, string Reveal, string OrderNoOrEmail, string Find, string NotFound, string Open,
        string BuyNow)
    {
        public static Words Chinese { get; } = new(
            Locale: "zh-CN", GuestBuy: "免注册购买", Email: "邮箱", LookupPassword: "查询密码", Sandbox: "沙箱支付", SandboxName: "沙箱支付",
            AcceptNotices: "我已阅读并同意购买须知", ContinueToPayment: "去支付", Pay: "确认支付", Delivered: "已发货", Reveal: "显示卡密",
            OrderNoOrEmail: "订单号或邮箱", Find: "查询", NotFound: "没有找到订单", Open: "打开", BuyNow: "立即购买");

        public static Words English { get; } = new(
            Locale: "en-US", GuestBuy: "Buy without an account", Email: "E-mail", LookupPassword: "Lookup password", Sandbox: "Sandbox payment",
            SandboxName: "Sandbox payment", AcceptNotices: "I have read the notices", ContinueToPayment: "Continue to payment", Pay: "Pay",
            Delivered: "Delivered", Reveal: "Reveal", OrderNoOrEmail: "Order number or e-mail", Find: "Find", NotFound: "No order found",
            Open: "Open", BuyNow: "Buy now");
    }
}
