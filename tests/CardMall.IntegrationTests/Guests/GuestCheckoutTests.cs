using System.Net;
using CardMall.IntegrationTests.Support;
using CardMall.TestSupport;

namespace CardMall.IntegrationTests.Guests;

/// <summary>
/// Buying without an account (docs/decisions/0039): a visitor buys through the sandbox, is signed in as the order's
/// guest account, sees the keys once the notification settles the payment, gets an e-mail with a signed link, and
/// finds the order again on the lookup page — nobody else ever sees it.
/// </summary>
public sealed class GuestCheckoutTests(GuestShopFixture shop) : IClassFixture<GuestShopFixture>
{
    private const string Password = "cha-xun-2026";

    private ShopFactory App => shop.Factory;

    private GuestSteps Steps => new(App);

    [Fact]
    public async Task A_visitor_buys_with_the_sandbox_sees_the_keys_once_the_notification_settles_and_gets_a_signed_link_by_mail()
    {
        var (sku, codes) = await new TestShop(App).ProductWithKeysAsync(2, price: 12.50m);
        var email = GuestSteps.Email();
        using var web = new WebSession(App, "zh-CN");

        var product = await web.GetAsync($"/Products/{sku}");
        Assert.Equal($"/Products/{sku}/Guest", product.Document.QuerySelector("[data-testid=guest-buy]")?.GetAttribute("href"));
        var started = await Steps.BuyAsync(web, sku, email, Password);
        var payPage = await web.FollowAsync(started);
        Assert.Equal("¥12.50", payPage.Document.QuerySelector("[data-testid=sandbox-amount]")?.TextContent.Trim());
        var orderNo = await GuestSteps.PayAsync(web, started.Location!);

        // Back at the shop before the notification: waiting, with the way to pay, no keys yet.
        var waiting = await web.GetAsync($"/Orders/{orderNo}");
        Assert.Equal(HttpStatusCode.OK, waiting.Status);
        Assert.Equal("待支付", waiting.Document.QuerySelector("[data-testid=order-status]")?.TextContent.Trim());
        Assert.NotNull(waiting.Document.QuerySelector("[data-testid=awaiting-payment] [data-testid=pay-now]"));
        Assert.Empty(waiting.Document.QuerySelectorAll("[data-testid=key-row]"));
        Assert.NotNull(waiting.Document.QuerySelector("[data-testid=guest-banner]"));
        Assert.Null(waiting.Document.QuerySelector("[data-testid=wallet-link]"));

        Assert.Equal(1, await Steps.DeliverNotificationsAsync());

        var paid = await web.GetAsync($"/Orders/{orderNo}");
        Assert.Equal("已发货", paid.Document.QuerySelector("[data-testid=order-status]")?.TextContent.Trim());
        var row = Assert.Single(paid.Document.QuerySelectorAll("[data-testid=key-row]"));
        var revealed = await web.SubmitAsync($"/Orders/{orderNo}", $"[data-item-id='{row.GetAttribute("data-item-id")}'] form", new Dictionary<string, string>());
        Assert.Contains(revealed.Document.QuerySelector("[data-testid=revealed-code]")!.TextContent.Trim(), codes);
        // A guest has no wallet or account pages.
        Assert.Equal(HttpStatusCode.Redirect, (await web.GetAsync("/Wallet")).Status);

        await Steps.DispatchEmailsAsync();
        var mail = Assert.Single(Steps.Mail.To(email));
        Assert.Contains(orderNo, mail.Subject + mail.TextBody, StringComparison.Ordinal);
        foreach (var code in codes) Assert.DoesNotContain(code, mail.TextBody + mail.HtmlBody, StringComparison.OrdinalIgnoreCase);

        // The link opens the order in another browser, signed in as the order's guest.
        using var elsewhere = new WebSession(App, "zh-CN");
        var opened = await elsewhere.GetAsync(Steps.LinkIn(email));
        Assert.Equal($"/Orders/{orderNo}", opened.Location);
        var order = await elsewhere.FollowAsync(opened);
        Assert.Single(order.Document.QuerySelectorAll("[data-testid=key-row]"));
    }

