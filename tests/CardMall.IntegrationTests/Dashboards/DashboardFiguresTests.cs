using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CardMall.Application.Features.Dashboards;
using CardMall.Domain.Accounts;
using CardMall.Domain.Common;
using CardMall.Domain.Tickets;
using CardMall.IntegrationTests.Support;
using CardMall.IntegrationTests.Tickets;

namespace CardMall.IntegrationTests.Dashboards;

/// <summary>
/// A shop of its own (the dashboard adds up everything in its database) whose flag rule is easy to trip:
/// a product or supplier is flagged at 1.2× the shop's after-sales rate with a single ticket.
/// </summary>
public sealed class DashboardShop : TicketShop
{
    protected override void AddSettings(IDictionary<string, string?> settings)
    {
        settings["CardMall:Dashboards:FlagFactor"] = "1.2";
        settings["CardMall:Dashboards:FlagMinTickets"] = "1";
        // The crafted tickets are complaints about one batch; incident detection has its own tests.
        settings["CardMall:Risk:ComplaintsPerBatch"] = "1000";
    }
}

/// <summary>
/// The dashboard's arithmetic on a crafted data set: three buyers, five orders, four tickets and four payouts
/// placed at chosen Beijing times in 1–10 October 2026 (and the ten days before, for the comparison). Every
/// expected figure is worked out by hand in the comments — medians and p90 as PostgreSQL's
/// percentile_cont interpolates them, paused SLA time left out — so a wrong join, a wrong filter or an
/// off-by-one day boundary shows up as a wrong number.
/// </summary>
public sealed class DashboardFiguresTests(DashboardShop shop) : IClassFixture<DashboardShop>
{
    private readonly TicketTestKit _kit = new(shop);

    private static readonly DateOnly From = new(2026, 10, 1);
    private static readonly DateOnly To = new(2026, 10, 10);

    /// <summary>A Beijing wall-clock time in 2026.</summary>
    private static DateTimeOffset Bj(int month, int day, int hour, int minute = 0) =>
        new DateTimeOffset(2026, month, day, hour, minute, 0, TimeSpan.FromHours(8)).ToUniversalTime();

