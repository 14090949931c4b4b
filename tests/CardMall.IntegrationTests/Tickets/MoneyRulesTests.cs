using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CardMall.Application.Features.Orders;
using CardMall.Application.Features.Tickets;
using CardMall.Domain.Accounts;
using CardMall.Domain.Common;
using CardMall.Domain.Tickets;
using CardMall.IntegrationTests.Support;

namespace CardMall.IntegrationTests.Tickets;

/// <summary>The shop with a small daily replacement limit for agents, so that a test can reach it.</summary>
public sealed class MoneyRulesShop : TicketShop
{
    protected override void AddSettings(IDictionary<string, string?> settings) =>
        settings[AfterSalesOptions.Section + ":" + nameof(AfterSalesOptions.AgentDailyReplacementLimit)] = "2";
}

/// <summary>
/// Issue 14, items 1 and 2 and the money race, performed as attacks against PostgreSQL: payout limits cannot be
/// split over tickets, orders or racing requests; compensation and refunds never pass what an order cost; staff
/// cannot handle their own purchases; a key has one open ticket; a refunded key is void and never replaced; hand
/// replacements have a daily limit; a wallet never pays for more than it holds.
/// </summary>
public sealed class MoneyRulesTests(MoneyRulesShop shop) : IClassFixture<MoneyRulesShop>
{
    private readonly TicketTestKit _kit = new(shop);

    private static DomainRuleException Rule(Exception? e) => Assert.IsAssignableFrom<DomainRuleException>(e);

    /// <summary>A buyer with an order of <paramref name="quantity"/> keys at <paramref name="price"/> and one ticket per key.</summary>
    private async Task<(BoughtOrder Order, List<string> Tickets)> OrderWithTicketPerKeyAsync(decimal price, int quantity)
    {
        var (sku, _) = await _kit.Shop.ProductWithKeysAsync(quantity + 2, price: price, maxPerOrder: 10);
        var order = await _kit.BuyAsync(await _kit.BuyerAsync(price * quantity), sku, quantity);
        var tickets = new List<string>();
        for (var i = 0; i < quantity; i++) tickets.Add(await _kit.FileTicketAsync(order, i));
        return (order, tickets);
    }

    private Task<long> PaidOnOrderAsync(string orderNo) => _kit.CountAsync(
        "SELECT count(*) FROM payouts WHERE status = 'Paid' AND order_id = (SELECT id FROM orders WHERE no = $1)", orderNo);

    [Fact]
    public async Task An_agent_splitting_compensation_over_many_tickets_of_one_order_waits_for_approval_beyond_the_limit()
    {
        var (order, tickets) = await OrderWithTicketPerKeyAsync(100.00m, 3);
        var agent = await _kit.StaffAsync(ShopRoles.Agent);
        var before = await _kit.BalanceAsync(order.Buyer);

        var first = await _kit.SendAsync(agent, new IssuePayout(tickets[0], PayoutKind.Compensation, 150.00m, "Sorry for the wait", "c1"));
        var second = await _kit.SendAsync(agent, new IssuePayout(tickets[1], PayoutKind.Compensation, 100.00m, "Sorry again", "c2"));
        var third = await _kit.SendAsync(agent, new IssuePayout(tickets[2], PayoutKind.Refund, 40.00m, "And once more", "c3"));

        // ¥200 is the agent's limit per order across all its tickets: only the first fits.
        Assert.Equal(PayoutStatus.Paid, first.Status);
        Assert.Equal(PayoutStatus.Pending, second.Status);
        Assert.Equal(PayoutStatus.Pending, third.Status);
        Assert.Equal(before + 150.00m, await _kit.BalanceAsync(order.Buyer));
        Assert.Equal(150.00m, await _kit.ScalarAsync<decimal>("SELECT compensated_amount FROM orders WHERE no = $1", order.OrderNo));
        await _kit.AssertWalletsMatchLedgerAsync();
    }

