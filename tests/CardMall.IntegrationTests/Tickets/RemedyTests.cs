using System.Diagnostics;
using CardMall.Application.Features.Tickets;
using CardMall.Domain.Accounts;
using CardMall.Domain.Common;
using CardMall.Domain.Tickets;
using CardMall.TestSupport;
using FluentValidation;
using Xunit.Abstractions;

namespace CardMall.IntegrationTests.Tickets;

/// <summary>
/// Refunds, compensation and approvals on tickets, against PostgreSQL: money moves once, within the
/// order's amount and the requester's limit, and the wallet always equals its ledger — also when the same
/// or different requests race.
/// </summary>
public sealed class RemedyTests(ShopFixture shop, ITestOutputHelper output) : IClassFixture<ShopFixture>
{
    private readonly TicketTestKit _kit = new(shop);

    [Fact]
    public async Task Five_concurrent_refunds_with_one_request_key_make_one_payout_and_one_ledger_line()
    {
        var t = await _kit.OrderWithTicketAsync(price: 10.00m, quantity: 10);
        var agent = await _kit.StaffAsync(ShopRoles.Agent);
        var before = await _kit.BalanceAsync(t.Buyer);
        var key = "form-" + Guid.NewGuid().ToString("N");

        var clock = Stopwatch.StartNew();
        var results = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ =>
            _kit.SendAsync(agent, new IssuePayout(t.TicketNo, PayoutKind.Refund, 100.00m, "Key invalid, confirmed by the supplier", key))));
        output.WriteLine($"5 concurrent refunds with one key: {clock.ElapsedMilliseconds} ms");

        Assert.Single(results, r => r.Created);
        Assert.All(results, r => Assert.Equal(PayoutStatus.Paid, r.Status));
        Assert.Single(results.Select(r => r.PayoutId).Distinct());
        Assert.Equal(1L, await _kit.CountAsync("SELECT count(*) FROM payouts p JOIN tickets t ON t.id = p.ticket_id WHERE t.no = $1", t.TicketNo));
        Assert.Equal(1L, await _kit.CountAsync("SELECT count(*) FROM ledger_entries WHERE user_id = $1 AND kind = 'Refund'", t.Buyer.UserId));
        Assert.Equal(before + 100.00m, await _kit.BalanceAsync(t.Buyer));
        Assert.Equal(100.00m, await _kit.RefundedAsync(t.OrderNo));
        Assert.Equal("Refunded", await _kit.ScalarAsync<string>("SELECT status FROM orders WHERE no = $1", t.OrderNo));
        Assert.Equal(1L, await _kit.CountAsync("SELECT count(*) FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id WHERE t.no = $1 AND e.kind = 'refunded' AND e.is_public", t.TicketNo));
        Assert.Equal(1L, await _kit.CountAsync("SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = 'TicketRefunded' AND args LIKE '%100.00%'", t.Buyer.UserId));
        await _kit.AssertWalletsMatchLedgerAsync();

        // The same key for a different amount is not a repeat: it is refused, and nothing moves.
        var reused = await _kit.RefusalAsync(agent, new IssuePayout(t.TicketNo, PayoutKind.Refund, 5.00m, "another", key));
        Assert.Equal(ErrorCodes.IdempotencyKeyReused, Assert.IsAssignableFrom<DomainRuleException>(reused).Code);
        Assert.Equal(before + 100.00m, await _kit.BalanceAsync(t.Buyer));
    }

    [Fact]
    public async Task Concurrent_partial_refunds_on_two_tickets_never_refund_more_than_the_order()
    {
        var (sku, _) = await _kit.Shop.ProductWithKeysAsync(10, price: 10.00m, maxPerOrder: 10);
        var buyer = await _kit.BuyerAsync(100.00m);
        var order = await _kit.BuyAsync(buyer, sku, 10);
        // Two tickets about different keys of the same order: only the order's own row lock can keep the two apart.
        var t = new TicketedOrder(buyer, order.OrderNo, order.ItemIds,
            await _kit.FileTicketAsync(buyer, order.OrderNo, order.ItemIds.Take(5).ToList()), sku);
        var second = await _kit.FileTicketAsync(t.Buyer, t.OrderNo, order.ItemIds.Skip(5).ToList(), TicketCategory.RefundRequest);
        var supervisor = await _kit.StaffAsync(ShopRoles.Supervisor);
        var before = await _kit.BalanceAsync(t.Buyer);

        var clock = Stopwatch.StartNew();
        var attempts = await Task.WhenAll(Enumerable.Range(0, 5).Select(i =>
            _kit.RefusalAsync(supervisor, new IssuePayout(i % 2 == 0 ? t.TicketNo : second, PayoutKind.Refund, 30.00m, "Part of the keys failed", "k" + i))));
        output.WriteLine($"5 concurrent partial refunds of ¥30 on a ¥100 order: {clock.ElapsedMilliseconds} ms");

        Assert.Equal(3, attempts.Count(e => e is null));
        var refused = attempts.OfType<Exception>().ToList();
        Assert.Equal(2, refused.Count);
        foreach (var e in refused)
        {
            var rule = Assert.IsType<DomainRuleException>(e);
            Assert.Equal(ErrorCodes.InvalidState, rule.Code);
            Assert.Contains("¥10.00", rule.Message);
        }
        Assert.Equal(90.00m, await _kit.RefundedAsync(t.OrderNo));
        Assert.Equal(90.00m, await _kit.ScalarAsync<decimal>("SELECT coalesce(sum(amount), 0) FROM payouts WHERE status = 'Paid' AND kind = 'Refund' AND order_id = (SELECT id FROM orders WHERE no = $1)", t.OrderNo));
        Assert.Equal(3L, await _kit.CountAsync("SELECT count(*) FROM ledger_entries WHERE user_id = $1 AND kind = 'Refund'", t.Buyer.UserId));
        Assert.Equal(before + 90.00m, await _kit.BalanceAsync(t.Buyer));
        await _kit.AssertWalletsMatchLedgerAsync();

        // What is left can still be refunded, exactly, and then nothing more.
        await _kit.SendAsync(supervisor, new IssuePayout(t.TicketNo, PayoutKind.Refund, 10.00m, "the rest", "rest"));
        var over = await _kit.RefusalAsync(supervisor, new IssuePayout(second, PayoutKind.Refund, 0.01m, "one fen more", "over"));
        Assert.Equal(ErrorCodes.InvalidState, Assert.IsType<DomainRuleException>(over).Code);
        Assert.Equal(100.00m, await _kit.RefundedAsync(t.OrderNo));
    }

    [Fact]
    public async Task An_agent_pays_within_the_limit_at_once_and_above_it_a_supervisor_approves_once()
    {
        var t = await _kit.OrderWithTicketAsync(price: 50.00m, quantity: 10);
        var agent = await _kit.StaffAsync(ShopRoles.Agent);
        var supervisor = await _kit.StaffAsync(ShopRoles.Supervisor);
        var otherSupervisor = await _kit.StaffAsync(ShopRoles.Supervisor);
        var start = await _kit.BalanceAsync(t.Buyer);

        var small = await _kit.SendAsync(agent, new IssuePayout(t.TicketNo, PayoutKind.Refund, 150.00m, "Two keys were invalid", "a1"));
        Assert.Equal(PayoutStatus.Paid, small.Status);
        Assert.Equal(start + 150.00m, await _kit.BalanceAsync(t.Buyer));

        var large = await _kit.SendAsync(agent, new IssuePayout(t.TicketNo, PayoutKind.Refund, 250.00m, "The rest of the batch is bad", "a2"));
        Assert.Equal(PayoutStatus.Pending, large.Status);
        Assert.Equal(start + 150.00m, await _kit.BalanceAsync(t.Buyer));
        Assert.Equal(150.00m, await _kit.RefundedAsync(t.OrderNo));
        Assert.Equal(1L, await _kit.CountAsync("SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = 'PayoutPending'", supervisor.UserId));
        Assert.Equal(0L, await _kit.CountAsync("SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = 'PayoutPending'", agent.UserId));
        Assert.Equal(1L, await _kit.CountAsync("SELECT count(*) FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id WHERE t.no = $1 AND e.kind = 'refund_requested' AND NOT e.is_public", t.TicketNo));

        // The queue shows it to a supervisor, who may approve it.
        var queue = await _kit.SendAsync(supervisor, new ListPendingPayouts());
        var line = Assert.Single(queue.Pending, p => p.PayoutId == large.PayoutId);
        Assert.True(line.MayApprove);
        Assert.Equal(400.00m, line.TicketTotal);
        Assert.Equal(t.OrderNo, line.OrderNo);

        // Agents never approve.
        var byAgent = await _kit.RefusalAsync(await _kit.StaffAsync(ShopRoles.Agent), new DecidePayout(large.PayoutId, true, null));
        Assert.Equal(ErrorCodes.Forbidden, Assert.IsType<DomainRuleException>(byAgent).Code);

        // Two supervisors press approve at the same moment: it is paid once.
        var decisions = await Task.WhenAll(
            _kit.RefusalAsync(supervisor, new DecidePayout(large.PayoutId, true, null)),
            _kit.RefusalAsync(otherSupervisor, new DecidePayout(large.PayoutId, true, null)));
        Assert.Single(decisions, d => d is null);
        Assert.Equal(ErrorCodes.InvalidState, Assert.IsType<DomainRuleException>(decisions.Single(d => d is not null)).Code);
        Assert.Equal(start + 400.00m, await _kit.BalanceAsync(t.Buyer));
        Assert.Equal(400.00m, await _kit.RefundedAsync(t.OrderNo));

        // Deciding again, either way, is refused and changes nothing.
        var again = await _kit.RefusalAsync(supervisor, new DecidePayout(large.PayoutId, true, null));
        Assert.Equal(ErrorCodes.InvalidState, Assert.IsType<DomainRuleException>(again).Code);
        var decline = await _kit.RefusalAsync(otherSupervisor, new DecidePayout(large.PayoutId, false, "changed my mind"));
        Assert.Equal(ErrorCodes.InvalidState, Assert.IsType<DomainRuleException>(decline).Code);
        Assert.Equal(start + 400.00m, await _kit.BalanceAsync(t.Buyer));
        Assert.Equal(2L, await _kit.CountAsync("SELECT count(*) FROM ledger_entries WHERE user_id = $1 AND kind = 'Refund'", t.Buyer.UserId));
        Assert.Equal(1L, await _kit.CountAsync("SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = 'PayoutApproved'", agent.UserId));
        Assert.Equal(2L, await _kit.CountAsync("SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = 'TicketRefunded'", t.Buyer.UserId));
        await _kit.AssertWalletsMatchLedgerAsync();
    }

    [Fact]
    public async Task Nobody_approves_their_own_request_and_above_a_supervisors_limit_only_an_admin_does()
    {
        var t = await _kit.OrderWithTicketAsync(price: 300.00m, quantity: 10);
        var supervisor = await _kit.StaffAsync(ShopRoles.Supervisor);
        var otherSupervisor = await _kit.StaffAsync(ShopRoles.Supervisor);
        var admin = await _kit.StaffAsync(ShopRoles.Admin);
        var start = await _kit.BalanceAsync(t.Buyer);

        var request = await _kit.SendAsync(supervisor, new IssuePayout(t.TicketNo, PayoutKind.Refund, 2500.00m, "Whole batch revoked by the issuer", "s1"));
        Assert.Equal(PayoutStatus.Pending, request.Status);
        Assert.Equal(start, await _kit.BalanceAsync(t.Buyer));
        // Above the supervisor limit only admins are asked.
        Assert.Equal(0L, await _kit.CountAsync("SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = 'PayoutPending'", otherSupervisor.UserId));
        Assert.Equal(1L, await _kit.CountAsync("SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = 'PayoutPending'", admin.UserId));

        var own = await _kit.RefusalAsync(supervisor, new DecidePayout(request.PayoutId, true, null));
        var ownRule = Assert.IsType<DomainRuleException>(own);
        Assert.Equal(ErrorCodes.Forbidden, ownRule.Code);
        Assert.Contains("your own request", ownRule.Message);

        var beyond = await _kit.RefusalAsync(otherSupervisor, new DecidePayout(request.PayoutId, true, null));
        var beyondRule = Assert.IsType<DomainRuleException>(beyond);
        Assert.Equal(ErrorCodes.Forbidden, beyondRule.Code);
        Assert.Contains("¥2,000.00", beyondRule.Message);

        var queue = await _kit.SendAsync(supervisor, new ListPendingPayouts());
        var mine = Assert.Single(queue.Pending, p => p.PayoutId == request.PayoutId);
        Assert.False(mine.MayApprove);
        Assert.True(mine.RequestedByMe);
        Assert.Equal(start, await _kit.BalanceAsync(t.Buyer));

        var approved = await _kit.SendAsync(admin, new DecidePayout(request.PayoutId, true, null));
        Assert.Equal(PayoutStatus.Paid, approved.Status);
        Assert.Equal(start + 2500.00m, await _kit.BalanceAsync(t.Buyer));
        Assert.Equal(admin.UserId, await _kit.ScalarAsync<Guid>("SELECT decided_by FROM payouts WHERE id = $1", request.PayoutId));
        Assert.Equal(admin.UserId, await _kit.ScalarAsync<Guid>("SELECT actor_user_id FROM ledger_entries WHERE user_id = $1 AND kind = 'Refund'", t.Buyer.UserId));
        await _kit.AssertWalletsMatchLedgerAsync();
    }

    [Fact]
    public async Task Compensation_counts_against_the_same_limits_and_with_refunds_against_the_orders_total()
    {
        var t = await _kit.OrderWithTicketAsync(price: 30.00m, quantity: 10);
        var agent = await _kit.StaffAsync(ShopRoles.Agent);
        var start = await _kit.BalanceAsync(t.Buyer);

        var goodwill = await _kit.SendAsync(agent, new IssuePayout(t.TicketNo, PayoutKind.Compensation, 120.00m, "We kept you waiting two days", "c1"));
        Assert.Equal(PayoutStatus.Paid, goodwill.Status);
        // Compensation is not a refund of the ¥300 order, but it is paid out of what the order cost.
        Assert.Equal(0.00m, await _kit.RefundedAsync(t.OrderNo));
        Assert.Equal(120.00m, await _kit.ScalarAsync<decimal>("SELECT compensated_amount FROM orders WHERE no = $1", t.OrderNo));
        Assert.Equal(1L, await _kit.CountAsync("SELECT count(*) FROM ledger_entries WHERE user_id = $1 AND kind = 'Compensation' AND amount = 120.00", t.Buyer.UserId));
        Assert.Equal(1L, await _kit.CountAsync("SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = 'TicketCompensated'", t.Buyer.UserId));

        // ¥120 + ¥100 is above the agent's ¥200 for this ticket: the refund waits.
        var refund = await _kit.SendAsync(agent, new IssuePayout(t.TicketNo, PayoutKind.Refund, 100.00m, "Keys invalid", "c2"));
        Assert.Equal(PayoutStatus.Pending, refund.Status);
        Assert.Equal(start + 120.00m, await _kit.BalanceAsync(t.Buyer));

        // A pending refund is promised: of the ¥300, ¥120 is paid and ¥100 promised, so ¥81 more cannot be.
        var supervisor = await _kit.StaffAsync(ShopRoles.Supervisor);
        var twice = await _kit.RefusalAsync(supervisor, new IssuePayout(t.TicketNo, PayoutKind.Refund, 81.00m, "and one more", "c3"));
        Assert.Equal(ErrorCodes.InvalidState, Assert.IsType<DomainRuleException>(twice).Code);

        // Declining needs a note; the requester and the buyer hear of it; nothing is paid.
        var noNote = await _kit.RefusalAsync(supervisor, new DecidePayout(refund.PayoutId, false, " "));
        Assert.IsType<ValidationException>(noNote);
        var declined = await _kit.SendAsync(supervisor, new DecidePayout(refund.PayoutId, false, "Compensation already covers it"));
        Assert.Equal(PayoutStatus.Declined, declined.Status);
        Assert.Equal(start + 120.00m, await _kit.BalanceAsync(t.Buyer));
        Assert.Equal(1L, await _kit.CountAsync("SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = 'PayoutDeclined'", agent.UserId));
        Assert.Equal(1L, await _kit.CountAsync("SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = 'TicketPayoutDeclined'", t.Buyer.UserId));
        await _kit.AssertWalletsMatchLedgerAsync();
    }

    [Theory]
    [InlineData("0", "a reason", "Amount")]
    [InlineData("-5", "a reason", "Amount")]
    [InlineData("1.005", "a reason", "Amount")]
    [InlineData("10", " ", "Reason")]
    public async Task Bad_payout_input_is_a_field_error_and_pays_nothing(string amount, string reason, string field)
    {
        var t = await _kit.OrderWithTicketAsync(price: 10.00m, quantity: 1, stock: 1);
        var agent = await _kit.StaffAsync(ShopRoles.Agent);
        var refused = await _kit.RefusalAsync(agent, new IssuePayout(t.TicketNo, PayoutKind.Refund,
            decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture), reason, "bad"));
        var validation = Assert.IsType<ValidationException>(refused);
        Assert.Contains(validation.Errors, e => e.PropertyName == field);
        Assert.Equal(0L, await _kit.CountAsync("SELECT count(*) FROM payouts p JOIN tickets t ON t.id = p.ticket_id WHERE t.no = $1", t.TicketNo));
    }

    [Fact]
    public async Task A_closed_ticket_takes_no_payout_until_it_is_reopened()
    {
        var t = await _kit.OrderWithTicketAsync(price: 10.00m, quantity: 1, stock: 1);
        var agent = await _kit.StaffAsync(ShopRoles.Agent);
        await _kit.ExecuteAsync("UPDATE tickets SET status = 'Closed' WHERE no = $1", t.TicketNo);

        var refused = await _kit.RefusalAsync(agent, new IssuePayout(t.TicketNo, PayoutKind.Compensation, 5.00m, "sorry", "closed"));
        Assert.Equal(ErrorCodes.InvalidState, Assert.IsType<DomainRuleException>(refused).Code);

        // Resolved still takes one: an agent may settle the money right after resolving.
        await _kit.ExecuteAsync("UPDATE tickets SET status = 'Resolved' WHERE no = $1", t.TicketNo);
        var paid = await _kit.SendAsync(agent, new IssuePayout(t.TicketNo, PayoutKind.Compensation, 5.00m, "sorry", "resolved"));
        Assert.Equal(PayoutStatus.Paid, paid.Status);
    }

    [Fact]
    public async Task Buyers_cannot_use_any_remedy_and_nothing_changes()
    {
        var t = await _kit.OrderWithTicketAsync(price: 200.00m, quantity: 2, stock: 4);
        var agent = await _kit.StaffAsync(ShopRoles.Agent);
        var pending = await _kit.SendAsync(agent, new IssuePayout(t.TicketNo, PayoutKind.Compensation, 300.00m, "big apology", "p"));
        var balance = await _kit.BalanceAsync(t.Buyer);

        foreach (var refused in new[]
        {
            await _kit.RefusalAsync(t.Buyer, new IssuePayout(t.TicketNo, PayoutKind.Refund, 20.00m, "I want my money", "mine")),
            await _kit.RefusalAsync(t.Buyer, new ReplaceKey(t.TicketNo, t.ItemIds[0])),
            await _kit.RefusalAsync(t.Buyer, new DecidePayout(pending.PayoutId, true, null)),
            await _kit.RefusalAsync(t.Buyer, new EscalateToSupplier(t.TicketNo, "where is my key")),
            await _kit.RefusalAsync(t.Buyer, new ListPendingPayouts()),
            await _kit.RefusalAsync(t.Buyer, new GetTicketRemedies(t.TicketNo)),
            await _kit.RefusalAsync(await _kit.StaffAsync(ShopRoles.Operator), new IssuePayout(t.TicketNo, PayoutKind.Refund, 20.00m, "ops", "ops")),
        })
        {
            Assert.Equal(ErrorCodes.Forbidden, Assert.IsType<DomainRuleException>(refused).Code);
        }

        Assert.Equal(balance, await _kit.BalanceAsync(t.Buyer));
        Assert.Equal(1L, await _kit.CountAsync("SELECT count(*) FROM payouts p JOIN tickets t ON t.id = p.ticket_id WHERE t.no = $1", t.TicketNo));
        Assert.Equal(0L, await _kit.CountAsync("SELECT count(*) FROM card_keys WHERE order_id = (SELECT id FROM orders WHERE no = $1) AND state = 'Void'", t.OrderNo));
        Assert.Equal("New", await _kit.ScalarAsync<string>("SELECT status FROM tickets WHERE no = $1", t.TicketNo));
    }
}
