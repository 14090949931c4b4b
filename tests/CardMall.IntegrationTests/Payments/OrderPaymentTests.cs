using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CardMall.Application.Abstractions;
using CardMall.Application.Features.Orders;
using CardMall.Application.Features.Payments;
using CardMall.Infrastructure.Payments;
using CardMall.Infrastructure.Persistence;
using CardMall.IntegrationTests.Support;
using CardMall.TestSupport;
using CardMall.Web.Payments;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CardMall.IntegrationTests.Payments;

/// <summary>The payment tests' shop (<see cref="PaymentShopFixture"/>) on a clock the tests move, so expiry is a step, not a wait.</summary>
public sealed class OrderPaymentFixture : PaymentShopFixture
{
    public TestClock Clock { get; } = new();

    protected override void AddServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);
}

/// <summary>
/// Orders paid through a gateway (the sandbox), against PostgreSQL: keys reserved while the buyer pays, delivered once
/// however the payment is reported, given back when nobody pays, and money that cannot be taken paid back once.
/// </summary>
public sealed class OrderPaymentTests(OrderPaymentFixture shop) : IClassFixture<OrderPaymentFixture>
{
    private readonly TestShop _shop = new(shop.Factory);
    private ShopFactory App => shop.Factory;

    [Fact]
    public async Task Fifty_buyers_racing_for_twenty_keys_by_direct_payment_reserve_twenty_and_twenty_payments_deliver_twenty()
    {
        var (sku, _) = await _shop.ProductWithKeysAsync(20, price: 10.00m);
        var buyers = new List<TestAccount>();
        for (var i = 0; i < 50; i++) buyers.Add(await _shop.BuyerAsync(0m));

        var responses = await Task.WhenAll(buyers.Select(b => Task.Run(() => BuyAsync(b, sku, 1, "sandbox"))));

        var reserved = new List<(TestAccount Buyer, JsonElement Order)>();
        for (var i = 0; i < buyers.Count; i++)
        {
            var body = await responses[i].Content.ReadFromJsonAsync<JsonElement>();
            if (responses[i].StatusCode == HttpStatusCode.Created) reserved.Add((buyers[i], body));
            else Assert.Equal((HttpStatusCode.Conflict, "out_of_stock"), (responses[i].StatusCode, body.GetProperty("code").GetString()));
        }
        Assert.Equal(20, reserved.Count);
        foreach (var (_, order) in reserved)
        {
            Assert.Equal("awaiting_payment", order.GetProperty("status").GetString());
            Assert.Equal(10.00m, order.GetProperty("total").GetDecimal());
            Assert.StartsWith("http", order.GetProperty("payUrl").GetString(), StringComparison.Ordinal);
            Assert.True(order.GetProperty("payBy").GetDateTimeOffset() > shop.Clock.GetUtcNow().AddMinutes(14));
            Assert.Equal(0, order.GetProperty("items").GetArrayLength());
        }

        // Reserved keys are nobody else's: not shown as stock, not sold to a buyer with money in hand.
        Assert.Equal(0, await StockAsync(sku));
        var rich = await _shop.BuyerAsync(100.00m);
        Assert.Equal(HttpStatusCode.Conflict, (await BuyAsync(rich, sku, 1, "wallet")).StatusCode);

        // All twenty pay at once; each notification is delivered.
        var paid = await Task.WhenAll(reserved.Select(r => Task.Run(() => PayAndNotifyAsync(r.Order.GetProperty("orderNo").GetString()!))));
        Assert.All(paid, answer => Assert.Equal("delivered", answer));

        await using var conn = await OpenAsync();
        Assert.Equal(20L, await conn.ScalarAsync<long>("""
            SELECT count(DISTINCT i.card_key_id) FROM order_items i JOIN orders o ON o.id = i.order_id JOIN products p ON p.id = o.product_id
            WHERE p.sku = $1 AND o.status = 'Delivered'
            """, sku));
        Assert.Equal(20L, await conn.ScalarAsync<long>(
            "SELECT count(*) FROM card_keys k JOIN products p ON p.id = k.product_id WHERE p.sku = $1 AND k.state = 'Sold' AND k.sold_at IS NOT NULL", sku));
        foreach (var (buyer, order) in reserved)
        {
            var delivered = await App.ApiClient(buyer.ApiKey).GetFromJsonAsync<JsonElement>("/api/v1/orders/" + order.GetProperty("orderNo").GetString());
            Assert.Equal("delivered", delivered.GetProperty("status").GetString());
            var item = Assert.Single(delivered.GetProperty("items").EnumerateArray());
            Assert.StartsWith("K", item.GetProperty("code").GetString(), StringComparison.Ordinal);
        }
        // Nobody's wallet was touched by a gateway order.
        Assert.Equal(0L, await conn.ScalarAsync<long>("SELECT count(*) FROM ledger_entries WHERE user_id = ANY($1)", buyers.Select(b => b.UserId).ToArray()));
        await IntegrityChecks.AssertHoldAsync(shop.Database);
    }