    [Fact]
    public async Task Every_figure_of_a_crafted_period_and_its_comparison_is_exact()
    {
        var data = await CraftAsync();
        var op = await _kit.StaffAsync(ShopRoles.Operator);

        var d = await _kit.SendAsync(op, new GetDashboard(From, To));

        Assert.Equal(new DashboardPeriod(new DateOnly(2026, 9, 21), new DateOnly(2026, 9, 30)), d.Period.Previous);
        var c = d.Current;
        // Orders: A on 2 and 5 Oct (¥10 each), B on 3 Oct (2 keys, ¥20), C on 9 Oct at 23:30 (¥10). A's order at
        // 00:10 on 11 Oct is the next day's; C's order of 25 Sep is the previous period's.
        Assert.Equal(4, c.Orders);
        Assert.Equal(50.00m, c.Revenue);
        Assert.Equal(3, c.Buyers);
        Assert.Equal(1, c.RepeatBuyers);
        Assert.Equal(1.0 / 3, c.RepurchaseRate!.Value, 10);
        // Tickets T1 (key invalid), T2 (key already used), T3 (refund request): two complaints.
        Assert.Equal(3, c.Tickets);
        Assert.Equal(2, c.Complaints);
        Assert.Equal(0.75, c.AfterSalesRate);
        Assert.Equal(500.0, c.ComplaintsPerThousandOrders);
        // Paid in the period: a ¥5 refund and ¥3 compensation; the pending ¥7 refund is not money paid.
        Assert.Equal(5.00m, c.Refunded);
        Assert.Equal(3.00m, c.Compensated);
        Assert.Equal(0.1, c.RefundRate);
        // First response: T1 30 min = 1800 s; T2 80 min after filing with 30 paused = 3000 s; T3 never answered.
        // percentile_cont over [1800, 3000]: median 2400, p90 1800 + 0.9 × 1200 = 2880.
        Assert.Equal(2400, c.FirstResponseMedian);
        Assert.Equal(2880, c.FirstResponseP90);
        // Resolution: T1 22 h − 1 h paused = 75,600 s; T2 48 h − 2.5 h paused = 163,800 s.
        // Median 119,700; p90 75,600 + 0.9 × 88,200 = 154,980.
        Assert.Equal(119_700, c.ResolutionMedian);
        Assert.Equal(154_980, c.ResolutionP90!.Value, 6);
        // Decided: T1 and T2 answered in time, T3 overdue unanswered → 2 of 3; resolved in time: only T1 of 3.
        Assert.Equal((3, 2), (c.FirstResponseDecided, c.FirstResponseMet));
        Assert.Equal((3, 1), (c.ResolutionDecided, c.ResolutionMet));
        Assert.Equal(2.0 / 3, c.FirstResponseCompliance!.Value, 10);
        Assert.Equal(1.0 / 3, c.ResolutionCompliance!.Value, 10);
        Assert.Equal(2, c.Breached);
        Assert.Equal(1, c.Reopened);
        Assert.Equal(1, c.Urged);
        Assert.Equal(1.0 / 3, c.ReopenRate!.Value, 10);
        // Ratings given in the period: 5 (T1) and 2 (T2).
        Assert.Equal(2, c.Rated);
        Assert.Equal(3.5, c.AverageRating);
        Assert.Equal(0.5, c.SatisfiedShare);
        // Assistant: three conversations, one deflected, one escalated to a person.
        Assert.Equal((3, 1, 1), (c.AssistantConversations, c.AssistantDeflected, c.AssistantEscalated));
        Assert.Equal(1.0 / 3, c.DeflectionRate!.Value, 10);
        Assert.Equal(1.0 / 3, c.EscalationRate!.Value, 10);

        // The ten days before: C's one order and T4 (answered in 10 min, resolved in 2 h, rated 4), a ¥2 refund.
        var p = d.Previous;
        Assert.Equal((1, 10.00m, 1, 0), (p.Orders, p.Revenue, p.Buyers, p.RepeatBuyers));
        Assert.Equal((1, 1, 2.00m, 0.00m), (p.Tickets, p.Complaints, p.Refunded, p.Compensated));
        Assert.Equal((600.0, 600.0, 7200.0, 7200.0), (p.FirstResponseMedian, p.FirstResponseP90, p.ResolutionMedian, p.ResolutionP90));
        Assert.Equal((1, 4.0, 1), (p.Rated, p.AverageRating, p.RatedFourOrMore));
        Assert.Equal((1, 1, 0), (p.AssistantConversations, p.AssistantDeflected, p.AssistantEscalated));

        // One row per day of the period, the Beijing day deciding: 23:30 on 9 Oct is the 9th.
        Assert.Equal(10, d.Daily.Count);
        Assert.Equal(From, d.Daily[0].Day);
        Assert.Equal(To, d.Daily[^1].Day);
        Assert.Equal([0, 1, 1, 0, 1, 0, 0, 0, 1, 0], d.Daily.Select(x => x.Orders));
        Assert.Equal([0, 1, 0, 1, 0, 0, 0, 0, 1, 0], d.Daily.Select(x => x.Tickets));
        Assert.Equal([null, 1.0, null, 1.0, null, null, null, null, 0.0, null], d.Daily.Select(x => x.FirstResponseCompliance));
        Assert.Equal([null, null, 5.0, null, null, 2.0, null, null, null, null], d.Daily.Select(x => x.AverageRating));

        // Most tickets first, then in the categories' own order.
        Assert.Equal(
            [(TicketCategory.KeyInvalid, 1, (double?)75_600), (TicketCategory.KeyAlreadyUsed, 1, 163_800), (TicketCategory.RefundRequest, 1, null)],
            d.Categories.Select(x => (x.Category, x.Tickets, x.ResolutionMedian)));
        Assert.All(d.Categories, x => Assert.Equal(1.0 / 3, x.Share!.Value, 10));

        // Products: X has 3 orders (¥40), T1 and T2, the ¥5 refund; Y has 1 order and T3. The shop's rate is
        // 0.75, flagged from 0.9: Y (1.0) is, X (0.67) is not.
        var x = Assert.Single(d.Products, r => r.Sku == data.SkuX);
        Assert.Equal((3, 40.00m, 2, 5.00m, false), (x.Orders, x.Revenue, x.Tickets, x.Refunded, x.Flagged));
        var y = Assert.Single(d.Products, r => r.Sku == data.SkuY);
        Assert.Equal((1, 10.00m, 1, 0.00m, true), (y.Orders, y.Revenue, y.Tickets, y.Refunded, y.Flagged));
        Assert.Equal(2, d.Products.Count);

        // Suppliers: SX's keys sold in the period are A's two and B's two; both complaints name one of them.
        var sx = Assert.Single(d.Suppliers, r => r.Code == data.SupplierX);
        Assert.Equal((4, 2, 2, 0.5, 0.5, false), (sx.KeysSold, sx.Tickets, sx.ComplainedKeys, sx.AfterSalesRate, sx.DefectRate, sx.Flagged));
        var sy = Assert.Single(d.Suppliers, r => r.Code == data.SupplierY);
        Assert.Equal((1, 1, 0, 1.0, 0.0, true), (sy.KeysSold, sy.Tickets, sy.ComplainedKeys, sy.AfterSalesRate, sy.DefectRate, sy.Flagged));
        Assert.Null(sy.ApiErrorRate);

        // Agents: the first handled T1 and T2 and paid the ¥5 refund; the second has T3, unanswered and unrated.
        var a1 = Assert.Single(d.Agents, r => r.AgentId == data.Agent1);
        Assert.Equal((2, 2400.0, 119_700.0, 2, 3.5, 5.00m), (a1.Handled, a1.FirstResponseMedian, a1.ResolutionMedian, a1.Rated, a1.AverageRating, a1.RefundsIssued));
        var a2 = Assert.Single(d.Agents, r => r.AgentId == data.Agent2);
        Assert.Equal((1, null, null, 0, null, 0.00m), (a2.Handled, a2.FirstResponseMedian, a2.ResolutionMedian, a2.Rated, a2.AverageRating, a2.RefundsIssued));
        Assert.Equal(2, d.Agents.Count);

        // Open now: T3 only, filed more than a week ago.
        Assert.Equal(new BacklogFigures(0, 0, 0, 1), d.Backlog);

        // Read from the rollups the figures are the same: for the period itself (all of it rolled up), and for
        // one that runs on to today (rolled-up days plus the live day).
        var upToToday = new GetDashboard(new DateOnly(2026, 9, 21), DashboardPeriod.Today(_kit.Clock.GetUtcNow()));
        var liveOnly = await _kit.SendAsync(op, upToToday);
        Assert.True((await _kit.SendAsync(op, new RefreshDashboardRollups())).Ran);
        Assert.Equal(Comparable(d), Comparable(await _kit.SendAsync(op, new GetDashboard(From, To))));
        Assert.Equal(Comparable(liveOnly), Comparable(await _kit.SendAsync(op, upToToday)));
        Assert.Equal(6, liveOnly.Current.Orders); // all six crafted orders, 25 Sep to 11 Oct
        Assert.Equal(4, liveOnly.Current.Tickets);

        // An agent sees their own row and nobody else's; the operators' dashboard is not theirs.
        var mine = await _kit.SendAsync(data.Agent1Actor, new GetMyPerformance(From, To));
        Assert.Equal(a1, mine.Figures);
        var refused = Assert.IsType<DomainRuleException>(await _kit.RefusalAsync(data.Agent1Actor, new GetDashboard(From, To)));
        Assert.Equal(ErrorCodes.Forbidden, refused.Code);
    }

