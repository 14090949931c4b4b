using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CardMall.Application.Abstractions;
using CardMall.Application.Features.Orders;
using CardMall.Application.Features.Payments;
using CardMall.Domain.Payments;
using CardMall.Infrastructure.Persistence;
using CardMall.IntegrationTests.Support;
using CardMall.TestSupport;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CardMall.IntegrationTests.Payments;

/// <summary>
/// Orders paid through Alipay and epay, end to end through the API against local fakes of the providers: the pay
/// address, the signed notification, tampering and wrong amounts, a lost notification found by the watcher, a late
/// payment paid back once.
/// </summary>
public sealed class GatewayOrderTests(GatewayShopFixture shop) : IClassFixture<GatewayShopFixture>
{
    private readonly TestShop _shop = new(shop.Factory);
    private ShopFactory App => shop.Factory;

    [Theory]
    [InlineData("alipay")]
    [InlineData("epay")]
    public async Task An_order_paid_at_the_provider_is_delivered_with_its_keys_once_the_signed_notification_arrives(string gateway)
    {
        var (sku, codes) = await _shop.ProductWithKeysAsync(2, price: 12.50m);
        var buyer = await TestAccounts.CreateAsync(App);

        var order = await OrderAsync(buyer, sku, 2, gateway);

        Assert.Equal("awaiting_payment", order.GetProperty("status").GetString());
        Assert.Equal(25.00m, order.GetProperty("total").GetDecimal());
        var orderNo = order.GetProperty("orderNo").GetString()!;
        var payUrl = order.GetProperty("payUrl").GetString()!;
        Assert.StartsWith(gateway == "alipay" ? shop.Alipay.GatewayUrl + "?" : shop.Epay.BaseUrl + "submit.php?", payUrl, StringComparison.Ordinal);
        await OpenCashierAsync(payUrl);
        Assert.Equal("awaiting_payment", (await ViewAsync(buyer, orderNo)).GetProperty("status").GetString());

        Assert.Equal("success", await PayAsync(gateway, orderNo));
        Assert.Equal("success", await PayAgainAsync(gateway, orderNo));

        var delivered = await ViewAsync(buyer, orderNo);
        Assert.Equal("delivered", delivered.GetProperty("status").GetString());
        var keys = delivered.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("code").GetString()).ToList();
        Assert.Equal(2, keys.Count);
        Assert.All(keys, k => Assert.Contains(k, codes));
        Assert.Empty(shop.Alipay.Refused);
        Assert.Empty(shop.Epay.Refused);
    }

    [Fact]
    public async Task The_phone_cashier_is_alipays_wap_pay_and_the_desktop_one_its_page_pay()
    {
        var gateway = App.Services.GetServices<IPaymentGateway>().Find("alipay")!;
        var desktop = await gateway.StartPaymentAsync(new PaymentRequest("CM20260101000001", 9.90m, DateTimeOffset.UtcNow.AddMinutes(15), "点卡 × 1", "/Orders/CM20260101000001"), default);
        var phone = await gateway.StartPaymentAsync(new PaymentRequest("CM20260101000002", 9.90m, DateTimeOffset.UtcNow.AddMinutes(15), "点卡 × 1", "/Orders/CM20260101000002", PayerDevice.Phone), default);

        await OpenCashierAsync(desktop.PayUrl);
        await OpenCashierAsync(phone.PayUrl);

        Assert.Equal("alipay.trade.page.pay", shop.Alipay.Find("CM20260101000001")!.Method);
        Assert.Equal("alipay.trade.wap.pay", shop.Alipay.Find("CM20260101000002")!.Method);
        Assert.Equal("http://localhost/payments/alipay/notify", shop.Alipay.Find("CM20260101000002")!.NotifyUrl);
    }

    [Theory]
    [InlineData("alipay")]
    [InlineData("epay")]
    public async Task A_tampered_or_wrongly_signed_notification_is_refused_and_nothing_is_delivered(string gateway)
    {
        var (sku, _) = await _shop.ProductWithKeysAsync(1, price: 30.00m);
        var buyer = await TestAccounts.CreateAsync(App);
        var order = await OrderAsync(buyer, sku, 1, gateway);
        var orderNo = order.GetProperty("orderNo").GetString()!;
        await OpenCashierAsync(order.GetProperty("payUrl").GetString()!);

        string? answer;
        if (gateway == "alipay")
        {
            // A cheaper amount under the original signature, and a notification signed with some other key.
            answer = await shop.Alipay.PayAsync(orderNo, tamper: f => new(f) { ["total_amount"] = "0.01" });
            Assert.Equal("fail", answer);
            using var stranger = System.Security.Cryptography.RSA.Create(2048);
            Assert.Equal("fail", await shop.Alipay.NotifyAsync(shop.Alipay.Find(orderNo)!, signWith: stranger));
        }
        else
        {
            answer = await shop.Epay.PayAsync(orderNo, tamper: f => new(f) { ["money"] = "0.01" });
            Assert.Equal("fail", answer);
            Assert.Equal("fail", await shop.Epay.PayAsync(orderNo, tamper: f => new(f) { ["sign"] = new string('0', 32) }));
        }

        Assert.Equal("awaiting_payment", (await ViewAsync(buyer, orderNo)).GetProperty("status").GetString());
        Assert.DoesNotContain((await ViewAsync(buyer, orderNo)).GetProperty("items").EnumerateArray(), i => i.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String);
        Assert.Contains(App.Logs.Lines, l => l.Contains("bad signature", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("alipay")]
    [InlineData("epay")]
    public async Task A_correctly_signed_notification_of_the_wrong_amount_is_refused(string gateway)
    {
        var (sku, _) = await _shop.ProductWithKeysAsync(1, price: 30.00m);
        var buyer = await TestAccounts.CreateAsync(App);
        var order = await OrderAsync(buyer, sku, 1, gateway);
        var orderNo = order.GetProperty("orderNo").GetString()!;
        await OpenCashierAsync(order.GetProperty("payUrl").GetString()!);

        var answer = gateway == "alipay" ? await shop.Alipay.PayAsync(orderNo, notifiedAmount: 3.00m) : await shop.Epay.PayAsync(orderNo, notifiedMoney: 3.00m);

        Assert.Equal("fail", answer);
        Assert.Equal("awaiting_payment", (await ViewAsync(buyer, orderNo)).GetProperty("status").GetString());
        Assert.Contains(App.Logs.Lines, l => l.Contains(orderNo, StringComparison.Ordinal) && l.Contains("nothing delivered", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("alipay")]
    [InlineData("epay")]
    public async Task A_payment_whose_notification_was_lost_is_delivered_by_one_watcher_pass(string gateway)
    {
        var (sku, codes) = await _shop.ProductWithKeysAsync(1, price: 8.00m);
        var buyer = await TestAccounts.CreateAsync(App);
        var order = await OrderAsync(buyer, sku, 1, gateway);
        var orderNo = order.GetProperty("orderNo").GetString()!;
        await OpenCashierAsync(order.GetProperty("payUrl").GetString()!);
        Assert.Null(gateway == "alipay" ? await shop.Alipay.PayAsync(orderNo, notify: false) : await shop.Epay.PayAsync(orderNo, notify: false));

        var pass = await SendAsync(new CheckAwaitingOrders(TimeSpan.Zero));

        Assert.True(pass.Delivered >= 1);
        var delivered = await ViewAsync(buyer, orderNo);
        Assert.Equal("delivered", delivered.GetProperty("status").GetString());
        Assert.Contains(delivered.GetProperty("items")[0].GetProperty("code").GetString(), codes);
    }

    [Fact]
    public async Task A_late_alipay_payment_after_expiry_is_refunded_once_through_alipay()
    {
        var (sku, _) = await _shop.ProductWithKeysAsync(1, price: 20.00m);
        var buyer = await TestAccounts.CreateAsync(App);
        var order = await OrderAsync(buyer, sku, 1, "alipay");
        var orderNo = order.GetProperty("orderNo").GetString()!;
        await ExpireAsync(orderNo);
        Assert.Equal("expired", (await ViewAsync(buyer, orderNo)).GetProperty("status").GetString());

        // The buyer still had the cashier open and pays after all.
        await OpenCashierAsync(order.GetProperty("payUrl").GetString()!);
        Assert.Equal("success", await shop.Alipay.PayAsync(orderNo));
        Assert.Equal("success", await PayAgainAsync("alipay", orderNo));

        Assert.Equal(1, (await SendAsync(new PayBackPayments())).Done);
        Assert.Equal(0, (await SendAsync(new PayBackPayments())).Done);

        var trade = shop.Alipay.Find(orderNo)!;
        Assert.Equal(20.00m, trade.Refunded);
        var refund = Assert.Single(await RefundsAsync(orderNo));
        Assert.Equal((PaymentRefundStatus.Refunded, trade.TradeNo), (refund.Status, refund.TradeNo));
        Assert.Equal("expired", (await ViewAsync(buyer, orderNo)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_late_epay_payment_goes_to_the_buyers_wallet_when_the_aggregator_cannot_refund()
    {
        var (sku, _) = await _shop.ProductWithKeysAsync(1, price: 15.00m);
        var buyer = await TestAccounts.CreateAsync(App);
        var order = await OrderAsync(buyer, sku, 1, "epay");
        var orderNo = order.GetProperty("orderNo").GetString()!;
        await OpenCashierAsync(order.GetProperty("payUrl").GetString()!);
        await ExpireAsync(orderNo);

        Assert.Equal("success", await shop.Epay.PayAsync(orderNo));
        Assert.Equal(1, (await SendAsync(new PayBackPayments())).Done);
        Assert.Equal(0, (await SendAsync(new PayBackPayments())).Done);

        Assert.Empty(shop.Epay.Refunds);
        Assert.Equal(PaymentRefundStatus.ToWallet, Assert.Single(await RefundsAsync(orderNo)).Status);
        var wallet = await App.ApiClient(buyer.ApiKey).GetFromJsonAsync<JsonElement>("/api/v1/wallet");
        Assert.Equal(15.00m, wallet.GetProperty("balance").GetDecimal());
    }

    [Fact]
    public async Task The_same_refund_number_asked_twice_of_alipay_pays_once()
    {
        var (sku, _) = await _shop.ProductWithKeysAsync(1, price: 40.00m);
        var buyer = await TestAccounts.CreateAsync(App);
        var order = await OrderAsync(buyer, sku, 1, "alipay");
        var orderNo = order.GetProperty("orderNo").GetString()!;
        await OpenCashierAsync(order.GetProperty("payUrl").GetString()!);
        await shop.Alipay.PayAsync(orderNo);
        var gateway = App.Services.GetServices<IPaymentGateway>().Find("alipay")!;
        var refund = new RefundRequest(orderNo, shop.Alipay.Find(orderNo)!.TradeNo, "RF" + orderNo[2..], 40.00m, "AfterSales");

        var first = await gateway.RefundAsync(refund, default);
        var second = await gateway.RefundAsync(refund, default);

        Assert.Equal((RefundOutcome.Refunded, RefundOutcome.Refunded), (first.Outcome, second.Outcome));
        Assert.Equal(40.00m, shop.Alipay.Find(orderNo)!.Refunded);
        Assert.Equal(40.00m, shop.Alipay.Refunds[refund.RefundNo]);
    }

    [Fact]
    public async Task Test_connection_works_with_the_right_credentials_and_never_shows_a_secret()
    {
        foreach (var code in new[] { "alipay", "epay" })
        {
            var check = await SendAsync(new TestPaymentGateway(code));
            Assert.True(check.Ok, check.Detail);
            Assert.DoesNotContain(shop.Epay.Key, check.Detail, StringComparison.Ordinal);
        }
        var rows = await SendAsync(new ListPaymentGateways());
        Assert.Equal(["sandbox", "alipay", "epay"], rows.Select(r => r.Code));
        var alipay = rows.Single(r => r.Code == "alipay");
        Assert.Equal(("2021****1234", "http://localhost/payments/alipay/notify", true), (alipay.MaskedMerchantId, alipay.NotifyUrl, alipay.AcceptsNewPayments));
    }

    // ---- steps ----

    private async Task<JsonElement> OrderAsync(TestAccount buyer, string sku, int quantity, string payment)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders") { Content = JsonContent.Create(new { sku, quantity, acceptNotices = true, payment }) };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        var response = await App.ApiClient(buyer.ApiKey).SendAsync(request);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<JsonElement> ViewAsync(TestAccount buyer, string orderNo) =>
        await App.ApiClient(buyer.ApiKey).GetFromJsonAsync<JsonElement>($"/api/v1/orders/{orderNo}");

    /// <summary>The buyer's browser opens the pay address: the fake checks the signed request and opens the trade.</summary>
    private static async Task OpenCashierAsync(string payUrl)
    {
        using var browser = new HttpClient();
        var response = await browser.GetAsync(payUrl);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private Task<string?> PayAsync(string gateway, string orderNo) =>
        gateway == "alipay" ? shop.Alipay.PayAsync(orderNo) : shop.Epay.PayAsync(orderNo);

    /// <summary>Providers send a notification again until they read "success"; the second must change nothing.</summary>
    private async Task<string?> PayAgainAsync(string gateway, string orderNo) =>
        gateway == "alipay" ? await shop.Alipay.NotifyAsync(shop.Alipay.Find(orderNo)!) : await shop.Epay.PayAsync(orderNo);

    /// <summary>The payment window passes (the order's clock moved back) and one watcher pass expires the order.</summary>
    private async Task ExpireAsync(string orderNo)
    {
        using (var scope = App.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CardMallDbContext>();
            var elapsed = TimeSpan.FromMinutes(20);
            await db.Database.ExecuteSqlAsync($"UPDATE orders SET created_at = created_at - {elapsed}, pay_by = pay_by - {elapsed} WHERE no = {orderNo}");
        }
        await SendAsync(new CheckAwaitingOrders(TimeSpan.Zero));
    }

    private async Task<List<PaymentRefund>> RefundsAsync(string orderNo)
    {
        using var scope = App.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<CardMallDbContext>().Set<PaymentRefund>().AsNoTracking().Where(r => r.Reference == orderNo).ToListAsync();
    }

    private async Task<T> SendAsync<T>(IRequest<T> request)
    {
        using var scope = App.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(request);
    }
}