    [Fact]
    public async Task A_notification_replayed_ten_times_at_once_delivers_once()
    {
        var (sku, _) = await _shop.ProductWithKeysAsync(3, price: 25.00m);
        var buyer = await _shop.BuyerAsync(0m);
        var orderNo = (await (await BuyAsync(buyer, sku, 2, "sandbox")).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderNo").GetString()!;
        var payment = await PayAtSandboxAsync(orderNo);
        var body = NotificationBody(orderNo, payment.TradeNo, 50.00m);

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => NotifyAsync(body, Sign(body)))));

        Assert.All(answers, a => Assert.True(a.Ok));
        Assert.Equal(1, answers.Count(a => a.Reason == "delivered"));
        Assert.Equal(9, answers.Count(a => a.Reason == "already_delivered"));
        await using var conn = await OpenAsync();
        Assert.Equal(2L, await conn.ScalarAsync<long>("""
            SELECT count(*) FROM card_key_events e JOIN orders o ON o.id = e.order_id WHERE o.no = $1 AND e.kind = 'Sold'
            """, orderNo));
        Assert.Equal(1L, await conn.ScalarAsync<long>("SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = 'OrderPaid'", buyer.UserId));
        Assert.Equal(0L, await conn.ScalarAsync<long>("SELECT count(*) FROM payment_refunds WHERE reference = $1", orderNo));
        Assert.Equal(1, await StockAsync(sku));
    }

    [Fact]
    public async Task An_unpaid_order_expires_and_returns_its_keys_and_a_payment_after_that_is_paid_back_once()
    {
        var (sku, _) = await _shop.ProductWithKeysAsync(2, price: 30.00m);
        var buyer = await _shop.BuyerAsync(0m);
        var orderNo = (await (await BuyAsync(buyer, sku, 2, "sandbox")).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderNo").GetString()!;
        Assert.Equal(0, await StockAsync(sku));

        // Still in time: the watcher asks the gateway, which has no payment yet, and leaves the order alone.
        Assert.Equal(0, (await SendAsync(new CheckAwaitingOrders(TimeSpan.Zero))).Expired);
        shop.Clock.Advance(TimeSpan.FromMinutes(16));
        var pass = await SendAsync(new CheckAwaitingOrders(TimeSpan.Zero));

        Assert.True(pass.Expired >= 1, $"{pass}: " + string.Join("\n", App.Logs.Lines.Where(l => l.StartsWith("Warning", StringComparison.Ordinal) || l.StartsWith("Error", StringComparison.Ordinal)).TakeLast(5)));
        Assert.Equal(2, await StockAsync(sku));
        var expired = await App.ApiClient(buyer.ApiKey).GetFromJsonAsync<JsonElement>("/api/v1/orders/" + orderNo);
        Assert.Equal("expired", expired.GetProperty("status").GetString());
        Assert.Equal(0, expired.GetProperty("items").GetArrayLength());
        // The keys are stock again: another buyer takes them from the wallet.
        var other = await _shop.BuyerAsync(100.00m);
        Assert.Equal(HttpStatusCode.Created, (await BuyAsync(other, sku, 2, "wallet")).StatusCode);

        // The buyer's payment reached the gateway after all (it beat the close), and its notification arrives three times.
        await using var conn = await OpenAsync();
        await conn.ExecuteAsync("UPDATE sandbox_payments SET status = 'Paid', paid_at = now() WHERE reference = $1", orderNo);
        var tradeNo = await conn.ScalarAsync<string>("SELECT trade_no FROM sandbox_payments WHERE reference = $1", orderNo);
        var body = NotificationBody(orderNo, tradeNo, 60.00m);
        var answers = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => NotifyAsync(body, Sign(body)))));
        Assert.All(answers, a => Assert.Equal((true, "paying_back"), (a.Ok, a.Reason)));
        Assert.Equal(1L, await conn.ScalarAsync<long>("SELECT count(*) FROM payment_refunds WHERE reference = $1 AND reason = 'LatePayment'", orderNo));

        // The refunder gives it back through the gateway once, however often it runs.
        var first = await SendAsync(new PayBackPayments());
        var second = await SendAsync(new PayBackPayments());
        Assert.True(first.Done >= 1);
        Assert.Equal(0, second.Due);
        Assert.Equal("Refunded", await conn.ScalarAsync<string>("SELECT status FROM payment_refunds WHERE reference = $1", orderNo));
        Assert.Equal(60.00m, await conn.ScalarAsync<decimal>("SELECT refunded_amount FROM sandbox_payments WHERE reference = $1", orderNo));
        Assert.Equal(1L, await conn.ScalarAsync<long>("SELECT count(*) FROM sandbox_refunds r JOIN sandbox_payments p ON p.trade_no = r.trade_no WHERE p.reference = $1", orderNo));
        Assert.Equal(1L, await conn.ScalarAsync<long>("SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = 'PaymentReturned'", buyer.UserId));
        Assert.Equal("expired", (await App.ApiClient(buyer.ApiKey).GetFromJsonAsync<JsonElement>("/api/v1/orders/" + orderNo)).GetProperty("status").GetString());
        await IntegrityChecks.AssertHoldAsync(shop.Database);
    }

    [Fact]
    public async Task A_refund_the_gateway_cannot_make_goes_to_the_wallet_once()
    {
        var (sku, _) = await _shop.ProductWithKeysAsync(1, price: 18.00m);
        var buyer = await _shop.BuyerAsync(0m);
        var orderNo = (await (await BuyAsync(buyer, sku, 1, "sandbox")).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderNo").GetString()!;
        var payment = await PayAtSandboxAsync(orderNo);
        var body = NotificationBody(orderNo, payment.TradeNo, 18.00m);
        Assert.Equal("delivered", (await NotifyAsync(body, Sign(body))).Reason);

        // A second, different payment for the same order (as an aggregator may allow) cannot be taken.
        var twice = NotificationBody(orderNo, payment.TradeNo + "B", 18.00m);
        Assert.Equal("paying_back", (await NotifyAsync(twice, Sign(twice))).Reason);
        // The sandbox knows no such trade, so it refuses the refund; after the last attempt the money goes to the wallet.
        for (var attempt = 0; attempt < 6; attempt++)
        {
            await SendAsync(new PayBackPayments());
            shop.Clock.Advance(TimeSpan.FromHours(2));
        }

        await using var conn = await OpenAsync();
        Assert.Equal(("ToWallet", "DuplicatePayment"), (
            await conn.ScalarAsync<string>("SELECT status FROM payment_refunds WHERE reference = $1", orderNo),
            await conn.ScalarAsync<string>("SELECT reason FROM payment_refunds WHERE reference = $1", orderNo)));
        var wallet = await App.ApiClient(buyer.ApiKey).GetFromJsonAsync<JsonElement>("/api/v1/wallet");
        Assert.Equal(18.00m, wallet.GetProperty("balance").GetDecimal());
        Assert.Equal(1L, await conn.ScalarAsync<long>("SELECT count(*) FROM ledger_entries WHERE user_id = $1 AND kind = 'Refund' AND reference = $2", buyer.UserId, orderNo));
        Assert.Equal("delivered", (await App.ApiClient(buyer.ApiKey).GetFromJsonAsync<JsonElement>("/api/v1/orders/" + orderNo)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_tampered_or_short_paid_notification_delivers_nothing()
    {
        var (sku, _) = await _shop.ProductWithKeysAsync(1, price: 40.00m);
        var buyer = await _shop.BuyerAsync(0m);
        var orderNo = (await (await BuyAsync(buyer, sku, 1, "sandbox")).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderNo").GetString()!;
        var payment = await PayAtSandboxAsync(orderNo);

        var genuine = NotificationBody(orderNo, payment.TradeNo, 40.00m);
        var tampered = NotificationBody(orderNo, payment.TradeNo, 4.00m);
        Assert.Equal((false, "bad_signature"), Pair(await NotifyAsync(tampered, Sign(genuine))));
        Assert.Equal((false, "amount_mismatch"), Pair(await NotifyAsync(tampered, Sign(tampered))));
        var stranger = NotificationBody("CM2026010100000000", "SB1", 40m);
        Assert.Equal((false, "unknown_order"), Pair(await NotifyAsync(stranger, Sign(stranger))));

        var order = await App.ApiClient(buyer.ApiKey).GetFromJsonAsync<JsonElement>("/api/v1/orders/" + orderNo);
        Assert.Equal("awaiting_payment", order.GetProperty("status").GetString());
        Assert.Equal(0, order.GetProperty("items").GetArrayLength());
        // The lost (refused) notification does not lose the sale: the watcher finds the payment at the gateway.
        Assert.Equal(1, (await SendAsync(new CheckAwaitingOrders(TimeSpan.Zero))).Delivered);
        order = await App.ApiClient(buyer.ApiKey).GetFromJsonAsync<JsonElement>("/api/v1/orders/" + orderNo);
        Assert.Equal("delivered", order.GetProperty("status").GetString());
        Assert.Single(order.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task An_unknown_gateway_is_a_clear_400_and_one_buyer_cannot_hold_more_than_three_unpaid_orders()
    {
        var (sku, _) = await _shop.ProductWithKeysAsync(10, price: 5.00m);
        var buyer = await _shop.BuyerAsync(0m);

        var unknown = await BuyAsync(buyer, sku, 1, "paypal");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        var problem = await unknown.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("validation_failed", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("payment", out _) || problem.GetProperty("errors").TryGetProperty("Payment", out _));

        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.Created, (await BuyAsync(buyer, sku, 1, "sandbox")).StatusCode);
        var fourth = await BuyAsync(buyer, sku, 1, "sandbox");
        Assert.Equal(HttpStatusCode.TooManyRequests, fourth.StatusCode);
        Assert.Equal("rate_limited", (await fourth.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        // Three reserved, seven still for sale: one account cannot take a product's stock hostage.
        Assert.Equal(7, await StockAsync(sku));
    }

    private static (bool, string) Pair(NotifyAnswer a) => (a.Ok, a.Reason);

    private async Task<HttpResponseMessage> BuyAsync(TestAccount buyer, string sku, int quantity, string payment)
    {
        var client = App.ApiClient(buyer.ApiKey);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders")
        {
            Content = JsonContent.Create(new { sku, quantity, acceptNotices = true, payment }),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        return await client.SendAsync(request);
    }

    private async Task<int> StockAsync(string sku) =>
        (await App.ApiClient((await _shop.OperatorAsync()).ApiKey).GetFromJsonAsync<JsonElement>("/api/v1/products/" + sku)).GetProperty("stock").GetInt32();

    /// <summary>The buyer pays on the sandbox's page, whose notification is then left to the test.</summary>
    private async Task<SandboxPayment> PayAtSandboxAsync(string orderNo)
    {
        using var scope = App.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CardMallDbContext>();
        var payment = await db.Set<SandboxPayment>().AsNoTracking().SingleAsync(p => p.Reference == orderNo);
        Assert.True(await scope.ServiceProvider.GetRequiredService<SandboxCashier>().PayAsync(payment.TradeNo, loseNotification: true, CancellationToken.None));
        return payment;
    }

    private async Task<string> PayAndNotifyAsync(string orderNo)
    {
        var payment = await PayAtSandboxAsync(orderNo);
        var body = NotificationBody(orderNo, payment.TradeNo, payment.Amount);
        return (await NotifyAsync(body, Sign(body))).Reason;
    }

    private async Task<T> SendAsync<T>(IRequest<T> request)
    {
        using var scope = App.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(request);
    }

    private static string NotificationBody(string reference, string tradeNo, decimal amount) =>
        JsonSerializer.Serialize(new { reference, tradeNo, amount, status = "paid", paidAt = DateTimeOffset.UtcNow });

    private static string Sign(string body) =>
        SandboxSignature.Sign(Encoding.UTF8.GetBytes(PaymentShopFixture.Secret), Encoding.UTF8.GetBytes(body));

    private async Task<NotifyAnswer> NotifyAsync(string body, string signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/payments/sandbox/notify") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add(SandboxSignature.Header, signature);
        var response = await App.CreateClient().SendAsync(request);
        return (await response.Content.ReadFromJsonAsync<NotifyAnswer>())!;
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var conn = new NpgsqlConnection(shop.Database.ConnectionString);
        await conn.OpenAsync();
        return conn;
    }

    private sealed record NotifyAnswer(bool Ok, string Reason);
}