    [Fact]
    public async Task A_period_without_data_has_no_rates_rather_than_zero_or_a_division_error()
    {
        var op = await _kit.StaffAsync(ShopRoles.Operator);

        var d = await _kit.SendAsync(op, new GetDashboard(new DateOnly(2020, 1, 1), new DateOnly(2020, 1, 7)));

        var c = d.Current;
        Assert.Equal((0, 0m, 0, 0), (c.Orders, c.Revenue, c.Tickets, c.Rated));
        Assert.Null(c.RepurchaseRate);
        Assert.Null(c.AfterSalesRate);
        Assert.Null(c.ComplaintsPerThousandOrders);
        Assert.Null(c.RefundRate);
        Assert.Null(c.FirstResponseMedian);
        Assert.Null(c.ResolutionP90);
        Assert.Null(c.FirstResponseCompliance);
        Assert.Null(c.ResolutionCompliance);
        Assert.Null(c.ReopenRate);
        Assert.Null(c.AverageRating);
        Assert.Null(c.SatisfiedShare);
        Assert.Equal(7, d.Daily.Count);
        Assert.All(d.Daily, x => Assert.Null(x.FirstResponseCompliance));
        Assert.Empty(d.Products);
        Assert.Empty(d.Categories);
    }

    [Fact]
    public async Task The_api_answers_operators_with_the_figures_and_refuses_a_bad_period_with_400()
    {
        var op = await _kit.Shop.OperatorAsync();
        var api = shop.Factory.ApiClient(op.ApiKey);

        var ok = await api.GetAsync("/api/v1/admin/dashboard?from=2020-02-01&to=2020-02-03");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var body = await ok.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(3, body.GetProperty("daily").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("current").GetProperty("afterSalesRate").ValueKind);

        foreach (var query in new[] { "from=2020-02-05&to=2020-02-01", "from=2019-01-01&to=2020-12-31", "from=yesterday" })
        {
            var bad = await api.GetAsync("/api/v1/admin/dashboard?" + query);
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            var problem = await bad.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("validation_failed", problem.GetProperty("code").GetString());
        }

        var buyer = await _kit.BuyerAsync(0m);
        Assert.Equal(HttpStatusCode.Forbidden, (await shop.Factory.ApiClient(buyer.Account.ApiKey).GetAsync("/api/v1/admin/dashboard")).StatusCode);
    }

