using System.Net;
using CardMall.Application.Features.Risk;
using CardMall.Application.Features.Tickets;
using CardMall.Domain.Accounts;
using CardMall.Domain.Common;
using CardMall.Domain.Risk;
using CardMall.Domain.Tickets;
using CardMall.IntegrationTests.Support;
using CardMall.IntegrationTests.Tickets;

namespace CardMall.IntegrationTests.Risk;

/// <summary>
/// Batch incidents against PostgreSQL: buyers who bought keys of one batch complain through the API; the
/// third complaint within 24 hours opens exactly one incident (also when complaints arrive at once), the
/// batch's unsold keys stop selling while sold ones stay with their buyers, operators hear of it, and later
/// complaints join it. The operator's bulk remedy replaces or refunds every affected key once however often
/// it is pressed, and charges the supplier once per key.
/// </summary>
public sealed class IncidentTests(TicketShop shop) : IClassFixture<TicketShop>
{
    private readonly TicketTestKit _kit = new(shop);

    [Fact]
    public async Task The_third_complaint_opens_one_incident_freezes_the_unsold_keys_and_later_complaints_join_it()
    {
        var batch = await BatchAsync(keys: 10);
        var orders = new List<BoughtOrder>();
        for (var n = 0; n < 4; n++) orders.Add(await _kit.BuyerWithOrderAsync(1, sku: batch.Sku));
        var other = await BatchAsync(keys: 5);
        var otherOrder = await _kit.BuyerWithOrderAsync(1, sku: other.Sku);

        var first = await _kit.FileAsync(orders[0]);
        var second = await _kit.FileAsync(orders[1], "key_already_used");
        // A complaint that is not about the key itself does not count.
        var notAboutTheKey = await _kit.FileAsync(orders[2], "wrong_region");
        Assert.Equal(0L, await IncidentsAsync(batch));
        Assert.Equal(6L, await KeysAsync(batch, "Available"));
        // A key has one open ticket: the key complaint comes once the region question is settled.
        await _kit.ResolveAsync(notAboutTheKey);

        var third = await _kit.FileAsync(orders[2], "activation_failed");

        Assert.Equal(1L, await IncidentsAsync(batch));
        var no = await IncidentNoAsync(batch);
        Assert.Matches(@"^IN\d{18}$", no);
        Assert.Equal("Open", await _kit.ScalarAsync<string>("SELECT status FROM incidents WHERE no = $1", no));
        Assert.Equal("complaints_in_window:3:24", await _kit.ScalarAsync<string>("SELECT reason FROM incidents WHERE no = $1", no));
        // The six unsold keys stop selling; the four sold ones stay with their buyers, untouched.
        Assert.Equal(0L, await KeysAsync(batch, "Available"));
        Assert.Equal(6L, await KeysAsync(batch, "Frozen"));
        Assert.Equal(4L, await KeysAsync(batch, "Sold"));
        Assert.Equal(6L, await _kit.CountAsync("SELECT count(*) FROM card_keys WHERE batch_id = $1 AND state = 'Frozen' AND state_before_freeze = 'Available'", batch.Id));
        Assert.Equal(6L, await _kit.CountAsync(
            "SELECT count(*) FROM card_key_events e JOIN card_keys k ON k.id = e.card_key_id WHERE k.batch_id = $1 AND e.kind = 'Frozen' AND e.detail = $2",
            batch.Id, "incident " + no));
        Assert.True(await _kit.ScalarAsync<bool>("SELECT is_frozen FROM key_batches WHERE id = $1", batch.Id));
        // The frozen batch sells nothing more.
        var late = await _kit.BuyerAsync(100m);
        using var purchase = new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { sku = batch.Sku, quantity = 1, acceptNotices = true }),
        };
        purchase.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        var refused = await _kit.App.ApiClient(late.Account.ApiKey).SendAsync(purchase);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("out_of_stock", await refused.Content.ReadAsStringAsync());

        Assert.Equal(new[] { first, second, third }.Order(), await LinkedTicketsAsync(no));
        Assert.Equal(3L, await _kit.CountAsync(
            "SELECT count(*) FROM ticket_events e JOIN incident_tickets l ON l.ticket_id = e.ticket_id JOIN incidents i ON i.id = l.incident_id WHERE i.no = $1 AND e.kind = 'incident_linked' AND NOT e.is_public",
            no));

        // Every operator and admin is told, in-app and by e-mail, with a link to the incident.
        var op = await _kit.Shop.OperatorAsync();
        Assert.Equal(1L, await _kit.CountAsync("SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = 'IncidentOpened' AND link = $2",
            op.UserId, "/Admin/Incidents/" + no));
        Assert.Equal(0L, await _kit.CountAsync("""
            SELECT count(*) FROM user_roles ur JOIN roles r ON r.id = ur.role_id
            WHERE r.name IN ('Operator', 'Admin')
              AND NOT EXISTS (SELECT 1 FROM notifications n JOIN outgoing_emails m ON m.notification_id = n.id
                              WHERE n.user_id = ur.user_id AND n.kind = 'IncidentOpened' AND n.link = $1)
            """, "/Admin/Incidents/" + no));
        Assert.Equal(1L, await _kit.CountAsync(
            "SELECT count(*) FROM risk_alerts a JOIN incidents i ON i.id = a.incident_id WHERE i.no = $1 AND a.kind = 'incident_opened'", no));

        // A fourth complaint joins the incident; nothing opens twice.
        var fourth = await _kit.FileAsync(orders[3]);
        Assert.Equal(1L, await IncidentsAsync(batch));
        Assert.Contains(fourth, await LinkedTicketsAsync(no));
        Assert.Equal(4, (await LinkedTicketsAsync(no)).Count);

        // Another batch's complaint neither joins it nor opens one of its own.
        var elsewhere = await _kit.FileAsync(otherOrder);
        Assert.DoesNotContain(elsewhere, await LinkedTicketsAsync(no));
        Assert.Equal(0L, await IncidentsAsync(other));
        Assert.Equal(4L, await KeysAsync(other, "Available"));
    }

    [Fact]
    public async Task Complaints_filed_at_the_same_moment_open_exactly_one_incident()
    {
        var batch = await BatchAsync(keys: 10);
        var orders = new List<BoughtOrder>();
        for (var n = 0; n < 5; n++) orders.Add(await _kit.BuyerWithOrderAsync(1, sku: batch.Sku));
        await _kit.FileAsync(orders[0]);
        await _kit.FileAsync(orders[1]);

        // The third, fourth and fifth arrive together: one of them opens the incident, the others join it.
        var together = await Task.WhenAll(orders.Skip(2).Select(o => _kit.FileAsync(o)));

        Assert.Equal(1L, await IncidentsAsync(batch));
        var no = await IncidentNoAsync(batch);
        var linked = await LinkedTicketsAsync(no);
        Assert.Equal(5, linked.Count);
        Assert.All(together, t => Assert.Contains(t, linked));
        Assert.Equal(5L, await KeysAsync(batch, "Frozen"));
        Assert.Equal(5L, await KeysAsync(batch, "Sold"));
        Assert.Equal(5L, await _kit.CountAsync(
            "SELECT count(*) FROM card_key_events e JOIN card_keys k ON k.id = e.card_key_id WHERE k.batch_id = $1 AND e.kind = 'Frozen'", batch.Id));
        var op = await _kit.Shop.OperatorAsync();
        Assert.Equal(1L, await _kit.CountAsync("SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = 'IncidentOpened' AND link = $2",
            op.UserId, "/Admin/Incidents/" + no));
    }

    [Fact]
    public async Task Replace_all_pressed_twice_at_once_and_again_replaces_each_key_once_resolves_the_tickets_and_charges_the_supplier_once()
    {
        var (batch, no, items, tickets) = await IncidentAsync(buyers: 3);
        // Fresh stock from a second batch: the frozen one cannot be used.
        await _kit.Shop.ImportAsync(batch.Sku, Enumerable.Range(0, 5).Select(_ => "R" + Guid.NewGuid().ToString("N")).ToList());
        var op = await _kit.StaffAsync(ShopRoles.Operator);

        var presses = await Task.WhenAll(
            _kit.SendAsync(op, new ApplyIncidentRemedy(no, IncidentRemedy.ReplaceAll)),
            _kit.SendAsync(op, new ApplyIncidentRemedy(no, IncidentRemedy.ReplaceAll)));
        var again = await _kit.SendAsync(op, new ApplyIncidentRemedy(no, IncidentRemedy.ReplaceAll));

        Assert.Equal(3, presses.Sum(p => p.Replaced));
        Assert.Contains(presses, p => p.Replaced == 0 && p.AlreadyDone == 3 && p.LiabilityCharged == 0m);
        Assert.Equal(3.00m, presses.Sum(p => p.LiabilityCharged));
        Assert.Equal((0, 3, 0m, 0), (again.Replaced, again.AlreadyDone, again.LiabilityCharged, again.TicketsResolved));

        foreach (var item in items)
        {
            Assert.Equal(1L, await _kit.CountAsync("SELECT count(*) FROM order_items WHERE replaces_item_id = $1", item));
            Assert.Equal("Void", await _kit.ScalarAsync<string>("SELECT k.state FROM card_keys k JOIN order_items i ON i.card_key_id = k.id WHERE i.id = $1", item));
            Assert.Equal(1L, await _kit.CountAsync("""
                SELECT count(*) FROM order_items n JOIN card_keys k ON k.id = n.card_key_id
                WHERE n.replaces_item_id = $1 AND k.state = 'Sold' AND k.batch_id <> $2
                """, item, batch.Id));
        }
        Assert.Equal(2L, await _kit.CountAsync("SELECT count(*) FROM card_keys WHERE product_id = (SELECT id FROM products WHERE sku = $1) AND state = 'Available'", batch.Sku));
        foreach (var ticketNo in tickets)
        {
            var t = await _kit.TicketAsync(ticketNo);
            Assert.Equal((TicketStatus.Resolved, Responsibility.Supplier, RootCause.KeyDefective, TicketResolution.Replaced),
                (t.Status, t.Responsibility!.Value, t.RootCause!.Value, t.Resolution!.Value));
        }
        Assert.Equal(3L, await _kit.CountAsync("SELECT count(*) FROM supplier_ledger_entries e JOIN incidents i ON i.id = e.incident_id WHERE i.no = $1", no));
        Assert.Equal(3.00m, await _kit.ScalarAsync<decimal>("SELECT liability_amount FROM incidents WHERE no = $1", no));
        Assert.Equal("Remedied", await _kit.ScalarAsync<string>("SELECT status FROM incidents WHERE no = $1", no));
        Assert.Equal("ReplaceAll", await _kit.ScalarAsync<string>("SELECT remedy FROM incidents WHERE no = $1", no));

        // The incident page shows every item replaced and nothing left to do.
        var detail = await _kit.SendAsync(op, new GetIncident(no));
        Assert.Equal((3, 0, 3), (detail.AffectedItems, detail.PendingItems, detail.ReplacedItems));
    }

    [Fact]
    public async Task Replace_all_without_stock_changes_nothing_and_says_so()
    {
        var (batch, no, items, tickets) = await IncidentAsync(buyers: 3);
        var op = await _kit.StaffAsync(ShopRoles.Operator);
        var itemsBefore = await _kit.CountAsync("SELECT count(*) FROM order_items");

        var refused = Assert.IsType<DomainRuleException>(await _kit.RefusalAsync(op, new ApplyIncidentRemedy(no, IncidentRemedy.ReplaceAll)));

        Assert.Equal(ErrorCodes.OutOfStock, refused.Code);
        Assert.Contains(batch.Sku, refused.Message);
        Assert.Equal(itemsBefore, await _kit.CountAsync("SELECT count(*) FROM order_items"));
        Assert.Equal(0L, await _kit.CountAsync("SELECT count(*) FROM supplier_ledger_entries e JOIN incidents i ON i.id = e.incident_id WHERE i.no = $1", no));
        Assert.Equal("Open", await _kit.ScalarAsync<string>("SELECT status FROM incidents WHERE no = $1", no));
        foreach (var ticketNo in tickets) Assert.NotEqual(TicketStatus.Resolved, (await _kit.TicketAsync(ticketNo)).Status);
        Assert.Equal(3L, await KeysAsync(batch, "Sold"));
        Assert.Equal(3, items.Count);
    }

    [Fact]
    public async Task Refund_all_pressed_twice_at_once_and_again_refunds_each_item_once_and_never_more_than_the_order()
    {
        var batch = await BatchAsync(keys: 10);
        // One buyer complains about both keys of a two-key order, on which an agent had already refunded ¥15 of ¥20.
        var pair = await _kit.BuyerWithOrderAsync(2, sku: batch.Sku);
        var singles = new[] { await _kit.BuyerWithOrderAsync(1, sku: batch.Sku), await _kit.BuyerWithOrderAsync(1, sku: batch.Sku) };
        var pairTicket = await _kit.FileAsync(pair, items: pair.ItemIds);
        var admin = await _kit.StaffAsync(ShopRoles.Admin);
        await _kit.SendAsync(admin, new IssuePayout(pairTicket, PayoutKind.Refund, 15.00m, "Partial refund agreed earlier", "earlier-refund"));
        foreach (var o in singles) await _kit.FileAsync(o);
        Assert.Equal(1L, await IncidentsAsync(batch));
        var no = await IncidentNoAsync(batch);
        var op = await _kit.StaffAsync(ShopRoles.Operator);
        var pairBalance = await _kit.BalanceAsync(pair.Buyer);

        var presses = await Task.WhenAll(
            _kit.SendAsync(op, new ApplyIncidentRemedy(no, IncidentRemedy.RefundAll)),
            _kit.SendAsync(op, new ApplyIncidentRemedy(no, IncidentRemedy.RefundAll)));
        var again = await _kit.SendAsync(op, new ApplyIncidentRemedy(no, IncidentRemedy.RefundAll));

        // ¥10 for each single key; the pair's order had only ¥5 left, so ¥5 for one key and nothing for the other.
        Assert.Equal(25.00m, presses.Sum(p => p.RefundedAmount));
        Assert.Equal(3, presses.Sum(p => p.Refunded));
        Assert.Equal((0, 0m, 4), (again.Refunded, again.RefundedAmount, again.AlreadyDone));
        Assert.Equal(20.00m, await _kit.RefundedAsync(pair.OrderNo));
        Assert.Equal(pairBalance + 5.00m, await _kit.BalanceAsync(pair.Buyer));
        foreach (var o in singles)
        {
            Assert.Equal(10.00m, await _kit.RefundedAsync(o.OrderNo));
            Assert.Equal(100.00m, await _kit.BalanceAsync(o.Buyer));
            Assert.Equal(1L, await _kit.CountAsync("SELECT count(*) FROM payouts WHERE request_key = $1 AND status = 'Paid'", IncidentItems.RefundKey(no, o.ItemIds[0])));
            Assert.Equal("Void", await _kit.ScalarAsync<string>("SELECT k.state FROM card_keys k JOIN order_items i ON i.card_key_id = k.id WHERE i.id = $1", o.ItemIds[0]));
        }
        Assert.Equal(0L, await _kit.CountAsync("SELECT count(*) FROM orders WHERE refunded_amount > total"));
        await _kit.AssertWalletsMatchLedgerAsync();

        foreach (var ticketNo in await LinkedTicketsAsync(no))
        {
            var t = await _kit.TicketAsync(ticketNo);
            Assert.Equal((TicketStatus.Resolved, TicketResolution.Refunded), (t.Status, t.Resolution!.Value));
        }
        // The supplier answers for all four keys, once each.
        Assert.Equal(4L, await _kit.CountAsync("SELECT count(*) FROM supplier_ledger_entries e JOIN incidents i ON i.id = e.incident_id WHERE i.no = $1", no));
        Assert.Equal(4.00m, await _kit.ScalarAsync<decimal>("SELECT liability_amount FROM incidents WHERE no = $1", no));
    }

    [Fact]
    public async Task Buyers_agents_and_supervisors_cannot_apply_a_remedy_or_close_and_an_incident_closes_only_after_its_remedy()
    {
        var (_, no, _, _) = await IncidentAsync(buyers: 3);
        foreach (var role in new[] { ShopRoles.Buyer, ShopRoles.Agent, ShopRoles.Supervisor })
        {
            var person = await _kit.PersonAsync(role);
            var refused = Assert.IsType<DomainRuleException>(await _kit.RefusalAsync(person, new ApplyIncidentRemedy(no, IncidentRemedy.RefundAll)));
            Assert.Equal(ErrorCodes.Forbidden, refused.Code);
            Assert.Equal(ErrorCodes.Forbidden, Assert.IsType<DomainRuleException>(await _kit.RefusalAsync(person, new CloseIncident(no))).Code);
        }
        var buyer = await _kit.PersonAsync(ShopRoles.Buyer);
        Assert.Equal(ErrorCodes.Forbidden, Assert.IsType<DomainRuleException>(await _kit.RefusalAsync(buyer, new GetIncident(no))).Code);
        Assert.Equal(0L, await _kit.CountAsync("SELECT count(*) FROM payouts WHERE request_key LIKE 'incident:%' AND request_key LIKE $1", "%" + no + "%"));

        var op = await _kit.StaffAsync(ShopRoles.Operator);
        Assert.Equal(ErrorCodes.InvalidState, Assert.IsType<DomainRuleException>(await _kit.RefusalAsync(op, new CloseIncident(no))).Code);
        Assert.IsType<NotFoundException>(await _kit.RefusalAsync(op, new ApplyIncidentRemedy("IN2000010100000000000", IncidentRemedy.RefundAll)));

        await _kit.SendAsync(op, new ApplyIncidentRemedy(no, IncidentRemedy.RefundAll));
        var closed = await _kit.SendAsync(op, new CloseIncident(no));
        Assert.Equal(no, closed.IncidentNo);
        Assert.Equal("Closed", await _kit.ScalarAsync<string>("SELECT status FROM incidents WHERE no = $1", no));
        // Closing does not unfreeze the batch: an operator decides that on the batches page.
        Assert.True(await _kit.ScalarAsync<bool>("SELECT is_frozen FROM key_batches b JOIN incidents i ON i.batch_id = b.id WHERE i.no = $1", no));
        Assert.Equal(ErrorCodes.InvalidState, Assert.IsType<DomainRuleException>(await _kit.RefusalAsync(op, new ApplyIncidentRemedy(no, IncidentRemedy.RefundAll))).Code);
    }

    [Fact]
    public async Task The_incident_pages_list_and_show_the_incident_and_the_remedy_button_needs_its_confirmation()
    {
        var (batch, no, items, tickets) = await IncidentAsync(buyers: 3);
        var op = await _kit.StaffAsync(ShopRoles.Operator);
        using var web = await _kit.SignInAsync(op);

        var list = await web.GetAsync("/Admin/Incidents");
        Assert.Equal(HttpStatusCode.OK, list.Status);
        var row = list.Document.QuerySelector($"tr[data-incident='{no}']")!;
        Assert.Equal("3", row.QuerySelector("[data-testid=incident-tickets]")!.TextContent.Trim());
        Assert.Contains("3 different buyers complained about their keys within 24 h", row.QuerySelector("[data-testid=incident-reason]")!.TextContent);
        Assert.NotNull(list.Document.QuerySelector("[data-testid=nav-incidents]"));

        var url = "/Admin/Incidents/" + no;
        var page = await web.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("7", page.Document.QuerySelector("[data-testid=frozen-keys]")!.TextContent.Trim());
        Assert.Equal(3, page.Document.QuerySelectorAll("[data-testid=item-remedy][data-state=Pending]").Length);
        foreach (var t in tickets) Assert.NotNull(page.Document.QuerySelector($"tr[data-ticket='{t}']"));

        // Without the box ticked nothing happens and the box says why.
        var unconfirmed = await web.SubmitAsync(url, "form[data-testid=remedy-RefundAll]", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.OK, unconfirmed.Status);
        Assert.Single(unconfirmed.FieldErrors("Input.Confirm"));
        Assert.Equal(0m, await _kit.RefundedAsync(await _kit.ScalarAsync<string>("SELECT o.no FROM orders o JOIN order_items i ON i.order_id = o.id WHERE i.id = $1", items[0])));

        var done = await web.FollowAsync(await web.SubmitAsync(url, "form[data-testid=remedy-RefundAll]", new Dictionary<string, string> { ["Input.Confirm"] = "true" }));
        Assert.Contains("3 keys refunded", done.Document.QuerySelector("[data-testid=remedy-result]")!.TextContent);
        Assert.Equal(3, done.Document.QuerySelectorAll("[data-testid=item-remedy][data-state=Refunded]").Length);
        Assert.Equal("¥3.00", done.Document.QuerySelector("[data-testid=liability]")!.ChildNodes[0].TextContent.Trim());

        var closed = await web.FollowAsync(await web.SubmitAsync(url, "form[data-testid=close-incident]", new Dictionary<string, string>()));
        Assert.NotNull(closed.Document.QuerySelector("[data-testid=incident-closed]"));
        Assert.Null(closed.Document.QuerySelector("[data-testid=remedies]"));

        // Agents have no business here; supervisors may look but not act.
        using var agentWeb = await _kit.SignInAsync(await _kit.StaffAsync(ShopRoles.Agent));
        Assert.NotEqual(HttpStatusCode.OK, (await agentWeb.GetAsync(url)).Status);
        using var supervisorWeb = await _kit.SignInAsync(await _kit.StaffAsync(ShopRoles.Supervisor));
        var seen = await supervisorWeb.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, seen.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await web.GetAsync("/Admin/Incidents/IN2000010100000000000")).Status);
        Assert.Contains(batch.Sku, seen.Html);
        Assert.Null(seen.Document.QuerySelector("[data-testid=remedies]"));
    }

    [Fact]
    public async Task The_supplier_scorecard_counts_sold_and_complained_keys_api_health_incidents_and_liability()
    {
        // A supplier of its own, so nothing else in this class touches its figures.
        var own = new TestShop(_kit.App);
        var (sku, _) = await own.ProductWithKeysAsync(10, price: 10.00m);
        var code = await own.SupplierAsync();
        var supplierId = await _kit.ScalarAsync<Guid>("SELECT id FROM suppliers WHERE code = $1", code);
        var orders = new List<BoughtOrder>();
        for (var n = 0; n < 4; n++) orders.Add(await _kit.BuyerWithOrderAsync(1, sku: sku));
        await _kit.FileAsync(orders[0]);
        // The same key twice is one open ticket: the second complaint is sent to the first.
        var twice = await _kit.PostTicketAsync(orders[0].Account, new { orderNo = orders[0].OrderNo, itemIds = new[] { orders[0].ItemIds[0] },
            category = "key_already_used", description = "again" });
        Assert.Equal(System.Net.HttpStatusCode.Conflict, twice.StatusCode);
        await _kit.FileAsync(orders[1], "wrong_region");        // not a key complaint

        var now = _kit.Clock.GetUtcNow();
        int[] latencies = [100, 200, 300, 400, 500, 600, 700, 800, 900, 1000];
        string[] outcomes = ["ok", "ok", "ok", "ok", "ok", "ok", "ok", "ok", "timeout", "error"];
        for (var n = 0; n < latencies.Length; n++)
        {
            await _kit.ExecuteAsync("INSERT INTO supplier_calls (supplier_id, operation, at, latency_ms, outcome) VALUES ($1, 'query_key', $2, $3, $4)",
                supplierId, now.AddHours(-n - 1), latencies[n], outcomes[n]);
        }
        // The open breaker's refusal counts as a failure but took no time; last week's outage is history.
        await _kit.ExecuteAsync("INSERT INTO supplier_calls (supplier_id, operation, at, latency_ms, outcome) VALUES ($1, 'query_key', $2, 0, 'circuit_open')", supplierId, now.AddMinutes(-5));
        await _kit.ExecuteAsync("INSERT INTO supplier_calls (supplier_id, operation, at, latency_ms, outcome) VALUES ($1, 'query_key', $2, 9000, 'error')", supplierId, now.AddDays(-8));
        // Two incidents (one still open), the keys they were charged for, and a credit back to the supplier.
        var batchId = await _kit.ScalarAsync<Guid>("SELECT b.id FROM key_batches b JOIN products p ON p.id = b.product_id WHERE p.sku = $1", sku);
        var productId = await _kit.ScalarAsync<Guid>("SELECT id FROM products WHERE sku = $1", sku);
        var openId = Guid.NewGuid();
        var closedId = Guid.NewGuid();
        await _kit.ExecuteAsync("INSERT INTO incidents (id, no, batch_id, supplier_id, product_id, reason, status, opened_at, liability_amount) VALUES ($1, $2, $3, $4, $5, 'complaints_in_window:3:24', 'Open', $6, 0)",
            openId, "IN" + Guid.NewGuid().ToString("N")[..18], batchId, supplierId, productId, now.AddHours(-1));
        await _kit.ExecuteAsync("INSERT INTO incidents (id, no, batch_id, supplier_id, product_id, reason, status, opened_at, liability_amount, closed_at) VALUES ($1, $2, $3, $4, $5, 'complaint_rate:2:50:2', 'Closed', $6, 5, $6)",
            closedId, "IN" + Guid.NewGuid().ToString("N")[..18], batchId, supplierId, productId, now.AddDays(-3));
        await _kit.ExecuteAsync("INSERT INTO supplier_ledger_entries (supplier_id, incident_id, card_key_id, amount, reason, at) VALUES ($1, $2, $3, 2.50, 'incident', $4)",
            supplierId, closedId, Guid.NewGuid(), now.AddDays(-3));
        await _kit.ExecuteAsync("INSERT INTO supplier_ledger_entries (supplier_id, incident_id, card_key_id, amount, reason, at) VALUES ($1, $2, $3, 2.50, 'incident', $4)",
            supplierId, closedId, Guid.NewGuid(), now.AddDays(-3));
        await _kit.ExecuteAsync("INSERT INTO supplier_ledger_entries (supplier_id, amount, reason, at) VALUES ($1, -1.00, 'settled in part', $2)", supplierId, now.AddDays(-1));

        var op = await _kit.StaffAsync(ShopRoles.Operator);
        var page = await _kit.SendAsync(op, new GetSupplierScorecard(code));
        var s = page.Scorecard;

        Assert.Equal((10, 4, 1), (s.KeysImported, s.KeysSold, s.ComplainedKeys));
        Assert.Equal(0.25, s.DefectRate);
        Assert.Equal((11, 3), (s.Calls, s.FailedCalls));
        Assert.Equal(3.0 / 11, s.ApiErrorRate!.Value, 6);
        Assert.Equal(550.0, s.MedianLatencyMs);
        Assert.Equal(910.0, s.P90LatencyMs!.Value, 6);
        Assert.Equal(1, s.OpenIncidents);
        Assert.Equal(4.00m, s.LiabilityBalance);
        Assert.Equal(2, page.Incidents.Count);
        Assert.Contains(page.Ledger, l => l.Keys == 2 && l.Amount == 5.00m);

        var all = await _kit.SendAsync(op, new ListSupplierScorecards());
        Assert.Equal(s, all.Single(x => x.Code == code));
        var agent = await _kit.StaffAsync(ShopRoles.Agent);
        Assert.Equal(ErrorCodes.Forbidden, Assert.IsType<DomainRuleException>(await _kit.RefusalAsync(agent, new GetSupplierScorecard(code))).Code);

        // The supplier page, reached from the suppliers list, shows the same figures.
        using var web = await _kit.SignInAsync(op);
        var suppliers = await web.GetAsync("/Admin/Suppliers");
        Assert.Equal("/Admin/Suppliers/" + code, suppliers.Document.QuerySelector($"tr[data-code='{code}'] a[data-testid=supplier-link]")!.GetAttribute("href"));
        var html = await web.GetAsync("/Admin/Suppliers/" + code);
        Assert.Equal(HttpStatusCode.OK, html.Status);
        Assert.Equal("25%", html.Document.QuerySelector("[data-testid=defect-rate]")!.TextContent.Trim());
        Assert.Equal("27.27%", html.Document.QuerySelector("[data-testid=api-error-rate]")!.TextContent.Trim());
        Assert.Equal("550 ms", html.Document.QuerySelector("[data-testid=latency-median]")!.TextContent.Trim());
        Assert.Equal("1", html.Document.QuerySelector("[data-testid=open-incidents]")!.TextContent.Trim());
        Assert.Equal("¥4.00", html.Document.QuerySelector("[data-testid=liability-balance]")!.TextContent.Trim());
        Assert.Equal(HttpStatusCode.NotFound, (await web.GetAsync("/Admin/Suppliers/no-such-supplier")).Status);
    }

    // ---- helpers ----

    private sealed record Batch(string Sku, Guid Id);

    /// <summary>A product whose keys are one batch (of the kit's supplier).</summary>
    private async Task<Batch> BatchAsync(int keys, decimal price = 10.00m)
    {
        var (sku, _) = await _kit.Shop.ProductWithKeysAsync(keys, price: price);
        return new Batch(sku, await _kit.ScalarAsync<Guid>("SELECT b.id FROM key_batches b JOIN products p ON p.id = b.product_id WHERE p.sku = $1", sku));
    }

    /// <summary>A ten-key batch, <paramref name="buyers"/> buyers with a key each, each complaining: an open incident.</summary>
    private async Task<(Batch Batch, string No, IReadOnlyList<Guid> Items, IReadOnlyList<string> Tickets)> IncidentAsync(int buyers)
    {
        var batch = await BatchAsync(keys: 10);
        var items = new List<Guid>();
        var tickets = new List<string>();
        for (var n = 0; n < buyers; n++)
        {
            var order = await _kit.BuyerWithOrderAsync(1, sku: batch.Sku);
            items.Add(order.ItemIds[0]);
            tickets.Add(await _kit.FileAsync(order));
        }
        Assert.Equal(1L, await IncidentsAsync(batch));
        return (batch, await IncidentNoAsync(batch), items, tickets);
    }

    private Task<long> IncidentsAsync(Batch batch) => _kit.CountAsync("SELECT count(*) FROM incidents WHERE batch_id = $1", batch.Id);

    private Task<string> IncidentNoAsync(Batch batch) => _kit.ScalarAsync<string>("SELECT no FROM incidents WHERE batch_id = $1", batch.Id);

    private Task<long> KeysAsync(Batch batch, string state) =>
        _kit.CountAsync("SELECT count(*) FROM card_keys WHERE batch_id = $1 AND state = $2", batch.Id, state);

    private async Task<List<string>> LinkedTicketsAsync(string incidentNo)
    {
        await using var conn = await _kit.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand(
            "SELECT t.no FROM incident_tickets l JOIN incidents i ON i.id = l.incident_id JOIN tickets t ON t.id = l.ticket_id WHERE i.no = $1 ORDER BY t.no", conn);
        cmd.Parameters.AddWithValue(incidentNo);
        var nos = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) nos.Add(reader.GetString(0));
        return nos;
    }
}