    [Fact]
    public async Task Compensation_and_refunds_on_one_order_never_pass_its_total_even_when_racing_on_different_tickets()
    {
        var (order, tickets) = await OrderWithTicketPerKeyAsync(10.00m, 3);
        // An Admin has no payout limit at all: only the order's total stands in the way.
        var admin = await _kit.StaffAsync(ShopRoles.Admin);
        var before = await _kit.BalanceAsync(order.Buyer);

        var attempts = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            _kit.RefusalAsync(admin, new IssuePayout(tickets[i % 3], PayoutKind.Compensation, 10.00m, "Goodwill", "race-" + i))));

        Assert.Equal(3, attempts.Count(e => e is null));
        Assert.All(attempts.OfType<Exception>(), e => Assert.Equal(ErrorCodes.InvalidState, Rule(e).Code));
        Assert.Equal(30.00m, await _kit.ScalarAsync<decimal>("SELECT compensated_amount FROM orders WHERE no = $1", order.OrderNo));
        Assert.Equal(3L, await PaidOnOrderAsync(order.OrderNo));
        Assert.Equal(before + 30.00m, await _kit.BalanceAsync(order.Buyer));

        // Nothing is left of the order: not even a fen as a refund.
        var refund = await _kit.RefusalAsync(admin, new IssuePayout(tickets[0], PayoutKind.Refund, 0.01m, "one fen", "fen"));
        Assert.Equal(ErrorCodes.InvalidState, Rule(refund).Code);
        Assert.Equal(before + 30.00m, await _kit.BalanceAsync(order.Buyer));
        await _kit.AssertWalletsMatchLedgerAsync();
    }

    [Fact]
    public async Task An_agents_daily_limit_holds_across_orders_even_when_the_payouts_race()
    {
        var (sku, _) = await _kit.Shop.ProductWithKeysAsync(8, price: 190.00m);
        // All bought before anybody complains: three complaints on one batch open an incident that freezes its unsold keys.
        var orders = new List<BoughtOrder>();
        for (var i = 0; i < 6; i++) orders.Add(await _kit.BuyAsync(await _kit.BuyerAsync(190.00m), sku, 1));
        var tickets = new List<(Actor Buyer, string TicketNo)>();
        foreach (var order in orders) tickets.Add((order.Buyer, await _kit.FileTicketAsync(order, category: TicketCategory.RefundRequest)));
        var agent = await _kit.StaffAsync(ShopRoles.Agent);

        // Six ¥190 payouts on six orders, each within the ¥200 per-ticket limit, all at once: ¥1,000 a day holds five.
        var issued = await Task.WhenAll(tickets.Select((t, i) =>
            _kit.SendAsync(agent, new IssuePayout(t.TicketNo, PayoutKind.Refund, 190.00m, "Key invalid", "day-" + i))));

        Assert.Equal(5, issued.Count(p => p.Status == PayoutStatus.Paid));
        var waiting = Assert.Single(issued, p => p.Status == PayoutStatus.Pending);
        Assert.Equal(950.00m, await _kit.ScalarAsync<decimal>("SELECT coalesce(sum(amount), 0) FROM payouts WHERE decided_by = $1 AND status = 'Paid'", agent.UserId));

        // A supervisor approves the sixth (never the agent who asked).
        var own = await _kit.RefusalAsync(agent, new DecidePayout(waiting.PayoutId, true, null));
        Assert.Equal(ErrorCodes.Forbidden, Rule(own).Code);
        var supervisor = await _kit.StaffAsync(ShopRoles.Supervisor);
        var decided = await _kit.SendAsync(supervisor, new DecidePayout(waiting.PayoutId, true, null));
        Assert.Equal(PayoutStatus.Paid, decided.Status);
        Assert.Equal(6L, await _kit.CountAsync("SELECT count(*) FROM ledger_entries WHERE kind = 'Refund' AND actor_user_id IN ($1, $2)", agent.UserId, supervisor.UserId));
        await _kit.AssertWalletsMatchLedgerAsync();
    }

    [Fact]
    public async Task Staff_may_buy_but_never_handle_their_own_purchase()
    {
        var supervisor = await _kit.PersonAsync(ShopRoles.Supervisor, 300.00m);
        var (sku, _) = await _kit.Shop.ProductWithKeysAsync(6, price: 150.00m);
        var order = await _kit.BuyAsync(supervisor, sku, 2);
        var ticketNo = await _kit.FileTicketAsync(supervisor, order.OrderNo, order.ItemIds);
        var before = await _kit.BalanceAsync(supervisor);

        Assert.NotEqual(supervisor.UserId, (await _kit.TicketAsync(ticketNo)).AssigneeId);
        Exception?[] attempts =
        [
            await _kit.RefusalAsync(supervisor, new ClaimTicket(ticketNo)),
            await _kit.RefusalAsync(supervisor, new ReplyAsStaff(ticketNo, "Sorted, I refunded myself.")),
            await _kit.RefusalAsync(supervisor, new IssuePayout(ticketNo, PayoutKind.Compensation, 50.00m, "for me", "self-1")),
            await _kit.RefusalAsync(supervisor, new IssuePayout(ticketNo, PayoutKind.Refund, 150.00m, "for me", "self-2")),
            await _kit.RefusalAsync(supervisor, new ReplaceKey(ticketNo, order.ItemIds[0])),
            await _kit.RefusalAsync(supervisor, new ResolveTicket(ticketNo, Responsibility.Supplier, RootCause.KeyDefective,
                TicketResolution.Refunded, "mine", null)),
        ];
        Assert.All(attempts, e => Assert.Equal(ErrorCodes.Forbidden, Rule(e).Code));

        // An agent asks for more than their limit: the buyer-supervisor is not asked to approve, and cannot.
        var agent = await _kit.StaffAsync(ShopRoles.Agent);
        var request = await _kit.SendAsync(agent, new IssuePayout(ticketNo, PayoutKind.Refund, 250.00m, "Both keys invalid", "agent-1"));
        Assert.Equal(PayoutStatus.Pending, request.Status);
        Assert.Equal(0L, await _kit.CountAsync("SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = 'PayoutPending'", supervisor.UserId));
        var self = await _kit.RefusalAsync(supervisor, new DecidePayout(request.PayoutId, true, null));
        Assert.Equal(ErrorCodes.Forbidden, Rule(self).Code);
        Assert.Equal(before, await _kit.BalanceAsync(supervisor));
        Assert.Equal(0L, await _kit.CountAsync("SELECT count(*) FROM card_key_events WHERE kind = 'Voided' AND order_id = (SELECT id FROM orders WHERE no = $1)", order.OrderNo));

        // Somebody else handles it.
        var other = await _kit.StaffAsync(ShopRoles.Supervisor);
        Assert.Equal(PayoutStatus.Paid, (await _kit.SendAsync(other, new DecidePayout(request.PayoutId, true, null))).Status);
        Assert.Equal(before + 250.00m, await _kit.BalanceAsync(supervisor));
    }

    [Fact]
    public async Task A_second_complaint_about_a_key_with_an_open_ticket_gets_409_naming_that_ticket()
    {
        var order = await _kit.BuyerWithOrderAsync(quantity: 2);
        var open = await _kit.FileAsync(order);

        var again = await _kit.PostTicketAsync(order.Account, new
        {
            orderNo = order.OrderNo, itemIds = new[] { order.ItemIds[0] }, category = "key_already_used", description = "Still broken.",
        });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("application/problem+json", again.Content.Headers.ContentType?.MediaType);
        var problem = await again.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("invalid_state", problem.GetProperty("code").GetString());
        Assert.Equal(open, problem.GetProperty("ticketNo").GetString());
        Assert.Contains(open, problem.GetProperty("detail").GetString());

        // The other key of the order is a different complaint; and once the first is resolved, a new one may be filed.
        await _kit.FileAsync(order, items: [order.ItemIds[1]]);
        await _kit.ResolveAsync(open);
        await _kit.FileAsync(order);
        Assert.Equal(3L, await _kit.CountAsync("SELECT count(*) FROM tickets WHERE buyer_id = $1", order.Buyer.UserId));
    }

    [Fact]
    public async Task Five_concurrent_complaints_about_one_key_file_one_ticket()
    {
        var order = await _kit.BuyerWithOrderAsync(quantity: 1);
        var responses = await Task.WhenAll(Enumerable.Range(0, 5).Select(i => _kit.PostTicketAsync(order.Account, new
        {
            orderNo = order.OrderNo, itemIds = new[] { order.ItemIds[0] }, category = "key_invalid", description = "Invalid, try " + i,
        })));

        var created = Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        var ticketNo = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ticketNo").GetString();
        foreach (var refused in responses.Where(r => r != created))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Equal(ticketNo, (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ticketNo").GetString());
        }
        Assert.Equal(1L, await _kit.CountAsync("SELECT count(*) FROM tickets WHERE buyer_id = $1", order.Buyer.UserId));
    }

    [Fact]
    public async Task The_ticket_form_sends_a_second_complaint_to_the_open_ticket()
    {
        var order = await _kit.BuyerWithOrderAsync(quantity: 1);
        var open = await _kit.FileAsync(order);
        var web = await _kit.SignInAsync(order.Buyer);

        var posted = await TicketTestKit.SubmitMultipartAsync(web, $"/Tickets/New?order={order.OrderNo}&item={order.ItemIds[0]}",
            "form[data-testid=ticket-form]",
            [
                new("Input.OrderNo", order.OrderNo), new("Input.ItemIds", order.ItemIds[0].ToString()), new("Input.Category", "key_invalid"),
                new("Input.Description", "It still says invalid."),
            ]);

        Assert.Equal(HttpStatusCode.Redirect, posted.Status);
        Assert.Equal($"/Tickets/{open}", posted.Location);
        var page = await web.FollowAsync(posted);
        Assert.Contains("already has an open ticket", page.Document.QuerySelector("[data-testid=flash]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(1L, await _kit.CountAsync("SELECT count(*) FROM tickets WHERE buyer_id = $1", order.Buyer.UserId));
    }

    [Fact]
    public async Task A_refunded_key_is_void_and_is_never_replaced()
    {
        var (sku, _) = await _kit.Shop.ProductWithKeysAsync(6, price: 10.00m);
        var order = await _kit.BuyAsync(await _kit.BuyerAsync(20.00m), sku, 2);
        var ticketNo = await _kit.FileTicketAsync(order, 0);
        var agent = await _kit.StaffAsync(ShopRoles.Agent);

        // The key's price back: that key is out of use, the other key of the order is untouched.
        await _kit.SendAsync(agent, new IssuePayout(ticketNo, PayoutKind.Refund, 10.00m, "Key invalid", "r1"));
        Assert.Equal("Void", await KeyStateAsync(order.ItemIds[0]));
        Assert.Equal("Sold", await KeyStateAsync(order.ItemIds[1]));
        var reveal = await _kit.RefusalAsync(order.Buyer, new RevealKey(order.OrderNo, order.ItemIds[0]));
        Assert.Equal(ErrorCodes.NotFound, Rule(reveal).Code);

        var replace = await _kit.RefusalAsync(agent, new ReplaceKey(ticketNo, order.ItemIds[0]));
        Assert.Equal(ErrorCodes.InvalidState, Rule(replace).Code);
        Assert.Contains("refunded", Rule(replace).Message);
        Assert.Equal(2L, await _kit.CountAsync("SELECT count(*) FROM order_items WHERE order_id = (SELECT id FROM orders WHERE no = $1)", order.OrderNo));

        // The rest of the order back: the order is refunded in full, every key of it is void, nothing is replaced.
        var second = await _kit.FileTicketAsync(order, 1);
        await _kit.SendAsync(agent, new IssuePayout(second, PayoutKind.Refund, 10.00m, "Second key invalid too", "r2"));
        Assert.Equal("Void", await KeyStateAsync(order.ItemIds[1]));
        var afterFull = await _kit.RefusalAsync(agent, new ReplaceKey(second, order.ItemIds[1]));
        Assert.Contains("refunded in full", Rule(afterFull).Message);
        Assert.Equal(4L, await _kit.CountAsync("SELECT count(*) FROM card_keys WHERE state = 'Available' AND product_id = (SELECT id FROM products WHERE sku = $1)", sku));
    }

    [Fact]
    public async Task Two_agents_refunding_the_same_item_at_once_refund_it_once()
    {
        var (sku, _) = await _kit.Shop.ProductWithKeysAsync(3, price: 10.00m);
        var order = await _kit.BuyAsync(await _kit.BuyerAsync(10.00m), sku, 1);
        var ticketNo = await _kit.FileTicketAsync(order);
        var agents = new[] { await _kit.StaffAsync(ShopRoles.Agent), await _kit.StaffAsync(ShopRoles.Agent) };

        var attempts = await Task.WhenAll(agents.Select((a, i) =>
            _kit.RefusalAsync(a, new IssuePayout(ticketNo, PayoutKind.Refund, 10.00m, "Key invalid", "agent-" + i))));

        Assert.Single(attempts, e => e is null);
        Assert.Equal(ErrorCodes.InvalidState, Rule(attempts.Single(e => e is not null)).Code);
        Assert.Equal(10.00m, await _kit.RefundedAsync(order.OrderNo));
        Assert.Equal(1L, await _kit.CountAsync("SELECT count(*) FROM ledger_entries WHERE user_id = $1 AND kind = 'Refund'", order.Buyer.UserId));
        Assert.Equal(10.00m, await _kit.BalanceAsync(order.Buyer));
        await _kit.AssertWalletsMatchLedgerAsync();
    }

    [Fact]
    public async Task Replacements_by_hand_stop_at_the_agents_daily_limit()
    {
        var (sku, _) = await _kit.Shop.ProductWithKeysAsync(8, price: 10.00m);
        var order = await _kit.BuyAsync(await _kit.BuyerAsync(30.00m), sku, 3);
        var ticketNo = await _kit.FileTicketAsync(order.Buyer, order.OrderNo, order.ItemIds);
        var agent = await _kit.StaffAsync(ShopRoles.Agent);

        await _kit.SendAsync(agent, new ReplaceKey(ticketNo, order.ItemIds[0]));
        await _kit.SendAsync(agent, new ReplaceKey(ticketNo, order.ItemIds[1]));
        var third = await _kit.RefusalAsync(agent, new ReplaceKey(ticketNo, order.ItemIds[2]));
        Assert.Equal(ErrorCodes.Forbidden, Rule(third).Code);
        Assert.Contains("daily limit", Rule(third).Message);
        Assert.Equal("Sold", await KeyStateAsync(order.ItemIds[2]));

        // A supervisor's limit is their own.
        await _kit.SendAsync(await _kit.StaffAsync(ShopRoles.Supervisor), new ReplaceKey(ticketNo, order.ItemIds[2]));
        Assert.Equal("Void", await KeyStateAsync(order.ItemIds[2]));
    }

    [Fact]
    public async Task Orders_racing_for_one_wallet_spend_only_what_it_holds()
    {
        var (sku, _) = await _kit.Shop.ProductWithKeysAsync(10, price: 30.00m);
        var buyer = await _kit.BuyerAsync(100.00m);
        var client = _kit.App.ApiClient(buyer.Account.ApiKey);

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders") { Content = JsonContent.Create(new { sku, quantity = 1, acceptNotices = true }) };
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
            return client.SendAsync(request);
        }));

        Assert.Equal(3, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        var refused = responses.Where(r => r.StatusCode != HttpStatusCode.Created).ToList();
        Assert.Equal(3, refused.Count);
        foreach (var r in refused)
        {
            Assert.Equal(HttpStatusCode.PaymentRequired, r.StatusCode);
            Assert.Equal("insufficient_balance", (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        }
        Assert.Equal(10.00m, await _kit.BalanceAsync(buyer));
        Assert.Equal(3L, await _kit.CountAsync("SELECT count(*) FROM orders WHERE user_id = $1", buyer.UserId));
        Assert.Equal(3L, await _kit.CountAsync("SELECT count(*) FROM card_keys WHERE state = 'Sold' AND product_id = (SELECT id FROM products WHERE sku = $1)", sku));
        await _kit.AssertWalletsMatchLedgerAsync();
    }

    private Task<string> KeyStateAsync(Guid itemId) =>
        _kit.ScalarAsync<string>("SELECT k.state FROM card_keys k JOIN order_items i ON i.card_key_id = k.id WHERE i.id = $1", itemId);
}