    [Fact]
    public async Task Nobody_else_sees_a_guest_order_and_an_altered_link_opens_nothing()
    {
        var (sku, _) = await new TestShop(App).ProductWithKeysAsync(2);
        using var guest = new WebSession(App);
        var orderNo = await Steps.BuyAndPayAsync(guest, sku, GuestSteps.Email(), Password);
        await Steps.DeliverNotificationsAsync();

        using var member = new WebSession(App);
        await member.SignInAsync((await TestAccounts.CreateAsync(App)).Email, TestAccounts.Password);
        Assert.Equal(HttpStatusCode.NotFound, (await member.GetAsync($"/Orders/{orderNo}")).Status);

        using var otherGuest = new WebSession(App);
        await Steps.BuyAndPayAsync(otherGuest, sku, GuestSteps.Email(), Password);
        Assert.Equal(HttpStatusCode.NotFound, (await otherGuest.GetAsync($"/Orders/{orderNo}")).Status);

        using var stranger = new WebSession(App);
        Assert.NotEqual(HttpStatusCode.OK, (await stranger.GetAsync($"/Orders/{orderNo}")).Status);
        var forged = await stranger.GetAsync("/Lookup/Open?token=CfDJ8" + new string('A', 120));
        Assert.Equal(HttpStatusCode.NotFound, forged.Status);
        Assert.NotNull(forged.Document.QuerySelector("[data-testid=link-invalid]"));
        Assert.NotEqual(HttpStatusCode.OK, (await stranger.GetAsync($"/Orders/{orderNo}")).Status);
    }

    [Fact]
    public async Task The_lookup_finds_orders_by_number_or_email_with_the_right_password_and_says_the_same_for_anything_wrong()
    {
        var (sku, _) = await new TestShop(App).ProductWithKeysAsync(3);
        var email = GuestSteps.Email();
        using (var buying = new WebSession(App))
        {
            await Steps.BuyAndPayAsync(buying, sku, email, Password);
            await Steps.BuyAndPayAsync(buying, sku, email, Password);
        }
        await Steps.DeliverNotificationsAsync();
        using var web = new WebSession(App, "zh-CN");

        var byEmail = await GuestSteps.LookUpAsync(web, email.ToUpperInvariant(), Password);
        var found = byEmail.Document.QuerySelectorAll("[data-testid=lookup-order]");
        Assert.Equal(2, found.Length);
        var firstNo = found[0].QuerySelector(".font-monospace")!.TextContent.Trim();
        var byNumber = await GuestSteps.LookUpAsync(web, firstNo, Password);
        var open = Assert.Single(byNumber.Document.QuerySelectorAll("[data-testid=lookup-open]")).GetAttribute("href")!;
        var opened = await web.GetAsync(open);
        Assert.Equal($"/Orders/{firstNo}", opened.Location);
        Assert.Single((await web.FollowAsync(opened)).Document.QuerySelectorAll("[data-testid=key-row]"));

        var wrongPassword = await GuestSteps.LookUpAsync(web, email, "not-the-password");
        var unknownEmail = await GuestSteps.LookUpAsync(web, GuestSteps.Email(), Password);
        var unknownNumber = await GuestSteps.LookUpAsync(web, "CM20260101000000000000", Password);
        foreach (var refused in new[] { wrongPassword, unknownEmail, unknownNumber })
        {
            Assert.Equal("没有找到订单：订单号/邮箱或查询密码不正确。", refused.PageErrors);
            Assert.Empty(refused.Document.QuerySelectorAll("[data-testid=lookup-order]"));
        }
    }

