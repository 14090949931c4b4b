using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CardMall.Application.Abstractions;
using CardMall.Application.Features.Orders;
using CardMall.Application.Features.Payments;
using CardMall.Application.Features.Tickets;
using CardMall.Domain.Accounts;
using CardMall.Domain.Tickets;
using CardMall.Infrastructure.Payments;
using CardMall.IntegrationTests.Support;
using CardMall.Web.Payments;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CardMall.IntegrationTests.Tickets;

/// <summary>
/// After-sales refunds on orders paid through a gateway (the sandbox): back the way the money came by default, to the
/// wallet when the buyer asks for it on the ticket; the order and the refund record show which, and it happens once.
/// </summary>
public sealed class GatewayRefundTests(TicketShop shop) : IClassFixture<TicketShop>
{
    private readonly TicketTestKit _kit = new(shop);

    [Fact]
    public async Task A_refund_goes_back_through_the_gateway_unless_the_buyer_chose_the_wallet()
    {
        var (sku, _) = await _kit.Shop.ProductWithKeysAsync(4, price: 20.00m);
        var buyer = await _kit.BuyerAsync(0m);
        var agent = await _kit.StaffAsync(ShopRoles.Agent);

        var byGateway = await PaidThroughSandboxAsync(buyer, sku);
        var first = await _kit.FileTicketAsync(byGateway);
        await _kit.SendAsync(agent, new IssuePayout(first, PayoutKind.Refund, 20.00m, "Key invalid, confirmed by the supplier", "g1"));
        await _kit.SendAsync(agent, new PayBackPayments());
        await _kit.SendAsync(agent, new PayBackPayments());

        Assert.Equal(("AfterSales", "Refunded"), (
            await _kit.ScalarAsync<string>("SELECT reason FROM payment_refunds WHERE reference = $1", byGateway.OrderNo),
            await _kit.ScalarAsync<string>("SELECT status FROM payment_refunds WHERE reference = $1", byGateway.OrderNo)));
        Assert.Equal(20.00m, await _kit.ScalarAsync<decimal>("SELECT refunded_amount FROM sandbox_payments WHERE reference = $1", byGateway.OrderNo));
        Assert.Equal(20.00m, await _kit.RefundedAsync(byGateway.OrderNo));
        Assert.Equal(0L, await _kit.CountAsync("SELECT count(*) FROM ledger_entries WHERE user_id = $1", buyer.UserId));

        var toWallet = await PaidThroughSandboxAsync(buyer, sku);
        var second = await _kit.FileTicketAsync(toWallet);
        Assert.True(await _kit.SendAsync(buyer, new ChooseRefundDestination(second, ToWallet: true)));
        await _kit.SendAsync(agent, new IssuePayout(second, PayoutKind.Refund, 20.00m, "Key invalid, confirmed by the supplier", "g2"));
        await _kit.SendAsync(agent, new PayBackPayments());

        Assert.Equal("ToWallet", await _kit.ScalarAsync<string>("SELECT status FROM payment_refunds WHERE reference = $1", toWallet.OrderNo));
        Assert.Equal(0.00m, await _kit.ScalarAsync<decimal>("SELECT refunded_amount FROM sandbox_payments WHERE reference = $1", toWallet.OrderNo));
        Assert.Equal(20.00m, await _kit.BalanceAsync(buyer));
        await _kit.AssertWalletsMatchLedgerAsync();

        // The ticket page offers the choice only on a gateway-paid order, and only to its buyer.
        using var web = await _kit.SignInAsync(buyer);
        var page = await web.GetAsync("/Tickets/" + second);
        Assert.NotNull(page.Document.QuerySelector("[data-testid=refund-destination]"));
        // The order pages show where each refund went.
        Assert.Equal("Refunded", (await web.GetAsync("/Orders/" + byGateway.OrderNo)).Document.QuerySelector("[data-testid=order-refund]")?.GetAttribute("data-status"));
        Assert.Equal("ToWallet", (await web.GetAsync("/Orders/" + toWallet.OrderNo)).Document.QuerySelector("[data-testid=order-refund]")?.GetAttribute("data-status"));
        var stranger = await _kit.BuyerAsync(0m);
        Assert.IsType<Domain.Common.NotFoundException>(await _kit.RefusalAsync(stranger, new ChooseRefundDestination(first, ToWallet: true)));
    }

    /// <summary>An order paid through the sandbox: placed by the API, paid on the sandbox, settled as its notification would.</summary>
    private async Task<BoughtOrder> PaidThroughSandboxAsync(Actor buyer, string sku)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders")
        {
            Content = JsonContent.Create(new { sku, quantity = 1, acceptNotices = true, payment = "sandbox" }),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        var client = _kit.App.ApiClient(buyer.Account.ApiKey);
        var placed = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        var orderNo = (await placed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderNo").GetString()!;

        var payment = await _kit.QueryAsync(db => db.Set<SandboxPayment>().AsNoTracking().SingleAsync(p => p.Reference == orderNo));
        using (var scope = _kit.App.Services.CreateScope())
            Assert.True(await scope.ServiceProvider.GetRequiredService<SandboxCashier>().PayAsync(payment.TradeNo, loseNotification: true, CancellationToken.None));
        Assert.Equal(OrderSettlement.Delivered, await _kit.SendAsync(buyer, new SettleOrderPayment("sandbox",
            new GatewayPayment(orderNo, payment.TradeNo, payment.Amount, GatewayPaymentStatus.Paid, DateTimeOffset.UtcNow))));

        var order = await client.GetFromJsonAsync<JsonElement>("/api/v1/orders/" + orderNo);
        var items = order.GetProperty("items").EnumerateArray().ToList();
        return new BoughtOrder(buyer, sku, orderNo, items.Select(i => i.GetProperty("itemId").GetGuid()).ToList(),
            items.Select(i => i.GetProperty("code").GetString()!).ToList());
    }
}
