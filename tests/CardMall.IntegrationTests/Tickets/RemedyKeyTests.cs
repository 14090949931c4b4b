using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CardMall.Application.Features.Tickets;
using CardMall.Domain.Accounts;
using CardMall.Domain.Common;
using CardMall.Domain.Tickets;
using CardMall.IntegrationTests.Support;
using CardMall.TestSupport;
using FluentValidation;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace CardMall.IntegrationTests.Tickets;

/// <summary>
/// Replacing keys and escalating to the supplier, against PostgreSQL: a replacement takes a key that was
/// really available, voids the old one, happens once however often it is clicked, and the buyer sees the
/// result on the order page and in the API.
/// </summary>
public sealed class RemedyKeyTests(TicketShop shop, ITestOutputHelper output) : IClassFixture<TicketShop>
{
    private readonly TicketTestKit _kit = new(shop);

    [Fact]
    public async Task A_replacement_sells_a_fresh_key_voids_the_old_one_and_the_buyer_sees_the_new_key()
    {
        var (sku, codes) = await _kit.Shop.ProductWithKeysAsync(3, price: 10.00m);
        var buyer = await _kit.BuyerAsync(10.00m);
        var (orderNo, items) = await _kit.BuyAsync(buyer, sku, 1);
        // Somebody else owns a sold key of the same product: it must never be the replacement.
        var other = await _kit.BuyerAsync(10.00m);
        var (otherOrderNo, _) = await _kit.BuyAsync(other, sku, 1);
        var ticketNo = await _kit.FileTicketAsync(buyer, orderNo, items);
        var agent = await _kit.StaffAsync(ShopRoles.Agent);

        var api = shop.Factory.ApiClient(buyer.Account.ApiKey);
        var oldCode = (await OrderJsonAsync(api, orderNo)).GetProperty("items")[0].GetProperty("code").GetString()!;
        var otherCode = (await OrderJsonAsync(shop.Factory.ApiClient(other.Account.ApiKey), otherOrderNo)).GetProperty("items")[0].GetProperty("code").GetString()!;
        var available = await _kit.ScalarAsync<Guid>("SELECT k.id FROM card_keys k JOIN products p ON p.id = k.product_id WHERE p.sku = $1 AND k.state = 'Available'", sku);

        var replaced = await _kit.SendAsync(agent, new ReplaceKey(ticketNo, items[0]));

        Assert.Equal(orderNo, replaced.OrderNo);
        Assert.Equal(available, await _kit.ScalarAsync<Guid>("SELECT card_key_id FROM order_items WHERE id = $1", replaced.NewItemId));
        Assert.Equal("Sold", await _kit.ScalarAsync<string>("SELECT state FROM card_keys WHERE id = $1", available));
        Assert.Equal(orderNo, await _kit.ScalarAsync<string>("SELECT o.no FROM card_keys k JOIN orders o ON o.id = k.order_id WHERE k.id = $1", available));
        Assert.Equal("Void", await _kit.ScalarAsync<string>("SELECT k.state FROM card_keys k JOIN order_items i ON i.card_key_id = k.id WHERE i.id = $1", items[0]));
        Assert.Equal("replaced on ticket " + ticketNo, await _kit.ScalarAsync<string>(
            "SELECT e.detail FROM card_key_events e JOIN order_items i ON i.card_key_id = e.card_key_id WHERE i.id = $1 AND e.kind = 'Voided'", items[0]));
        Assert.Equal(items[0], await _kit.ScalarAsync<Guid>("SELECT replaces_item_id FROM order_items WHERE id = $1", replaced.NewItemId));
        Assert.Equal(1L, await _kit.CountAsync("SELECT count(*) FROM ticket_items ti JOIN tickets t ON t.id = ti.ticket_id WHERE t.no = $1 AND ti.order_item_id = $2", ticketNo, replaced.NewItemId));
        Assert.Equal(1L, await _kit.CountAsync("SELECT count(*) FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id WHERE t.no = $1 AND e.kind = 'key_replaced' AND e.is_public", ticketNo));
        Assert.Equal(0L, await _kit.CountAsync("SELECT count(*) FROM card_keys WHERE state = 'Available' AND product_id = (SELECT id FROM products WHERE sku = $1)", sku));

        // The buyer is told where to look (in-app and by e-mail), never what the key is.
        Assert.Equal("/Orders/" + orderNo, await _kit.ScalarAsync<string>("SELECT link FROM notifications WHERE user_id = $1 AND kind = 'TicketKeyReplaced'", buyer.UserId));
        Assert.Equal(1L, await _kit.CountAsync("SELECT count(*) FROM outgoing_emails e JOIN notifications n ON n.id = e.notification_id WHERE n.user_id = $1 AND n.kind = 'TicketKeyReplaced'", buyer.UserId));
        var args = await _kit.ScalarAsync<string>("SELECT args FROM notifications WHERE user_id = $1 AND kind = 'TicketKeyReplaced'", buyer.UserId);
        foreach (var code in codes) Assert.DoesNotContain(code, args, StringComparison.OrdinalIgnoreCase);

        // The API: the old item is void without its code, the new one is sold with a code nobody else has.
        var order = await OrderJsonAsync(api, orderNo);
        var rows = order.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, rows.Count);
        var oldRow = rows.Single(r => r.GetProperty("itemId").GetGuid() == items[0]);
        var newRow = rows.Single(r => r.GetProperty("itemId").GetGuid() == replaced.NewItemId);
        Assert.Equal("void", oldRow.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, oldRow.GetProperty("code").ValueKind);
        Assert.Equal("sold", newRow.GetProperty("state").GetString());
        var newCode = newRow.GetProperty("code").GetString()!;
        Assert.Contains(newCode, codes);
        Assert.NotEqual(oldCode, newCode);
        Assert.NotEqual(otherCode, newCode);

