using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CardMall.Application.Features.KnowledgeBase;
using CardMall.Application.Features.Verification;
using CardMall.Domain.Accounts;
using CardMall.Domain.CardKeys;
using CardMall.Domain.Common;
using CardMall.Domain.Risk;
using CardMall.Domain.Tickets;
using CardMall.Domain.Verification;
using CardMall.IntegrationTests.Support;
using CardMall.IntegrationTests.Tickets;
using CardMall.Web.Verification;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CardMall.IntegrationTests.Verification;

/// <summary>
/// The shop for the verification tests: the worker's timer is off (its passes are run by hand), the real
/// sandbox supplier answers over HTTP, and its timeouts, retries and circuit breaker are small enough for
/// a test: a timeout of 1.5 s with one retry, the circuit opening after three failed calls; two automatic
/// replacements per buyer within 30 days.
/// </summary>
public sealed class VerificationShop : TicketShop
{
    public const int Cap = 2;

    protected override void AddSettings(IDictionary<string, string?> settings)
    {
        settings[VerificationWorker.EnabledSetting] = "false";
        settings["CardMall:Verification:SupplierTimeout"] = "00:00:01.500";
        settings["CardMall:Verification:SupplierRetries"] = "1";
        settings["CardMall:Verification:RetryDelay"] = "00:00:00.050";
        settings["CardMall:Verification:BreakAfterFailures"] = "3";
        settings["CardMall:Verification:BreakFor"] = "00:01:00";
        settings["CardMall:Verification:ReplacementCap"] = Cap.ToString(CultureInfo.InvariantCulture);
        settings["CardMall:Verification:ReplacementCapWindow"] = "30.00:00:00";
        // One run per check: a supplier that cannot be reached goes to a person at once here (the retries with
        // back-off have their own tests in VerificationRetryTests).
        settings["CardMall:Verification:MaxAttempts"] = "1";
        // Incidents have their own tests; here many complaints about one batch must not freeze its stock.
        settings["CardMall:Risk:ComplaintsPerBatch"] = "1000";
    }
}

/// <summary>
/// 卡密核验 end to end: a buyer files a complaint about a key, the worker asks the sandbox supplier over
/// HTTP (set by an operator through <c>PUT /api/v1/admin/sandbox-supplier/keys</c>) and the ticket is acted
/// on within policy — one test per outcome, the replacement cap, the agent's "verify" button and the
/// worker's passes running side by side.
/// </summary>
public sealed class VerificationTests(VerificationShop shop) : IClassFixture<VerificationShop>
{
    private static readonly TimeZoneInfo Beijing = ShopTime.Zone;

    private readonly TicketTestKit _kit = new(shop) { Culture = "zh-CN" };

    private VerificationWorker Worker => shop.Factory.Services.GetServices<IHostedService>().OfType<VerificationWorker>().Single();