/// <summary>The rate rule on its own: the count rule is set out of reach, the rate rule needs ten sold keys.</summary>
public sealed class RateRuleShop : TicketShop
{
    protected override void AddSettings(IDictionary<string, string?> settings)
    {
        settings["CardMall:Risk:ComplaintsPerBatch"] = "1000";
        settings["CardMall:Risk:ComplaintRate"] = "0.02";
        settings["CardMall:Risk:MinSoldForRate"] = "10";
    }
}

public sealed class IncidentRateTests(RateRuleShop shop) : IClassFixture<RateRuleShop>
{
    private readonly TicketTestKit _kit = new(shop);

    [Fact]
    public async Task A_batch_whose_complaint_rate_passes_the_threshold_opens_an_incident_once_enough_keys_are_sold()
    {
        // Fifty keys sold from a sixty-key batch, 48 of them to one reseller: two complained keys are 4 %, past the 2 %.
        var (sku, _) = await _kit.Shop.ProductWithKeysAsync(60, price: 1.00m, maxPerOrder: 50);
        var batchId = await _kit.ScalarAsync<Guid>("SELECT b.id FROM key_batches b JOIN products p ON p.id = b.product_id WHERE p.sku = $1", sku);
        var order = await _kit.BuyAsync(await _kit.BuyerAsync(50.00m), sku, 48);
        var second = await _kit.BuyAsync(await _kit.BuyerAsync(5.00m), sku, 1);
        var third = await _kit.BuyAsync(await _kit.BuyerAsync(5.00m), sku, 1);

        // One buyer's complaints are that buyer's case, however high their share: nothing freezes.
        await _kit.FileAsync(order, items: [order.ItemIds[0]]);
        await _kit.FileAsync(order, "key_already_used", items: [order.ItemIds[1]]);
        Assert.Equal(0L, await _kit.CountAsync("SELECT count(*) FROM incidents WHERE batch_id = $1", batchId));
        await _kit.FileAsync(second);
        Assert.Equal(0L, await _kit.CountAsync("SELECT count(*) FROM incidents WHERE batch_id = $1", batchId));

        // A third buyer: four of fifty sold keys (8 %) from three buyers.
        await _kit.FileAsync(third);

        Assert.Equal("complaint_rate:4:50:2", await _kit.ScalarAsync<string>("SELECT reason FROM incidents WHERE batch_id = $1", batchId));
        Assert.Equal(10L, await _kit.CountAsync("SELECT count(*) FROM card_keys WHERE batch_id = $1 AND state = 'Frozen'", batchId));
        Assert.Equal(4L, await _kit.CountAsync("SELECT count(*) FROM incident_tickets l JOIN incidents i ON i.id = l.incident_id WHERE i.batch_id = $1", batchId));

        var op = await _kit.StaffAsync(ShopRoles.Operator);
        var list = await _kit.SendAsync(op, new ListIncidents(IncidentStatus.Open));
        var row = list.Items.Single(i => i.ProductSku == sku);
        Assert.Equal((IncidentReason.ComplaintRate, 4, 50, 8.0, 2.0),
            (row.Reason.Kind, row.Reason.Complaints, row.Reason.Sold, row.Reason.RatePercent, row.Reason.ThresholdPercent));
    }

    [Fact]
    public async Task A_batch_with_too_few_sold_keys_is_not_judged_by_its_rate()
    {
        var (sku, _) = await _kit.Shop.ProductWithKeysAsync(10, price: 1.00m);
        var batchId = await _kit.ScalarAsync<Guid>("SELECT b.id FROM key_batches b JOIN products p ON p.id = b.product_id WHERE p.sku = $1", sku);
        var order = await _kit.BuyAsync(await _kit.BuyerAsync(5.00m), sku, 5);

        // Three of five sold keys complained about (60 %), but five sold keys are too few to judge.
        foreach (var item in order.ItemIds.Take(3)) await _kit.FileAsync(order, items: [item]);

        Assert.Equal(0L, await _kit.CountAsync("SELECT count(*) FROM incidents WHERE batch_id = $1", batchId));
        Assert.Equal(5L, await _kit.CountAsync("SELECT count(*) FROM card_keys WHERE batch_id = $1 AND state = 'Available'", batchId));
    }
}