        // The order page: the old key is marked void with nothing to reveal, the new one can be revealed.
        using var web = await _kit.SignInAsync(buyer, "en-US");
        var page = await web.GetAsync("/Orders/" + orderNo);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        var oldLi = page.Document.QuerySelector($"[data-testid=key-row][data-item-id='{items[0]}']")!;
        var newLi = page.Document.QuerySelector($"[data-testid=key-row][data-item-id='{replaced.NewItemId}']")!;
        Assert.Null(oldLi.QuerySelector("[data-testid=reveal]"));
        Assert.Null(oldLi.QuerySelector("[data-testid=masked-key]"));
        Assert.Contains("text-bg-secondary", oldLi.QuerySelector("[data-testid=key-state]")!.ClassName);
        Assert.NotNull(newLi.QuerySelector("[data-testid=reveal]"));
        Assert.Contains("text-bg-success", newLi.QuerySelector("[data-testid=key-state]")!.ClassName);
        Assert.DoesNotContain(oldCode, page.Html);
    }

    [Fact]
    public async Task Concurrent_replacements_of_one_key_replace_it_once()
    {
        var (sku, _) = await _kit.Shop.ProductWithKeysAsync(6, price: 10.00m);
        var buyer = await _kit.BuyerAsync(10.00m);
        var (orderNo, items) = await _kit.BuyAsync(buyer, sku, 1);
        var first = await _kit.FileTicketAsync(buyer, orderNo, items);
        // A key has one open ticket at a time: the second is filed once the first was resolved (remedies still apply there).
        await _kit.ResolveAsync(first);
        var second = await _kit.FileTicketAsync(buyer, orderNo, items, TicketCategory.ActivationFailed);
        var agents = new[] { await _kit.StaffAsync(ShopRoles.Agent), await _kit.StaffAsync(ShopRoles.Supervisor) };

        var clock = Stopwatch.StartNew();
        // Two clicks on each of two tickets about the same key.
        var attempts = await Task.WhenAll(Enumerable.Range(0, 4).Select(i =>
            _kit.RefusalAsync(agents[i % 2], new ReplaceKey(i < 2 ? first : second, items[0]))));
        output.WriteLine($"4 concurrent replacements of one key: {clock.ElapsedMilliseconds} ms");

        Assert.Single(attempts, a => a is null);
        foreach (var refused in attempts.OfType<Exception>())
        {
            var rule = Assert.IsType<DomainRuleException>(refused);
            Assert.Equal(ErrorCodes.InvalidState, rule.Code);
            Assert.Contains("already been replaced", rule.Message);
        }
        Assert.Equal(2L, await _kit.CountAsync("SELECT count(*) FROM order_items WHERE order_id = (SELECT id FROM orders WHERE no = $1)", orderNo));
        Assert.Equal(4L, await _kit.CountAsync("SELECT count(*) FROM card_keys WHERE state = 'Available' AND product_id = (SELECT id FROM products WHERE sku = $1)", sku));
        Assert.Equal(1L, await _kit.CountAsync("SELECT count(*) FROM card_key_events WHERE kind = 'Voided' AND order_id = (SELECT id FROM orders WHERE no = $1)", orderNo));
        Assert.Equal(1L, await _kit.CountAsync("SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = 'TicketKeyReplaced'", buyer.UserId));
    }

    [Fact]
    public async Task Without_stock_a_replacement_is_out_of_stock_and_nothing_changes()
    {
        var (sku, _) = await _kit.Shop.ProductWithKeysAsync(1, price: 10.00m);
        var buyer = await _kit.BuyerAsync(10.00m);
        var (orderNo, items) = await _kit.BuyAsync(buyer, sku, 1);
        var ticketNo = await _kit.FileTicketAsync(buyer, orderNo, items);
        var agent = await _kit.StaffAsync(ShopRoles.Agent);
        const string KeyEvents = "SELECT count(*) FROM card_key_events e JOIN card_keys k ON k.id = e.card_key_id JOIN products p ON p.id = k.product_id WHERE p.sku = $1";
        var events = await _kit.CountAsync(KeyEvents, sku);

        var refused = await _kit.RefusalAsync(agent, new ReplaceKey(ticketNo, items[0]));

        var rule = Assert.IsType<DomainRuleException>(refused);
        Assert.Equal(ErrorCodes.OutOfStock, rule.Code);
        Assert.Contains("nothing was changed", rule.Message);
        Assert.Equal("Sold", await _kit.ScalarAsync<string>("SELECT k.state FROM card_keys k JOIN order_items i ON i.card_key_id = k.id WHERE i.id = $1", items[0]));
        Assert.Equal(1L, await _kit.CountAsync("SELECT count(*) FROM order_items WHERE order_id = (SELECT id FROM orders WHERE no = $1)", orderNo));
        Assert.Equal(events, await _kit.CountAsync(KeyEvents, sku));
        Assert.Equal(0L, await _kit.CountAsync("SELECT count(*) FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id WHERE t.no = $1 AND e.kind = 'key_replaced'", ticketNo));
        Assert.Equal(0L, await _kit.CountAsync("SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = 'TicketKeyReplaced'", buyer.UserId));
    }

    [Fact]
    public async Task Only_keys_on_the_ticket_can_be_replaced()
    {
        var (sku, _) = await _kit.Shop.ProductWithKeysAsync(4, price: 10.00m);
        var buyer = await _kit.BuyerAsync(20.00m);
        var (orderNo, items) = await _kit.BuyAsync(buyer, sku, 2);
        var ticketNo = await _kit.FileTicketAsync(buyer, orderNo, [items[0]]);
        var agent = await _kit.StaffAsync(ShopRoles.Agent);

        var refused = await _kit.RefusalAsync(agent, new ReplaceKey(ticketNo, items[1]));

        var validation = Assert.IsType<ValidationException>(refused);
        Assert.Contains(validation.Errors, e => e.PropertyName == nameof(ReplaceKey.ItemId));
        Assert.Equal("Sold", await _kit.ScalarAsync<string>("SELECT k.state FROM card_keys k JOIN order_items i ON i.card_key_id = k.id WHERE i.id = $1", items[1]));
    }

    [Fact]
    public async Task Escalating_waits_on_the_supplier_with_a_due_time_and_the_supplier_reply_reopens_the_ticket()
    {
        var t = await _kit.OrderWithTicketAsync(price: 10.00m, quantity: 1, stock: 1);
        var agent = await _kit.StaffAsync(ShopRoles.Agent);
        var now = shop.Clock.GetUtcNow();

        var empty = await _kit.RefusalAsync(agent, new EscalateToSupplier(t.TicketNo, "   "));
        Assert.Contains(Assert.IsType<ValidationException>(empty).Errors, e => e.PropertyName == nameof(EscalateToSupplier.Question));

        var escalation = await _kit.SendAsync(agent, new EscalateToSupplier(t.TicketNo, "Was this key redeemed before we sold it?"));

        Assert.Equal(now.AddHours(24), escalation.DueAt);
        Assert.Equal(1, escalation.Cases);
        Assert.Equal("WaitingOnSupplier", await _kit.ScalarAsync<string>("SELECT status FROM tickets WHERE no = $1", t.TicketNo));
        var supplierCode = await _kit.Shop.SupplierAsync();
        Assert.Equal(await _kit.ScalarAsync<Guid>("SELECT id FROM suppliers WHERE code = $1", supplierCode),
            await _kit.ScalarAsync<Guid>("SELECT c.supplier_id FROM supplier_cases c JOIN tickets t ON t.id = c.ticket_id WHERE t.no = $1", t.TicketNo));
        Assert.Equal(now.AddHours(24).UtcDateTime,
            await _kit.ScalarAsync<DateTime>("SELECT c.due_at FROM supplier_cases c JOIN tickets t ON t.id = c.ticket_id WHERE t.no = $1", t.TicketNo));
        // The buyer's timeline says it went upstream, never to whom.
        var detail = await _kit.ScalarAsync<string>("SELECT e.detail FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id WHERE t.no = $1 AND e.kind = 'escalated_to_supplier' AND e.is_public", t.TicketNo);
        Assert.DoesNotContain("供应商", detail);
        Assert.DoesNotContain(supplierCode, detail);
        Assert.Equal(1L, await _kit.CountAsync("SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = 'TicketStatusWaitingOnSupplier'", t.Buyer.UserId));

        // One open question at a time.
        var again = await _kit.RefusalAsync(agent, new EscalateToSupplier(t.TicketNo, "Any news?"));
        Assert.Equal(ErrorCodes.InvalidState, Assert.IsType<DomainRuleException>(again).Code);

        shop.Clock.Advance(TimeSpan.FromHours(3));
        var caseId = await _kit.ScalarAsync<Guid>("SELECT c.id FROM supplier_cases c JOIN tickets t ON t.id = c.ticket_id WHERE t.no = $1", t.TicketNo);
        var recorded = await _kit.SendAsync(agent, new RecordSupplierReply(t.TicketNo, caseId, "Redeemed on 3 May, before delivery: our fault."));

        Assert.Equal(TicketStatus.Open, recorded.Status);
        Assert.Equal("Open", await _kit.ScalarAsync<string>("SELECT status FROM tickets WHERE no = $1", t.TicketNo));
        Assert.Equal("Redeemed on 3 May, before delivery: our fault.", await _kit.ScalarAsync<string>("SELECT reply FROM supplier_cases WHERE id = $1", caseId));
        Assert.Equal(1L, await _kit.CountAsync("SELECT count(*) FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id WHERE t.no = $1 AND e.kind = 'supplier_replied' AND NOT e.is_public", t.TicketNo));
        var answeredTwice = await _kit.RefusalAsync(agent, new RecordSupplierReply(t.TicketNo, caseId, "again"));
        Assert.Equal(ErrorCodes.InvalidState, Assert.IsType<DomainRuleException>(answeredTwice).Code);

        // A resolved ticket must be reopened before it can wait on anybody.
        await _kit.ExecuteAsync("UPDATE tickets SET status = 'Resolved' WHERE no = $1", t.TicketNo);
        var resolved = await _kit.RefusalAsync(agent, new EscalateToSupplier(t.TicketNo, "One more thing"));
        Assert.Equal(ErrorCodes.InvalidState, Assert.IsType<DomainRuleException>(resolved).Code);
        Assert.Equal(1L, await _kit.CountAsync("SELECT count(*) FROM supplier_cases c JOIN tickets t ON t.id = c.ticket_id WHERE t.no = $1", t.TicketNo));
    }

    private static async Task<JsonElement> OrderJsonAsync(HttpClient api, string orderNo)
    {
        var response = await api.GetAsync("/api/v1/orders/" + orderNo);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
