using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CardMall.Application.Features.Wallet;
using CardMall.Domain.Wallets;
using CardMall.Infrastructure.Payments;
using CardMall.Infrastructure.Persistence;
using CardMall.IntegrationTests.Support;
using CardMall.TestSupport;
using CardMall.Web.Payments;
using MediatR;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CardMall.IntegrationTests;

/// <summary>
/// The shop with a known sandbox secret, its notifications delivered to the in-memory server, and no
/// background passes: each test runs the notification sender and the top-up watcher itself, once,
/// instead of waiting for them. Subclasses add services of their own (a clock the tests move).
/// </summary>
public class PaymentShopFixture : ShopFixture
{
    public const string Secret = "sandbox-secret-for-payment-tests";

    protected sealed override ShopFactory CreateFactory(string connectionString)
    {
        var factory = new ShopFactory(connectionString)
        {
            Configure = services =>
            {
                foreach (var background in services.Where(d => d.ServiceType == typeof(IHostedService)
                             && (d.ImplementationType == typeof(SandboxNotifier) || d.ImplementationType == typeof(TopUpWatcher))).ToList())
                    services.Remove(background);
                services.AddHttpClient(SandboxNotifications.HttpClientName)
                    .ConfigurePrimaryHttpMessageHandler(sp => ((TestServer)sp.GetRequiredService<IServer>()).CreateHandler());
                AddServices(services);
            },
        };
        factory.Settings["CardMall:Sandbox:PaymentSecret"] = Secret;
        return factory;
    }

    protected virtual void AddServices(IServiceCollection services)
    {
    }
}

/// <summary>Top-ups through the sandbox gateway: pay page, signed notifications, polling and expiry.</summary>
public sealed class PaymentTests(PaymentShopFixture shop) : IClassFixture<PaymentShopFixture>
{
    private ShopFactory App => shop.Factory;

    [Fact]
    public async Task A_lost_notification_is_credited_by_the_running_shop_on_its_own_once()
    {
        // This fixture runs no background passes (they would settle top-ups between a test's steps); a second node
        // on the same database runs the top-up watcher on its timer, as a deployed shop does.
        Assert.DoesNotContain(App.Services.GetServices<IHostedService>(), s => s is TopUpWatcher);
        var buyer = await TestAccounts.CreateAsync(App);
        using var web = await SignedInAsync(buyer);
        var payPage = await StartTopUpAsync(web, other: "66.60");
        await web.SubmitAsync(payPage.Url, "form[data-testid=sandbox-pay-lost-form]", new Dictionary<string, string>());
        Assert.Equal(0m, await BalanceAsync(web));

        await using (var running = new ShopFactory(shop.Database.ConnectionString))
        {
            running.Settings["CardMall:Sandbox:PaymentSecret"] = PaymentShopFixture.Secret;
            running.Settings["CardMall:TopUps:CheckInterval"] = "00:00:00.200";
            running.Settings["CardMall:TopUps:CheckAfter"] = "00:00:00";
            _ = running.Server;
            Assert.Equal(66.60m, await Eventually.ThatAsync(() => BalanceAsync(web), b => b == 66.60m, TimeSpan.FromSeconds(60)));
            await Task.Delay(TimeSpan.FromSeconds(1)); // several more passes
        }
        Assert.Equal(66.60m, await BalanceAsync(web));
        Assert.Single(await LedgerAsync(buyer.UserId));
    }