    /// <summary>Everything the dashboard shows, as text (the lists compared item by item), without the time it was read.</summary>
    private static string Comparable(Dashboard d) => JsonSerializer.Serialize(d with { AsOf = default });

    private sealed record Crafted(string SkuX, string SkuY, string SupplierX, string SupplierY, Guid Agent1, Guid Agent2, Actor Agent1Actor);

    /// <summary>Buys and files through the app, then moves every row to its crafted time and state.</summary>
    private async Task<Crafted> CraftAsync()
    {
        var (skuX, _) = await _kit.Shop.ProductWithKeysAsync(6);
        var supplierX = await _kit.Shop.SupplierAsync();
        var (skuY, _) = await _kit.Shop.ProductWithKeysAsync(0);
        var supplierY = "SUP-" + Guid.NewGuid().ToString("N")[..8];
        var opKey = (await _kit.Shop.OperatorAsync()).ApiKey;
        Assert.Equal(HttpStatusCode.Created, (await shop.Factory.ApiClient(opKey).PostAsJsonAsync("/api/v1/admin/suppliers",
            new { code = supplierY, name = "看板测试供应商", webhookSecret = "test-webhook-secret-123456" })).StatusCode);
        await _kit.Shop.ImportAsync(skuY, Enumerable.Range(0, 3).Select(_ => "Y" + Guid.NewGuid().ToString("N").ToUpperInvariant()).ToList(), supplierY);

        var (a, b, c) = (await _kit.BuyerAsync(100m), await _kit.BuyerAsync(100m), await _kit.BuyerAsync(100m));
        var a1 = await OrderAtAsync(a, skuX, 1, Bj(10, 2, 10));
        await OrderAtAsync(a, skuX, 1, Bj(10, 5, 10));
        await OrderAtAsync(a, skuX, 1, Bj(10, 11, 0, 10));
        var b1 = await OrderAtAsync(b, skuX, 2, Bj(10, 3, 12));
        var c1 = await OrderAtAsync(c, skuY, 1, Bj(10, 9, 23, 30));
        var c0 = await OrderAtAsync(c, skuY, 1, Bj(9, 25, 8));

        var agent1 = await _kit.StaffAsync(ShopRoles.Agent);
        var agent2 = await _kit.StaffAsync(ShopRoles.Agent);

        var t1 = await _kit.FileTicketAsync(a1, 0, TicketCategory.KeyInvalid);
        await SetTicketAsync(t1, agent1, "Closed", created: Bj(10, 2, 12), frDue: Bj(10, 2, 13), responded: Bj(10, 2, 12, 30),
            resDue: Bj(10, 3, 13), resolved: Bj(10, 3, 10), paused: 3600, breached: false, urges: 0, reopens: 0, rating: 5, ratedAt: Bj(10, 3, 11));
        var t2 = await _kit.FileTicketAsync(b1, 0, TicketCategory.KeyAlreadyUsed);
        await SetTicketAsync(t2, agent1, "Resolved", created: Bj(10, 4, 9), frDue: Bj(10, 4, 10, 30), responded: Bj(10, 4, 10, 20),
            resDue: Bj(10, 5, 11, 30), resolved: Bj(10, 6, 9), paused: 9000, breached: true, urges: 2, reopens: 1, rating: 2, ratedAt: Bj(10, 6, 10));
        var t3 = await _kit.FileTicketAsync(c1, 0, TicketCategory.RefundRequest);
        await SetTicketAsync(t3, agent2, "Open", created: Bj(10, 9, 20), frDue: Bj(10, 9, 21), responded: null,
            resDue: Bj(10, 10, 20), resolved: null, paused: 0, breached: true, urges: 0, reopens: 0, rating: null, ratedAt: null);
        var t4 = await _kit.FileTicketAsync(c0, 0, TicketCategory.KeyInvalid);
        await SetTicketAsync(t4, agent2, "Closed", created: Bj(9, 26, 10), frDue: Bj(9, 26, 11), responded: Bj(9, 26, 10, 10),
            resDue: Bj(9, 27, 10), resolved: Bj(9, 26, 12), paused: 0, breached: false, urges: 0, reopens: 0, rating: 4, ratedAt: Bj(9, 26, 13));

        await PayoutAsync(t1, a1.OrderNo, "Refund", 5.00m, "Paid", agent1, Bj(10, 3, 9));
        await PayoutAsync(t2, b1.OrderNo, "Compensation", 3.00m, "Paid", agent2, Bj(10, 4, 11));
        await PayoutAsync(t3, c1.OrderNo, "Refund", 7.00m, "Pending", agent2, null);
        await PayoutAsync(t4, c0.OrderNo, "Refund", 2.00m, "Paid", agent2, Bj(9, 26, 11));

        // The assistant in the period: one chat answered on its own, one that asked for a person (T3), one that
        // opened a ticket about a faulty key (T1); and one in the period before.
        await ConversationAsync(a, Bj(10, 2, 11), null, humanAsked: false);
        await ConversationAsync(c, Bj(10, 9, 20), t3, humanAsked: true);
        await ConversationAsync(a, Bj(10, 2, 12), t1, humanAsked: false);
        await ConversationAsync(c, Bj(9, 25, 9), null, humanAsked: false);

        return new Crafted(skuX, skuY, supplierX, supplierY, agent1.UserId, agent2.UserId, agent1);
    }