    [Fact]
    public async Task Sandbox_says_invalid_the_key_is_replaced_at_once_and_the_ticket_resolved()
    {
        var (sku, _) = await ProductAsync(4);
        var order = await _kit.BuyAsync(await _kit.BuyerAsync(100m), sku, 2);
        await AnswerAsync(order.Codes[0], "invalid");

        var ticketNo = await _kit.FileTicketAsync(order, 0, TicketCategory.KeyInvalid);
        // Filing only queues the check: nobody outside is asked inside the filing transaction.
        Assert.Equal(VerificationStatus.Pending, (await VerificationsAsync(ticketNo)).Single().Status);

        var pass = await Worker.RunOnceAsync(CancellationToken.None);
        Assert.Equal(1, pass!.Ran);

        var check = (await VerificationsAsync(ticketNo)).Single();
        Assert.Equal(VerificationStatus.Done, check.Status);
        Assert.Equal("ticket", check.Trigger);
        Assert.True(check.SoldToBuyer);
        Assert.Equal("Sold", check.KeyState);
        Assert.Equal(SupplierAnswer.Invalid, check.Answer);
        Assert.Equal(VerificationOutcome.Replaced, check.Outcome);
        Assert.NotNull(check.SupplierLatencyMs);

        // A new key sold on the same order, the old one void for good.
        var items = await ItemsAsync(order.OrderNo);
        var replacement = items.Single(i => i.Item.ReplacesItemId == order.ItemIds[0]);
        Assert.Equal(check.ReplacementItemId, replacement.Item.Id);
        Assert.Equal(CardKeyState.Sold, replacement.Key.State);
        Assert.Equal(CardKeyState.Void, items.Single(i => i.Item.Id == order.ItemIds[0]).Key.State);
        Assert.Equal(CardKeyState.Sold, items.Single(i => i.Item.Id == order.ItemIds[1]).Key.State);

        var ticket = await _kit.TicketAsync(ticketNo);
        Assert.Equal(TicketStatus.Resolved, ticket.Status);
        Assert.Equal(Responsibility.Supplier, ticket.Responsibility);
        Assert.Equal(RootCause.KeyDefective, ticket.RootCause);
        Assert.Equal(TicketResolution.Replaced, ticket.Resolution);

        // The buyer reads it in plain words (their language is Chinese) and finds the key on the order page.
        var said = Assert.Single(await PublicSystemMessagesAsync(ticketNo));
        Assert.Contains("换发了一张新的卡密", said, StringComparison.Ordinal);
        Assert.Contains(order.OrderNo, said, StringComparison.Ordinal);
        Assert.DoesNotContain("供应商接口", said, StringComparison.Ordinal);
        using var web = await _kit.SignInAsync(order.Buyer);
        var page = await web.GetAsync("/Tickets/" + ticketNo);
        Assert.Contains("换发了一张新的卡密", page.Document.QuerySelector("[data-testid=message][data-author=system]")!.TextContent, StringComparison.Ordinal);
        var orderPage = await web.GetAsync("/Orders/" + order.OrderNo);
        Assert.NotNull(orderPage.Document.QuerySelector($"[data-testid=key-row][data-item-id='{replacement.Item.Id}']"));
        // On the buyer's timeline the check comes first, then the new key, then the resolution.
        var events = (await _kit.GetTicketAsync(order.Account, ticketNo)).GetProperty("events").EnumerateArray()
            .Select(e => (Kind: e.GetProperty("kind").GetString(), Detail: e.TryGetProperty("detail", out var d) ? d.GetString() : null)).ToList();
        Assert.Contains((TicketEventKinds.Verified, "replaced"), events);
        Assert.True(events.FindIndex(e => e.Kind == TicketEventKinds.Verified) < events.FindIndex(e => e.Kind == TicketEventKinds.KeyReplaced));
        Assert.True(events.FindIndex(e => e.Kind == TicketEventKinds.KeyReplaced) < events.FindIndex(e => e.Kind == TicketEventKinds.Resolved));
        Assert.Equal(1, await _kit.CountAsync("SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = 'TicketKeyReplaced'", order.Buyer.UserId));

        // A done check is never run again, and the plain key never reached a log.
        var again = await _kit.SendAsync(order.Buyer, new RunVerification(check.Id));
        Assert.False(again.Ran);
        Assert.Equal(VerificationOutcome.Replaced, again.Outcome);
        Assert.Equal(3, (await ItemsAsync(order.OrderNo)).Count);
        Assert.DoesNotContain(order.Codes[0], shop.Factory.Logs.All, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Redeemed_before_our_delivery_is_replaced_as_used_before_delivery()
    {
        var (sku, _) = await ProductAsync(3);
        var order = await _kit.BuyAsync(await _kit.BuyerAsync(100m), sku, 1);
        var soldAt = await SoldAtAsync(order.ItemIds[0]);
        await AnswerAsync(order.Codes[0], "redeemed", soldAt.AddDays(-2));

        var ticketNo = await _kit.FileTicketAsync(order, 0, TicketCategory.KeyAlreadyUsed);
        await Worker.RunOnceAsync(CancellationToken.None);

        var check = (await VerificationsAsync(ticketNo)).Single();
        Assert.Equal(SupplierAnswer.Redeemed, check.Answer);
        Assert.Equal(soldAt.AddDays(-2), check.SupplierRedeemedAt);
        Assert.Equal(VerificationOutcome.Replaced, check.Outcome);
        var ticket = await _kit.TicketAsync(ticketNo);
        Assert.Equal(TicketStatus.Resolved, ticket.Status);
        Assert.Equal(Responsibility.Supplier, ticket.Responsibility);
        Assert.Equal(RootCause.KeyUsedBeforeDelivery, ticket.RootCause);
        Assert.Equal(CardKeyState.Void, (await ItemsAsync(order.OrderNo)).Single(i => i.Item.Id == order.ItemIds[0]).Key.State);
    }

    [Fact]
    public async Task No_key_left_to_replace_it_with_goes_to_a_person_and_nothing_is_voided()
    {
        // Exactly the keys the buyer bought: nothing in stock to replace one with.
        var (sku, _) = await ProductAsync(1);
        var order = await _kit.BuyAsync(await _kit.BuyerAsync(100m), sku, 1);
        await AnswerAsync(order.Codes[0], "invalid");

        var ticketNo = await _kit.FileTicketAsync(order, 0, TicketCategory.KeyInvalid);
        await Worker.RunOnceAsync(CancellationToken.None);

        var check = (await VerificationsAsync(ticketNo)).Single();
        Assert.Equal(SupplierAnswer.Invalid, check.Answer);
        Assert.Equal(VerificationOutcome.NoStock, check.Outcome);
        Assert.Null(check.ReplacementItemId);
        Assert.Equal(CardKeyState.Sold, (await ItemsAsync(order.OrderNo)).Single().Key.State);
        var ticket = await _kit.TicketAsync(ticketNo);
        Assert.True(ticket.IsActive);
        Assert.Null(ticket.Resolution);
        Assert.Contains("暂无可用库存", Assert.Single(await MessagesAsync(ticketNo, isInternal: true)), StringComparison.Ordinal);
        Assert.Contains("客服同事亲自核对", Assert.Single(await PublicSystemMessagesAsync(ticketNo)), StringComparison.Ordinal);
        Assert.Equal(1, await _kit.CountAsync("""
            SELECT count(*) FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id
            WHERE t.no = $1 AND e.kind = 'verified' AND e.detail = 'person_checking'
            """, ticketNo));
    }

    [Fact]
    public async Task Unused_key_gets_the_usage_tutorial_and_region_notes_and_waits_on_the_buyer()
    {
        var (sku, _) = await ProductAsync(3);
        var editor = await _kit.StaffAsync(ShopRoles.Supervisor);
        await _kit.SendAsync(editor, new SaveArticle(null, Article(sku), "Tutorial", sku, "如何兑换", "How to redeem",
            "第一步……", "Step one…", IsPublished: true));
        var buyer = await _kit.BuyerAsync(100m);
        await PreferEnglishAsync(buyer);
        var order = await _kit.BuyAsync(buyer, sku, 1);
        await AnswerAsync(order.Codes[0], "unused");

        var ticketNo = await _kit.FileTicketAsync(order, 0, TicketCategory.ActivationFailed);
        await Worker.RunOnceAsync(CancellationToken.None);

        var check = (await VerificationsAsync(ticketNo)).Single();
        Assert.Equal(SupplierAnswer.Unused, check.Answer);
        Assert.Equal(VerificationOutcome.GuidanceSent, check.Outcome);
        var ticket = await _kit.TicketAsync(ticketNo);
        Assert.Equal(TicketStatus.WaitingOnBuyer, ticket.Status);
        Assert.NotNull(ticket.FirstRespondedAt);
        Assert.Null(ticket.Resolution);

        // In the buyer's own language (English), with the tutorial's link and the regions the key works in.
        var said = Assert.Single(await PublicSystemMessagesAsync(ticketNo));
        Assert.Contains("has not been used yet", said, StringComparison.Ordinal);
        Assert.Contains("/Help/" + Article(sku), said, StringComparison.Ordinal);
        Assert.Contains("中国大陆", said, StringComparison.Ordinal);
        Assert.Equal(CardKeyState.Sold, (await ItemsAsync(order.OrderNo)).Single().Key.State);
        Assert.Equal(1, await _kit.CountAsync("SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = 'VerificationGuidance'", buyer.UserId));
    }

    [Fact]
    public async Task Redeemed_after_the_buyer_revealed_it_goes_to_a_person_with_both_times_side_by_side()
    {
        var (sku, _) = await ProductAsync(3);
        var order = await _kit.BuyAsync(await _kit.BuyerAsync(100m), sku, 1);
        // The API handed the key over (a reveal) at purchase; the supplier saw it redeemed 25 minutes later.
        var revealedAt = shop.Clock.GetUtcNow();
        var redeemedAt = revealedAt.AddMinutes(25);
        shop.Clock.Advance(TimeSpan.FromHours(1));
        await AnswerAsync(order.Codes[0], "redeemed", redeemedAt);

        var ticketNo = await _kit.FileTicketAsync(order, 0, TicketCategory.KeyAlreadyUsed);
        await Worker.RunOnceAsync(CancellationToken.None);

        var check = (await VerificationsAsync(ticketNo)).Single();
        Assert.Equal(VerificationOutcome.HumanReview, check.Outcome);
        Assert.Equal(revealedAt, check.FirstRevealedAt);
        Assert.Equal(redeemedAt, check.SupplierRedeemedAt);

        // Not replaced: the key is still the buyer's, the ticket waits for an agent.
        Assert.Single(await ItemsAsync(order.OrderNo));
        Assert.Equal(CardKeyState.Sold, (await ItemsAsync(order.OrderNo)).Single().Key.State);
        var ticket = await _kit.TicketAsync(ticketNo);
        Assert.True(ticket.IsActive);
        Assert.Null(ticket.Resolution);

        var note = Assert.Single(await MessagesAsync(ticketNo, isInternal: true));
        Assert.Contains(Seconds(revealedAt), note, StringComparison.Ordinal);
        Assert.Contains(Seconds(redeemedAt), note, StringComparison.Ordinal);
        Assert.True(note.IndexOf(Seconds(revealedAt), StringComparison.Ordinal) < note.IndexOf(Seconds(redeemedAt), StringComparison.Ordinal));
        var said = Assert.Single(await PublicSystemMessagesAsync(ticketNo));
        Assert.Contains("客服同事亲自核对", said, StringComparison.Ordinal);
        Assert.DoesNotContain(Seconds(redeemedAt), said, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Slow_supplier_is_an_interface_anomaly_at_high_priority_with_an_alert_and_a_person()
    {
        // Its own supplier: timeouts count against a supplier's circuit.
        var (sku, _) = await ProductAsync(3, await SupplierAsync());
        var order = await _kit.BuyAsync(await _kit.BuyerAsync(100m), sku, 1);
        await AnswerAsync(order.Codes[0], "slow");

        var ticketNo = await _kit.FileTicketAsync(order, 0, TicketCategory.KeyInvalid);
        Assert.Equal(TicketPriority.Normal, (await _kit.TicketAsync(ticketNo)).Priority);
        await Worker.RunOnceAsync(CancellationToken.None);

        var check = (await VerificationsAsync(ticketNo)).Single();
        Assert.Equal(SupplierAnswer.Unreachable, check.Answer);
        Assert.Equal("timeout", check.SupplierError);
        Assert.Equal(VerificationOutcome.InterfaceAnomaly, check.Outcome);
        var ticket = await _kit.TicketAsync(ticketNo);
        Assert.Equal(TicketPriority.High, ticket.Priority);
        Assert.True(ticket.IsActive);
        Assert.Null(ticket.Resolution);
        Assert.Equal(1, await _kit.CountAsync("""
            SELECT count(*) FROM risk_alerts a JOIN tickets t ON t.id = a.ticket_id
            WHERE t.no = $1 AND a.kind = 'interface_anomaly' AND a.acknowledged_at IS NULL
            """, ticketNo));
        Assert.Contains("timeout", Assert.Single(await MessagesAsync(ticketNo, isInternal: true)), StringComparison.Ordinal);
        Assert.Contains("没能联系上供应商", Assert.Single(await PublicSystemMessagesAsync(ticketNo)), StringComparison.Ordinal);
        Assert.Equal(CardKeyState.Sold, (await ItemsAsync(order.OrderNo)).Single().Key.State);
    }

    [Fact]
    public async Task Repeated_500s_open_the_circuit_and_the_ticket_is_still_routed_to_a_person()
    {
        var supplier = await SupplierAsync();
        var (sku, _) = await ProductAsync(6, supplier);
        var order = await _kit.BuyAsync(await _kit.BuyerAsync(100m), sku, 4);
        foreach (var code in order.Codes) await AnswerAsync(code, "error");

        var tickets = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            tickets.Add(await _kit.FileTicketAsync(order, i, TicketCategory.KeyInvalid));
            await Worker.RunOnceAsync(CancellationToken.None);
        }

        var checks = new List<KeyVerification>();
        foreach (var ticketNo in tickets) checks.Add((await VerificationsAsync(ticketNo)).Single());
        // Three failed calls (each retried once) open the circuit; the fourth does not reach the supplier at all.
        Assert.Equal(["http_500", "http_500", "http_500", "circuit_open"], checks.Select(c => c.SupplierError));
        Assert.All(checks, c => Assert.Equal(VerificationOutcome.InterfaceAnomaly, c.Outcome));
        foreach (var ticketNo in tickets)
        {
            var ticket = await _kit.TicketAsync(ticketNo);
            Assert.Equal(TicketPriority.High, ticket.Priority);
            Assert.True(ticket.IsActive);
            Assert.Single(await PublicSystemMessagesAsync(ticketNo));
        }
        Assert.Equal(4, await _kit.CountAsync("""
            SELECT count(*) FROM risk_alerts a JOIN tickets t ON t.id = a.ticket_id
            WHERE t.no = ANY($1) AND a.kind = 'interface_anomaly'
            """, new object[] { tickets.ToArray() }));
        // The API-health log saw it too.
        Assert.Equal(1, await _kit.CountAsync("""
            SELECT count(*) FROM supplier_calls c JOIN suppliers s ON s.id = c.supplier_id WHERE s.code = $1 AND c.outcome = 'circuit_open'
            """, supplier));
    }

    [Fact]
    public async Task Beyond_the_replacement_cap_within_30_days_a_person_decides()
    {
        var (sku, _) = await ProductAsync(10, maxPerOrder: 10);
        var buyer = await _kit.BuyerAsync(100m);
        var order = await _kit.BuyAsync(buyer, sku, VerificationShop.Cap + 2);
        foreach (var code in order.Codes) await AnswerAsync(code, "invalid");

        var outcomes = new List<VerificationOutcome?>();
        var tickets = new List<string>();
        for (var i = 0; i <= VerificationShop.Cap; i++)
        {
            tickets.Add(await _kit.FileTicketAsync(order, i, TicketCategory.KeyInvalid));
            await Worker.RunOnceAsync(CancellationToken.None);
            outcomes.Add((await VerificationsAsync(tickets[^1])).Single().Outcome);
            shop.Clock.Advance(TimeSpan.FromDays(1));
        }
        // The first two are replaced automatically; the third (cap + 1) within 30 days is for a person.
        Assert.Equal([VerificationOutcome.Replaced, VerificationOutcome.Replaced, VerificationOutcome.CapReached], outcomes);
        var capped = await _kit.TicketAsync(tickets[^1]);
        Assert.True(capped.IsActive);
        Assert.Null(capped.Resolution);
        Assert.Equal(CardKeyState.Sold, (await ItemsAsync(order.OrderNo)).Single(i => i.Item.Id == order.ItemIds[VerificationShop.Cap]).Key.State);
        Assert.Contains(string.Format(CultureInfo.InvariantCulture, "已自动换卡 {0} 次", VerificationShop.Cap),
            Assert.Single(await MessagesAsync(tickets[^1], isInternal: true)), StringComparison.Ordinal);
        Assert.Contains("客服同事亲自核对", Assert.Single(await PublicSystemMessagesAsync(tickets[^1])), StringComparison.Ordinal);

        // Once the first replacements are older than the window, the automatic replacement is back.
        shop.Clock.Advance(TimeSpan.FromDays(30));
        var later = await _kit.FileTicketAsync(order, VerificationShop.Cap + 1, TicketCategory.KeyInvalid);
        await Worker.RunOnceAsync(CancellationToken.None);
        Assert.Equal(VerificationOutcome.Replaced, (await VerificationsAsync(later)).Single().Outcome);
    }

    [Fact]
    public async Task The_agent_s_verify_button_runs_the_check_and_the_page_shows_the_result_and_the_key_s_whole_story()
    {
        var (sku, _) = await ProductAsync(4);
        var order = await _kit.BuyAsync(await _kit.BuyerAsync(100m), sku, 2);
        // Not a key complaint: nothing is queued, the agent decides to check.
        var ticketNo = await _kit.FileTicketAsync(order, 0, TicketCategory.WrongRegion);
        Assert.Empty(await VerificationsAsync(ticketNo));
        shop.Clock.Advance(TimeSpan.FromMinutes(3));
        await ActivationAsync(order.ItemIds[0], "device-A1", "203.0.113.7");
        await AnswerAsync(order.Codes[0], "invalid");
        shop.Clock.Advance(TimeSpan.FromMinutes(5));

        var agent = await _kit.StaffAsync(ShopRoles.Agent);
        using var web = await _kit.SignInAsync(agent, "en-US");
        var url = "/Admin/Tickets/" + ticketNo;
        var before = await web.GetAsync(url);
        Assert.NotNull(before.Document.QuerySelector("[data-testid=no-verifications]"));

        var verified = await web.SubmitAsync(url, "form[data-testid=verify-form]", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, verified.Status);
        var page = await web.FollowAsync(verified);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.NotNull(page.Document.QuerySelector("[data-testid=done]"));

        var row = Assert.Single(page.Document.QuerySelectorAll("[data-testid=verification]"));
        Assert.Equal("Replaced", row.GetAttribute("data-outcome"));
        Assert.Equal("Invalid", row.GetAttribute("data-answer"));
        Assert.Contains("Agent", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("Yes", row.QuerySelector("[data-testid=sold-to-buyer]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Replaced automatically", row.QuerySelector("[data-testid=outcome]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Resolved", page.Document.QuerySelector("[data-testid=ticket-status]")!.GetAttribute("data-status"));

        // The old key's story in time order: import, sale, reveal, activation attempt, check, void — and the new key.
        var oldKey = page.Document.QuerySelector($"[data-testid=key][data-item='{order.ItemIds[0]}']")!;
        var kinds = oldKey.QuerySelectorAll("[data-testid=key-timeline] li").Select(li => li.GetAttribute("data-kind")).ToList();
        Assert.Equal(["imported", "sold", "revealed", "activation", "verification", "voided"], kinds);
        Assert.Contains("device-A1", oldKey.TextContent, StringComparison.Ordinal);
        Assert.Contains("203.0.113.7", oldKey.TextContent, StringComparison.Ordinal);
        var check = (await VerificationsAsync(ticketNo)).Single();
        Assert.Equal("agent", check.Trigger);
        Assert.Equal(agent.UserId, check.RequestedBy);
        Assert.NotNull(page.Document.QuerySelector($"[data-testid=key][data-item='{check.ReplacementItemId}']"));

        // A resolved ticket is not checked again from the page: the button is gone.
        Assert.Null(page.Document.QuerySelector("form[data-testid=verify-form]"));
    }

    [Fact]
    public async Task A_frozen_key_on_the_ticket_can_be_unfrozen_from_the_page_with_a_reason()
    {
        var (sku, _) = await ProductAsync(3);
        var order = await _kit.BuyAsync(await _kit.BuyerAsync(100m), sku, 1);
        var ticketNo = await _kit.FileTicketAsync(order, 0, TicketCategory.AccountAbnormal);
        await WithKeyAsync(order.ItemIds[0], (key, db, now) => db.CardKeyEvents.Add(key.Freeze(null, "multi_device", now)));

        var agent = await _kit.StaffAsync(ShopRoles.Agent);
        using var web = await _kit.SignInAsync(agent);
        var url = "/Admin/Tickets/" + ticketNo;
        var blank = await web.SubmitAsync(url, "form[data-testid=unfreeze-form]", new Dictionary<string, string> { ["Input.UnfreezeReason"] = " " });
        Assert.Equal(HttpStatusCode.OK, blank.Status);
        Assert.NotEmpty(blank.PageErrors);
        Assert.Equal(CardKeyState.Frozen, (await ItemsAsync(order.OrderNo)).Single().Key.State);

        var unfrozen = await web.SubmitAsync(url, "form[data-testid=unfreeze-form]",
            new Dictionary<string, string> { ["Input.UnfreezeReason"] = "买家本人的两台设备" });
        Assert.Equal(HttpStatusCode.Redirect, unfrozen.Status);
        Assert.Equal(CardKeyState.Sold, (await ItemsAsync(order.OrderNo)).Single().Key.State);
        var page = await web.FollowAsync(unfrozen);
        Assert.Null(page.Document.QuerySelector("form[data-testid=unfreeze-form]"));
        Assert.Contains("unfrozen", page.Document.QuerySelectorAll("[data-testid=key-timeline] li").Select(li => li.GetAttribute("data-kind")));
    }

    [Fact]
    public async Task A_ticket_filed_through_the_api_is_checked_by_one_worker_pass_and_two_passes_at_once_check_each_key_once()
    {
        var orders = new List<BoughtOrder>();
        var tickets = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            // A product each: three complaints about one batch would open an incident and freeze its stock.
            var (sku, _) = await ProductAsync(3);
            var order = await _kit.BuyAsync(await _kit.BuyerAsync(100m), sku, 1);
            await AnswerAsync(order.Codes[0], "invalid");
            orders.Add(order);
            tickets.Add(await _kit.FileAsync(order, "key_invalid"));
        }
        foreach (var ticketNo in tickets)
            Assert.Equal(VerificationStatus.Pending, (await VerificationsAsync(ticketNo)).Single().Status);

        var passes = await Task.WhenAll(Worker.RunOnceAsync(CancellationToken.None), Worker.RunOnceAsync(CancellationToken.None));
        Assert.All(passes, p => Assert.Equal(0, p!.Failed));
        Assert.Equal(3, passes.Sum(p => p!.Ran));

        foreach (var (order, ticketNo) in orders.Zip(tickets))
        {
            var check = (await VerificationsAsync(ticketNo)).Single();
            Assert.Equal(VerificationOutcome.Replaced, check.Outcome);
            Assert.Equal(2, (await ItemsAsync(order.OrderNo)).Count);
            Assert.Single(await PublicSystemMessagesAsync(ticketNo));
            Assert.Equal(1, await _kit.CountAsync("SELECT count(*) FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id WHERE t.no = $1 AND e.kind = 'verified'", ticketNo));
            Assert.Equal(TicketStatus.Resolved, (await _kit.TicketAsync(ticketNo)).Status);
        }
        // Nothing is left for a later pass.
        Assert.Equal(0, (await Worker.RunOnceAsync(CancellationToken.None))!.Picked);
    }

    [Fact]
    public async Task A_ticket_about_two_keys_settles_once_both_checks_are_done()
    {
        var (sku, _) = await ProductAsync(5);
        var order = await _kit.BuyAsync(await _kit.BuyerAsync(100m), sku, 2);
        await AnswerAsync(order.Codes[0], "invalid");
        await AnswerAsync(order.Codes[1], "unused");

        var ticketNo = await _kit.FileTicketAsync(order.Buyer, order.OrderNo, order.ItemIds, TicketCategory.KeyInvalid);
        await Worker.RunOnceAsync(CancellationToken.None);

        var checks = await VerificationsAsync(ticketNo);
        Assert.Equal(2, checks.Count);
        Assert.Equal([VerificationOutcome.Replaced, VerificationOutcome.GuidanceSent],
            checks.OrderBy(c => order.ItemIds.ToList().IndexOf(c.OrderItemId!.Value)).Select(c => c.Outcome));
        // One key replaced, the other needs the buyer to try again: the ticket waits on the buyer.
        Assert.Equal(TicketStatus.WaitingOnBuyer, (await _kit.TicketAsync(ticketNo)).Status);
        Assert.Equal(2, (await PublicSystemMessagesAsync(ticketNo)).Count);
    }

    [Fact]
    public async Task A_complaint_that_is_not_about_a_key_queues_nothing_and_the_verify_button_is_for_staff_only()
    {
        var (sku, _) = await ProductAsync(3);
        var order = await _kit.BuyAsync(await _kit.BuyerAsync(100m), sku, 1);
        var ticketNo = await _kit.FileTicketAsync(order, 0, TicketCategory.RefundRequest);
        Assert.Empty(await VerificationsAsync(ticketNo));

        var refusal = Assert.IsType<DomainRuleException>(await _kit.RefusalAsync(order.Buyer, new VerifyTicketKeys(ticketNo)));
        Assert.Equal(ErrorCodes.Forbidden, refusal.Code);
        Assert.Empty(await VerificationsAsync(ticketNo));
        Assert.Equal(ErrorCodes.Forbidden,
            Assert.IsType<DomainRuleException>(await _kit.RefusalAsync(order.Buyer, new GetKeyVerifications(ticketNo))).Code);
    }

    [Fact]
    public async Task Two_applies_of_the_same_answer_at_once_replace_the_key_once()
    {
        var (order, ticketNo, check, asked) = await AnsweredCheckAsync("invalid");

        var applies = await Task.WhenAll(
            SystemSendAsync(new ApplyVerificationAnswer(check.Id, 1, asked.Facts, asked.Supplier)),
            SystemSendAsync(new ApplyVerificationAnswer(check.Id, 1, asked.Facts, asked.Supplier)));

        Assert.Equal([false, true], applies.Select(a => a.Ran).Order());
        Assert.Equal(VerificationOutcome.Replaced, (await VerificationsAsync(ticketNo)).Single().Outcome);
        Assert.Equal(2, (await ItemsAsync(order.OrderNo)).Count);
        Assert.Single(await PublicSystemMessagesAsync(ticketNo));
        Assert.Equal(1, await _kit.CountAsync("SELECT count(*) FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id WHERE t.no = $1 AND e.kind = 'verified'", ticketNo));
        Assert.Equal(TicketStatus.Resolved, (await _kit.TicketAsync(ticketNo)).Status);
    }

    [Fact]
    public async Task An_answer_that_arrives_after_an_agent_replaced_the_key_replaces_nothing_more_and_a_person_looks()
    {
        var (order, ticketNo, check, asked) = await AnsweredCheckAsync("invalid");
        var agent = await _kit.StaffAsync(ShopRoles.Agent);
        await _kit.SendAsync(agent, new CardMall.Application.Features.Tickets.ReplaceKey(ticketNo, order.ItemIds[0]));

        var run = await SystemSendAsync(new ApplyVerificationAnswer(check.Id, 1, asked.Facts, asked.Supplier));

        Assert.Equal(VerificationOutcome.NotApplicable, run.Outcome);
        Assert.Null((await VerificationsAsync(ticketNo)).Single().ReplacementItemId);
        Assert.Equal(2, (await ItemsAsync(order.OrderNo)).Count);
        Assert.Contains(await MessagesAsync(ticketNo, isInternal: true), note => note.Contains("作废", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_check_and_an_agent_replacing_the_same_key_at_once_replace_it_once()
    {
        var (order, ticketNo, check, asked) = await AnsweredCheckAsync("invalid");
        var agent = await _kit.StaffAsync(ShopRoles.Agent);

        var apply = SystemSendAsync(new ApplyVerificationAnswer(check.Id, 1, asked.Facts, asked.Supplier));
        var byHand = _kit.RefusalAsync(agent, new CardMall.Application.Features.Tickets.ReplaceKey(ticketNo, order.ItemIds[0]));
        var (run, refusal) = (await apply, await byHand);

        Assert.Equal(2, (await ItemsAsync(order.OrderNo)).Count);
        if (run.Outcome == VerificationOutcome.Replaced)
            Assert.Equal(ErrorCodes.InvalidState, Assert.IsType<DomainRuleException>(refusal).Code);
        else
            Assert.Equal((VerificationOutcome.NotApplicable, (Exception?)null), (run.Outcome!.Value, refusal));
    }

    [Fact]
    public async Task An_answer_that_arrives_after_the_key_was_refunded_gives_no_new_key()
    {
        var (order, ticketNo, check, asked) = await AnsweredCheckAsync("invalid");
        var agent = await _kit.StaffAsync(ShopRoles.Agent);
        await _kit.SendAsync(agent, new CardMall.Application.Features.Tickets.IssuePayout(ticketNo, PayoutKind.Refund, 10.00m, "Refunded before the check came back", "race-refund"));
        Assert.Equal(CardKeyState.Void, (await ItemsAsync(order.OrderNo)).Single().Key.State);

        var run = await SystemSendAsync(new ApplyVerificationAnswer(check.Id, 1, asked.Facts, asked.Supplier));

        Assert.Equal(VerificationOutcome.NotApplicable, run.Outcome);
        Assert.Single(await ItemsAsync(order.OrderNo));
    }

    // ---- setting up ----

    private static string Article(string sku) => "tutorial-" + sku.ToLowerInvariant();

    private static string Seconds(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, Beijing).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>A product with keys from the shared test supplier, or from <paramref name="supplierCode"/>.</summary>
    private async Task<(string Sku, IReadOnlyList<string> Codes)> ProductAsync(int keys, string? supplierCode = null, int maxPerOrder = 10)
    {
        var (sku, _) = await _kit.Shop.ProductWithKeysAsync(0, price: 10m, maxPerOrder: maxPerOrder);
        var codes = Enumerable.Range(0, keys).Select(_ => "K" + Guid.NewGuid().ToString("N").ToUpperInvariant()).ToList();
        await _kit.Shop.ImportAsync(sku, codes.Select(c => c + "----S" + c[^6..]).ToList(), supplierCode);
        return (sku, codes);
    }

    /// <summary>A supplier of its own (on the sandbox protocol), so its circuit is nobody else's.</summary>
    private async Task<string> SupplierAsync()
    {
        var op = await _kit.Shop.OperatorAsync();
        var code = "SUP-" + Guid.NewGuid().ToString("N")[..8];
        var response = await shop.Factory.ApiClient(op.ApiKey).PostAsJsonAsync("/api/v1/admin/suppliers",
            new { code, name = "核验测试供应商 " + code, webhookSecret = "test-webhook-secret-123456" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return code;
    }

    /// <summary>What the sandbox supplier says about a key, set by an operator through the API.</summary>
    private async Task AnswerAsync(string code, string answer, DateTimeOffset? redeemedAt = null)
    {
        var op = await _kit.Shop.OperatorAsync();
        var response = await shop.Factory.ApiClient(op.ApiKey).PutAsJsonAsync("/api/v1/admin/sandbox-supplier/keys", new { code, answer, redeemedAt });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task PreferEnglishAsync(Actor buyer) => await _kit.QueryAsync(async db =>
    {
        var user = await db.Users.SingleAsync(u => u.Id == buyer.UserId);
        user.PreferredCulture = "en-US";
        return await db.SaveChangesAsync();
    });

    /// <summary>An activation attempt as the supplier's webhook records it.</summary>
    private Task ActivationAsync(Guid itemId, string device, string ip) => WithKeyAsync(itemId, (key, db, now) =>
        db.ActivationEvents.Add(new ActivationEvent(key.Id, null, "webhook", device, ip, now, "failed", Guid.NewGuid().ToByteArray(), now)));

    private async Task WithKeyAsync(Guid itemId, Action<CardKey, CardMall.Infrastructure.Persistence.CardMallDbContext, DateTimeOffset> change) =>
        await _kit.QueryAsync(async db =>
        {
            var keyId = await db.OrderItems.Where(i => i.Id == itemId).Select(i => i.CardKeyId).SingleAsync();
            var key = await db.CardKeys.SingleAsync(k => k.Id == keyId);
            change(key, db, shop.Clock.GetUtcNow());
            return await db.SaveChangesAsync();
        });

    /// <summary>A filed complaint whose check is claimed and whose supplier has answered, not yet applied.</summary>
    private async Task<(BoughtOrder Order, string TicketNo, KeyVerification Check, SupplierAsked Asked)> AnsweredCheckAsync(string answer)
    {
        var (sku, _) = await ProductAsync(4);
        var order = await _kit.BuyAsync(await _kit.BuyerAsync(100m), sku, 1);
        await AnswerAsync(order.Codes[0], answer);
        var ticketNo = await _kit.FileTicketAsync(order, 0, TicketCategory.KeyInvalid);
        var check = (await VerificationsAsync(ticketNo)).Single();
        Assert.Equal(1, (await SystemSendAsync(new ClaimVerification(check.Id))).Attempt);
        return (order, ticketNo, check, await SystemSendAsync(new AskSupplier(check.Id, 1)));
    }

    /// <summary>Sends a step as the worker does: on a scope of its own, with nobody signed in.</summary>
    private Task<T> SystemSendAsync<T>(MediatR.IRequest<T> request) => Task.Run(async () =>
    {
        using var scope = shop.Factory.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<MediatR.IMediator>().Send(request);
    });

    // ---- reading back ----

    private Task<List<KeyVerification>> VerificationsAsync(string ticketNo) => _kit.QueryAsync(db =>
        (from v in db.KeyVerifications.AsNoTracking()
         join t in db.Tickets on v.TicketId equals (Guid?)t.Id
         where t.No == ticketNo
         orderby v.RequestedAt, v.Id
         select v).ToListAsync());

    private Task<DateTimeOffset> SoldAtAsync(Guid itemId) => _kit.QueryAsync(db =>
        (from i in db.OrderItems join k in db.CardKeys on i.CardKeyId equals k.Id where i.Id == itemId select k.SoldAt!.Value).SingleAsync());

    private Task<List<(CardMall.Domain.Orders.OrderItem Item, CardKey Key)>> ItemsAsync(string orderNo) => _kit.QueryAsync(async db =>
        (await (from o in db.Orders
                join i in db.OrderItems on o.Id equals i.OrderId
                join k in db.CardKeys on i.CardKeyId equals k.Id
                where o.No == orderNo
                orderby i.CreatedAt, i.Id
                select new { i, k }).AsNoTracking().ToListAsync()).Select(r => (r.i, r.k)).ToList());

    private Task<List<string>> PublicSystemMessagesAsync(string ticketNo) => _kit.QueryAsync(db =>
        (from m in db.TicketMessages
         join t in db.Tickets on m.TicketId equals t.Id
         where t.No == ticketNo && m.Author == MessageAuthor.System && !m.IsInternal
         orderby m.CreatedAt, m.Id
         select m.Body).ToListAsync());

    private Task<List<string>> MessagesAsync(string ticketNo, bool isInternal) => _kit.QueryAsync(db =>
        (from m in db.TicketMessages
         join t in db.Tickets on m.TicketId equals t.Id
         where t.No == ticketNo && m.IsInternal == isInternal && m.Author == MessageAuthor.System
         orderby m.CreatedAt, m.Id
         select m.Body).ToListAsync());
}