    [Fact]
    public async Task A_buyer_pays_on_the_sandbox_page_and_the_notification_credits_the_wallet_once()
    {
        using var web = await SignedInAsync(await TestAccounts.CreateAsync(App));

        var payPage = await StartTopUpAsync(web, preset: "200");
        Assert.Contains("CardMall", payPage.Document.QuerySelector("[data-testid=sandbox-merchant]")?.TextContent, StringComparison.Ordinal);
        Assert.Equal("¥200.00", payPage.Document.QuerySelector("[data-testid=sandbox-amount]")?.TextContent.Trim());
        Assert.NotNull(payPage.Document.QuerySelector("[data-testid=sandbox-banner]"));
        var topUpNo = payPage.Document.QuerySelector("[data-testid=sandbox-reference]")!.TextContent.Trim();

        var paid = await web.SubmitAsync(payPage.Url, "form[data-testid=sandbox-pay-form]", new Dictionary<string, string>());
        Assert.Equal($"/Wallet/TopUp/{topUpNo}", paid.Location);
        // Back at the shop before the notification: the page says it is confirming, and refreshes itself.
        var waiting = await web.FollowAsync(paid);
        Assert.Equal("正在确认支付结果…", ResultHeading(waiting));
        Assert.Equal(0m, await BalanceAsync(web));

        var notifications = App.Services.GetRequiredService<SandboxNotifications>();
        Assert.Equal(1, await notifications.DeliverDueAsync(CancellationToken.None));
        Assert.Equal(0, await notifications.DeliverDueAsync(CancellationToken.None));

        var result = await web.GetAsync($"/Wallet/TopUp/{topUpNo}");
        Assert.Equal("充值成功", ResultHeading(result));
        var wallet = await web.GetAsync("/Wallet");
        Assert.Equal("¥200.00", wallet.Document.QuerySelector("[data-testid=wallet-balance]")?.TextContent.Trim());
        var line = Assert.Single(wallet.Document.QuerySelectorAll("[data-testid=ledger] tbody tr"));
        var cells = line.QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToList();
        Assert.Equal(["充值", "+¥200.00", "¥200.00", topUpNo], cells.Skip(1));
        Assert.Equal("已到账", wallet.Document.QuerySelector("[data-testid=top-ups] [data-testid=top-up-status]")?.TextContent.Trim());
    }