    private async Task<BoughtOrder> OrderAtAsync(Actor buyer, string sku, int quantity, DateTimeOffset at)
    {
        var order = await _kit.BuyAsync(buyer, sku, quantity);
        await _kit.ExecuteAsync("UPDATE orders SET created_at = $1 WHERE no = $2", at, order.OrderNo);
        await _kit.ExecuteAsync("UPDATE card_keys SET sold_at = $1 WHERE id IN (SELECT i.card_key_id FROM order_items i JOIN orders o ON o.id = i.order_id WHERE o.no = $2)",
            at, order.OrderNo);
        return order;
    }

    /// <summary>Targets: first response 60 min, resolution 24 h; the due times already carry the paused spans.</summary>
    private Task SetTicketAsync(string ticketNo, Actor assignee, string status, DateTimeOffset created, DateTimeOffset frDue, DateTimeOffset? responded,
        DateTimeOffset resDue, DateTimeOffset? resolved, long paused, bool breached, int urges, int reopens, int? rating, DateTimeOffset? ratedAt) =>
        _kit.ExecuteAsync("""
            UPDATE tickets SET status = $2, assignee_id = $3, created_at = $4, updated_at = $4,
                first_response_target_minutes = 60, resolution_target_minutes = 1440,
                first_response_due_at = $5, first_responded_at = $6::timestamptz, resolution_due_at = $7, resolved_at = $8::timestamptz,
                closed_at = CASE WHEN $2 = 'Closed' THEN $8::timestamptz END, paused_since = $8::timestamptz,
                paused_seconds = $9, is_breached = $10, urge_count = $11, reopen_count = $12, rating = $13::int, rated_at = $14::timestamptz
            WHERE no = $1
            """,
            ticketNo, status, assignee.UserId, created, frDue, (object?)responded ?? DBNull.Value, resDue, (object?)resolved ?? DBNull.Value,
            paused, breached, urges, reopens, (object?)rating ?? DBNull.Value, (object?)ratedAt ?? DBNull.Value);

    private Task ConversationAsync(Actor buyer, DateTimeOffset at, string? ticketNo, bool humanAsked) =>
        _kit.ExecuteAsync("""
            INSERT INTO assistant_conversations (id, user_id, culture, started_at, last_message_at, ticket_id, asked_for_human, turns)
            VALUES (gen_random_uuid(), $1, 'zh-CN', $2, $2, (SELECT id FROM tickets WHERE no = $3), $4, 2)
            """, buyer.UserId, at, (object?)ticketNo ?? DBNull.Value, humanAsked);

    private Task PayoutAsync(string ticketNo, string orderNo, string kind, decimal amount, string status, Actor by, DateTimeOffset? decidedAt) =>
        _kit.ExecuteAsync("""
            INSERT INTO payouts (id, ticket_id, order_id, kind, amount, reason, status, requested_by, request_key, requested_at, decided_by, decided_at)
            SELECT gen_random_uuid(), t.id, o.id, $3, $4, 'crafted', $5, $6, gen_random_uuid()::text, coalesce($7::timestamptz, t.created_at),
                   CASE WHEN $7::timestamptz IS NOT NULL THEN $6 END, $7::timestamptz
            FROM tickets t, orders o WHERE t.no = $1 AND o.no = $2
            """,
            ticketNo, orderNo, kind, amount, status, by.UserId, (object?)decidedAt ?? DBNull.Value);
}