    [Fact]
    public async Task Five_wrong_lookup_passwords_for_an_email_lock_its_lookups_even_with_the_right_password()
    {
        var (sku, _) = await new TestShop(App).ProductWithKeysAsync(1);
        var email = GuestSteps.Email();
        string orderNo;
        using (var buying = new WebSession(App)) orderNo = await Steps.BuyAndPayAsync(buying, sku, email, Password);
        using var attacker = new WebSession(App);

        for (var i = 0; i < 4; i++)
            Assert.Equal("没有找到订单：订单号/邮箱或查询密码不正确。", (await GuestSteps.LookUpAsync(attacker, email, "guess-" + i)).PageErrors);
        // The fifth guess comes by the order number: it counts against the same e-mail.
        await GuestSteps.LookUpAsync(attacker, orderNo, "guess-4");

        using var owner = new WebSession(App);
        var locked = await GuestSteps.LookUpAsync(owner, email, Password);
        Assert.Contains("一小时后再试", locked.PageErrors, StringComparison.Ordinal);
        Assert.Empty(locked.Document.QuerySelectorAll("[data-testid=lookup-order]"));
        Assert.Contains("一小时后再试", (await GuestSteps.LookUpAsync(owner, orderNo, Password)).PageErrors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_email_may_leave_only_three_guest_orders_unpaid_at_once()
    {
        var (sku, _) = await new TestShop(App).ProductWithKeysAsync(5);
        var email = GuestSteps.Email();
        using var web = new WebSession(App, "zh-CN");
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.Redirect, (await Steps.BuyAsync(web, sku, email, Password)).Status);

        var fourth = await Steps.BuyAsync(web, sku, email, Password);

        Assert.Equal(HttpStatusCode.OK, fourth.Status);
        Assert.Contains("3 笔订单在等待支付", fourth.PageErrors, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await Steps.BuyAsync(web, sku, GuestSteps.Email(), Password)).Status);
    }

    [Fact]
    public async Task A_guest_checkout_with_a_short_password_or_no_email_is_refused_in_the_visitors_words()
    {
        var (sku, _) = await new TestShop(App).ProductWithKeysAsync(1);
        using var web = new WebSession(App, "en-US");

        var refused = await Steps.BuyAsync(web, sku, "not-an-email", "12345");

        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Equal(["Please enter a valid e-mail address."], refused.FieldErrors("Input.Email"));
        Assert.Equal(["The lookup password must have 6–64 characters."], refused.FieldErrors("Input.LookupPassword"));
    }

    [Fact]
    public async Task A_member_pays_an_order_through_the_sandbox_from_the_product_page()
    {
        var (sku, codes) = await new TestShop(App).ProductWithKeysAsync(1, price: 30.00m);
        using var web = new WebSession(App, "zh-CN");
        await web.SignInAsync((await TestAccounts.CreateAsync(App)).Email, TestAccounts.Password);

        var product = await web.GetAsync($"/Products/{sku}");
        Assert.NotNull(product.Document.QuerySelector("[data-testid=pay-sandbox]"));
        var started = await web.SubmitAsync($"/Products/{sku}", "form[data-testid=buy-form]", new Dictionary<string, string>
        {
            ["Input.Quantity"] = "1",
            ["Input.AcceptNotices"] = "true",
            ["Input.Payment"] = "sandbox",
        });
        var orderNo = await GuestSteps.PayAsync(web, started.Location!);
        var list = await web.GetAsync("/Orders");
        Assert.Contains("待支付", list.Document.QuerySelector("[data-testid=order-status]")?.TextContent, StringComparison.Ordinal);

        await Steps.DeliverNotificationsAsync();

        var order = await web.GetAsync($"/Orders/{orderNo}");
        Assert.Equal("已发货", order.Document.QuerySelector("[data-testid=order-status]")?.TextContent.Trim());
        Assert.Equal("沙箱支付", order.Document.QuerySelector("[data-testid=paid-with]")?.TextContent.Trim());
        var row = Assert.Single(order.Document.QuerySelectorAll("[data-testid=key-row]"));
        var revealed = await web.SubmitAsync($"/Orders/{orderNo}", $"[data-item-id='{row.GetAttribute("data-item-id")}'] form", new Dictionary<string, string>());
        Assert.Equal(codes[0], revealed.Document.QuerySelector("[data-testid=revealed-code]")?.TextContent.Trim());
    }
}