    [Fact]
    public async Task The_same_signed_notification_sent_ten_times_at_once_credits_once()
    {
        var buyer = await TestAccounts.CreateAsync(App);
        using var web = await SignedInAsync(buyer);
        var payment = await PaymentOfAsync(await StartTopUpAsync(web, preset: "100"));
        var body = NotificationBody(payment.Reference, payment.TradeNo, 100.00m);

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => NotifyAsync(body, Sign(body))));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.All(answers, a => Assert.True(a.Ok));
        Assert.Single(answers, a => a.Reason == "credited");
        Assert.Equal(100.00m, await BalanceAsync(web));
        var ledger = await LedgerAsync(buyer.UserId);
        var entry = Assert.Single(ledger);
        Assert.Equal((LedgerKind.TopUp, 100.00m, 100.00m, payment.Reference), (entry.Kind, entry.Amount, entry.BalanceAfter, entry.Reference));
    }

    [Fact]
    public async Task A_notification_with_a_tampered_or_missing_signature_is_refused_and_credits_nothing()
    {
        var buyer = await TestAccounts.CreateAsync(App);
        using var web = await SignedInAsync(buyer);
        var payment = await PaymentOfAsync(await StartTopUpAsync(web, preset: "50"));
        var body = NotificationBody(payment.Reference, payment.TradeNo, 50.00m);
        var signature = Sign(body);
        var forged = SandboxSignature.Sign(Encoding.UTF8.GetBytes("somebody-elses-secret-123456"), Encoding.UTF8.GetBytes(body));
        var flipped = signature[..^1] + (signature[^1] == '0' ? '1' : '0');
        var richer = body.Replace("\"amount\":50.00", "\"amount\":5000.00", StringComparison.Ordinal);
        Assert.NotEqual(body, richer);

        foreach (var (sentBody, sentSignature) in new[] { (body, forged), (body, flipped), (body, null), (body, "sha256=" + new string('0', 64)), (richer, signature) })
        {
            var answer = await NotifyAsync(sentBody, sentSignature);
            Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
            Assert.Equal((false, "bad_signature"), (answer.Ok, answer.Reason));
        }

        Assert.Equal(0m, await BalanceAsync(web));
        Assert.Empty(await LedgerAsync(buyer.UserId));
        Assert.Equal(TopUpStatus.Pending, (await TopUpAsync(payment.Reference)).Status);
        Assert.DoesNotContain(PaymentShopFixture.Secret, App.Logs.All, StringComparison.Ordinal);
        Assert.DoesNotContain(signature[7..], App.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_signed_notification_with_the_wrong_amount_or_an_unknown_top_up_is_refused_and_credits_nothing()
    {
        var buyer = await TestAccounts.CreateAsync(App);
        using var web = await SignedInAsync(buyer);
        var payment = await PaymentOfAsync(await StartTopUpAsync(web, preset: "500"));

        var cheaper = NotificationBody(payment.Reference, payment.TradeNo, 5.00m);
        var refused = await NotifyAsync(cheaper, Sign(cheaper));
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Equal((false, "amount_mismatch"), (refused.Ok, refused.Reason));

        var unknown = NotificationBody("TU2026010100000000", payment.TradeNo, 500.00m);
        var notFound = await NotifyAsync(unknown, Sign(unknown));
        Assert.Equal(HttpStatusCode.NotFound, notFound.Status);
        Assert.Equal((false, "unknown_top_up"), (notFound.Ok, notFound.Reason));

        var garbage = "{\"topUpNo\": 12";
        var malformed = await NotifyAsync(garbage, Sign(garbage));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.Status);
        Assert.Equal((false, "malformed"), (malformed.Ok, malformed.Reason));

        Assert.Equal(0m, await BalanceAsync(web));
        Assert.Empty(await LedgerAsync(buyer.UserId));
        Assert.Equal(TopUpStatus.Pending, (await TopUpAsync(payment.Reference)).Status);
        Assert.Contains(App.Logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains(payment.Reference, StringComparison.Ordinal)
            && l.Contains("nothing credited", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_payment_whose_notification_was_lost_is_credited_by_one_polling_pass()
    {
        var buyer = await TestAccounts.CreateAsync(App);
        using var web = await SignedInAsync(buyer);
        var payPage = await StartTopUpAsync(web, other: "88.80");
        var payment = await PaymentOfAsync(payPage);

        var paid = await web.SubmitAsync(payPage.Url, "form[data-testid=sandbox-pay-lost-form]", new Dictionary<string, string>());
        Assert.Equal($"/Wallet/TopUp/{payment.Reference}", paid.Location);
        Assert.Equal(0, await App.Services.GetRequiredService<SandboxNotifications>().DeliverDueAsync(CancellationToken.None));
        Assert.Equal(0m, await BalanceAsync(web));

        var pass = await CheckPendingAsync();

        Assert.True(pass.Ran);
        Assert.Equal(1, pass.Credited);
        Assert.Equal(88.80m, await BalanceAsync(web));
        Assert.Equal("充值成功", ResultHeading(await web.GetAsync($"/Wallet/TopUp/{payment.Reference}")));
        Assert.Single(await LedgerAsync(buyer.UserId));
        // A second pass (or a late notification) changes nothing.
        Assert.Equal(0, (await CheckPendingAsync()).Credited);
        var late = NotificationBody(payment.Reference, payment.TradeNo, 88.80m);
        Assert.Equal("already_credited", (await NotifyAsync(late, Sign(late))).Reason);
        Assert.Equal(88.80m, await BalanceAsync(web));
    }

    [Fact]
    public async Task An_unpaid_top_up_past_its_time_is_expired_by_one_pass_and_can_no_longer_be_paid_or_credited()
    {
        var buyer = await TestAccounts.CreateAsync(App);
        using var web = await SignedInAsync(buyer);
        var payPage = await StartTopUpAsync(web, preset: "100");
        var payment = await PaymentOfAsync(payPage);
        await PassTimeAsync(payment.Reference, TimeSpan.FromMinutes(31));

        var pass = await CheckPendingAsync();

        Assert.Equal(1, pass.Expired);
        Assert.Equal(TopUpStatus.Expired, (await TopUpAsync(payment.Reference)).Status);
        var closedResult = await web.GetAsync($"/Wallet/TopUp/{payment.Reference}");
        Assert.Equal("充值已关闭", ResultHeading(closedResult));
        Assert.Null(closedResult.Document.QuerySelector("[data-testid=continue-paying-form]"));
        Assert.Equal("已过期", (await web.GetAsync("/Wallet")).Document.QuerySelector("[data-testid=top-ups] [data-testid=top-up-status]")?.TextContent.Trim());

        // The gateway closed the payment: its page no longer offers to pay, and a pay post is refused.
        var closed = await web.GetAsync(payPage.Url);
        Assert.Null(closed.Document.QuerySelector("[data-testid=sandbox-pay-form]"));
        Assert.Contains("这笔交易已关闭或已超时", closed.Document.QuerySelector("[data-testid=sandbox-state]")?.TextContent, StringComparison.Ordinal);
        var payAnyway = await web.Client.PostAsync(payPage.Url + "?handler=Pay", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = payPage.Document.QuerySelector("form[data-testid=sandbox-pay-form] input[name=__RequestVerificationToken]")!.GetAttribute("value")!,
        }));
        Assert.Equal(HttpStatusCode.OK, payAnyway.StatusCode);
        Assert.Equal(SandboxPaymentStatus.Closed, (await SandboxPaymentAsync(payment.TradeNo)).Status);

        // Even a correctly signed "paid" notification credits nothing now.
        var late = NotificationBody(payment.Reference, payment.TradeNo, 100.00m);
        var refused = await NotifyAsync(late, Sign(late));
        Assert.Equal(HttpStatusCode.Conflict, refused.Status);
        Assert.Equal((false, "top_up_expired"), (refused.Ok, refused.Reason));
        Assert.Equal(0m, await BalanceAsync(web));
        Assert.Empty(await LedgerAsync(buyer.UserId));
    }

    [Fact]
    public async Task A_payment_made_just_before_the_expiry_pass_is_credited_not_expired()
    {
        using var web = await SignedInAsync(await TestAccounts.CreateAsync(App));
        var payPage = await StartTopUpAsync(web, preset: "50");
        var payment = await PaymentOfAsync(payPage);
        await web.SubmitAsync(payPage.Url, "form[data-testid=sandbox-pay-lost-form]", new Dictionary<string, string>());
        await PassTimeAsync(payment.Reference, TimeSpan.FromMinutes(31));

        var pass = await CheckPendingAsync();

        Assert.Equal((1, 0), (pass.Credited, pass.Expired));
        Assert.Equal(TopUpStatus.Paid, (await TopUpAsync(payment.Reference)).Status);
        Assert.Equal(50.00m, await BalanceAsync(web));
    }

    [Fact]
    public async Task A_buyer_who_cancels_on_the_sandbox_page_can_go_back_and_pay_the_same_payment()
    {
        var buyer = await TestAccounts.CreateAsync(App);
        using var web = await SignedInAsync(buyer);
        var payPage = await StartTopUpAsync(web, preset: "50");
        var topUpNo = payPage.Document.QuerySelector("[data-testid=sandbox-reference]")!.TextContent.Trim();

        var cancelled = await web.FollowAsync(await web.SubmitAsync(payPage.Url, "form[data-testid=sandbox-cancel-form]", new Dictionary<string, string>()));
        Assert.Equal("正在确认支付结果…", ResultHeading(cancelled));
        var resumed = await web.SubmitAsync($"/Wallet/TopUp/{topUpNo}", "form[data-testid=continue-paying-form]", new Dictionary<string, string>());

        Assert.Equal(payPage.Url, resumed.Location);
        using var scope = App.Services.CreateScope();
        Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<CardMallDbContext>().Set<SandboxPayment>().CountAsync(p => p.Reference == topUpNo));
        Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<CardMallDbContext>().TopUps.CountAsync(t => t.UserId == buyer.UserId));
    }

    [Fact]
    public async Task Buyer_B_cannot_see_buyer_A_top_up()
    {
        using var webA = await SignedInAsync(await TestAccounts.CreateAsync(App));
        using var webB = await SignedInAsync(await TestAccounts.CreateAsync(App));
        var payment = await PaymentOfAsync(await StartTopUpAsync(webA, preset: "100"));

        Assert.Equal(HttpStatusCode.OK, (await webA.GetAsync($"/Wallet/TopUp/{payment.Reference}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await webB.GetAsync($"/Wallet/TopUp/{payment.Reference}")).Status);
        Assert.DoesNotContain(payment.Reference, (await webB.GetAsync("/Wallet")).Html, StringComparison.Ordinal);
        using var anonymous = new WebSession(App);
        var signIn = await anonymous.GetAsync($"/Wallet/TopUp/{payment.Reference}");
        Assert.StartsWith("http://localhost/Account/Login", signIn.Location, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("0.5")]
    [InlineData("50000.01")]
    [InlineData("12.345")]
    [InlineData("-100")]
    [InlineData("一百")]
    public async Task The_top_up_form_refuses_amounts_outside_1_to_50000_and_starts_nothing(string amount)
    {
        var buyer = await TestAccounts.CreateAsync(App);
        using var web = await SignedInAsync(buyer);

        var page = await web.SubmitAsync("/Wallet", "form[data-testid=top-up-form]", new Dictionary<string, string> { ["Input.Preset"] = "100", ["Input.Other"] = amount });

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal(["充值金额须在 1 到 50,000 元之间，最多两位小数。"], page.FieldErrors("Input.Amount"));
        Assert.Equal(amount, page.Document.QuerySelector("#Input_Other")?.GetAttribute("value"));
        using var scope = App.Services.CreateScope();
        Assert.False(await scope.ServiceProvider.GetRequiredService<CardMallDbContext>().TopUps.AnyAsync(t => t.UserId == buyer.UserId));
    }

    [Fact]
    public async Task The_top_up_form_speaks_English_and_accepts_the_largest_amount()
    {
        var buyer = await TestAccounts.CreateAsync(App);
        using var web = new WebSession(App, "en-US");
        await web.SignInAsync(buyer.Email, buyer.Password);

        var refused = await web.SubmitAsync("/Wallet", "form[data-testid=top-up-form]", new Dictionary<string, string> { ["Input.Other"] = "0" });
        Assert.Equal(["The amount must be between 1 and 50,000 yuan, with at most two decimals."], refused.FieldErrors("Input.Amount"));

        var payPage = await StartTopUpAsync(web, other: "50000");
        Assert.Equal("¥50,000.00", payPage.Document.QuerySelector("[data-testid=sandbox-amount]")?.TextContent.Trim());
        Assert.Contains("Sandbox Pay", payPage.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_the_sandbox_switched_off_its_pay_page_is_gone_and_its_notifications_are_refused()
    {
        using var web = await SignedInAsync(await TestAccounts.CreateAsync(App));
        var payPage = await StartTopUpAsync(web, preset: "100");
        var payment = await PaymentOfAsync(payPage);

        await using var switchedOff = new ShopFactory(shop.Database.ConnectionString);
        switchedOff.Settings["CardMall:Sandbox:Enabled"] = "false";
        switchedOff.Settings["CardMall:Sandbox:PaymentSecret"] = PaymentShopFixture.Secret;
        using var offWeb = new WebSession(switchedOff);
        Assert.Equal(HttpStatusCode.NotFound, (await offWeb.GetAsync(payPage.Url)).Status);
        var body = NotificationBody(payment.Reference, payment.TradeNo, 100.00m);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/payments/sandbox/notify") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add(SandboxSignature.Header, Sign(body));
        Assert.Equal(HttpStatusCode.Unauthorized, (await switchedOff.CreateClient().SendAsync(request)).StatusCode);
        Assert.Equal(0m, await BalanceAsync(web));
    }

    // ---- steps ----

    private async Task<WebSession> SignedInAsync(TestAccount buyer)
    {
        var web = new WebSession(App);
        await web.SignInAsync(buyer.Email, buyer.Password);
        return web;
    }

    /// <summary>Sends the wallet page's top-up form and follows the redirect to the sandbox pay page.</summary>
    private static async Task<PayPage> StartTopUpAsync(WebSession web, string? preset = null, string? other = null)
    {
        var fields = new Dictionary<string, string> { ["Input.Preset"] = preset ?? "100", ["Input.Other"] = other ?? "" };
        var started = await web.SubmitAsync("/Wallet", "form[data-testid=top-up-form]", fields);
        Assert.Equal(HttpStatusCode.Redirect, started.Status);
        Assert.StartsWith("/Sandbox/Pay/SB", started.Location, StringComparison.Ordinal);
        var page = await web.FollowAsync(started);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        return new PayPage(started.Location!, page);
    }

    private async Task<SandboxPayment> PaymentOfAsync(PayPage payPage) => await SandboxPaymentAsync(payPage.Url["/Sandbox/Pay/".Length..]);

    private async Task<SandboxPayment> SandboxPaymentAsync(string tradeNo)
    {
        using var scope = App.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<CardMallDbContext>().Set<SandboxPayment>().AsNoTracking().SingleAsync(p => p.TradeNo == tradeNo);
    }

    private async Task<TopUp> TopUpAsync(string topUpNo)
    {
        using var scope = App.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<CardMallDbContext>().TopUps.AsNoTracking().SingleAsync(t => t.No == topUpNo);
    }

    private async Task<List<LedgerEntry>> LedgerAsync(Guid userId)
    {
        using var scope = App.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<CardMallDbContext>().LedgerEntries.AsNoTracking().Where(e => e.UserId == userId).ToListAsync();
    }

    /// <summary>The balance the buyer sees on the wallet page.</summary>
    private static async Task<decimal> BalanceAsync(WebSession web)
    {
        var page = await web.GetAsync("/Wallet");
        var text = page.Document.QuerySelector("[data-testid=wallet-balance]")!.TextContent.Trim();
        return decimal.Parse(text.TrimStart('¥'), System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string? ResultHeading(WebSession.Page page) => page.Document.QuerySelector("[data-testid=top-up-result]")?.TextContent.Trim();

    /// <summary>One watcher pass with no minimum age, as the background service would run it later.</summary>
    private async Task<PendingTopUpsChecked> CheckPendingAsync()
    {
        using var scope = App.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new CheckPendingTopUps(TimeSpan.Zero));
    }

    /// <summary>Moves one top-up (and its sandbox payment) back in time, as if the buyer had walked away for a while.</summary>
    private async Task PassTimeAsync(string topUpNo, TimeSpan elapsed)
    {
        using var scope = App.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CardMallDbContext>();
        await db.Database.ExecuteSqlAsync($"UPDATE top_ups SET created_at = created_at - {elapsed}, expires_at = expires_at - {elapsed} WHERE no = {topUpNo}");
        await db.Database.ExecuteSqlAsync($"UPDATE sandbox_payments SET created_at = created_at - {elapsed}, expires_at = expires_at - {elapsed} WHERE reference = {topUpNo}");
    }

    private static string NotificationBody(string topUpNo, string tradeNo, decimal amount) =>
        JsonSerializer.Serialize(new { reference = topUpNo, tradeNo, amount, status = "paid", paidAt = DateTimeOffset.UtcNow });

    private static string Sign(string body) =>
        SandboxSignature.Sign(Encoding.UTF8.GetBytes(PaymentShopFixture.Secret), Encoding.UTF8.GetBytes(body));

    private async Task<NotifyAnswer> NotifyAsync(string body, string? signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/payments/sandbox/notify") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (signature is not null) request.Headers.Add(SandboxSignature.Header, signature);
        using var client = App.CreateClient();
        using var response = await client.SendAsync(request);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        return new NotifyAnswer(response.StatusCode, json.GetProperty("ok").GetBoolean(), json.GetProperty("reason").GetString());
    }

    private sealed record NotifyAnswer(HttpStatusCode Status, bool Ok, string? Reason);

    private sealed record PayPage(string Url, WebSession.Page Page)
    {
        public AngleSharp.Html.Dom.IHtmlDocument Document => Page.Document;
        public string Html => Page.Html;
    }
}
