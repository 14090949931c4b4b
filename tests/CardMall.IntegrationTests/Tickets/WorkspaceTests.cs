using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using CardMall.Application.Features.Tickets;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using CardMall.Domain.CardKeys;
using CardMall.Domain.Common;
using CardMall.Domain.Tickets;
using CardMall.IntegrationTests.Support;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace CardMall.IntegrationTests.Tickets;

/// <summary>
/// The agent workspace through its pages, as agents and supervisors use it: the queue's order and
/// filters, claiming, replies that stop and pause the SLA clock, internal notes that never reach the
/// buyer, resolving with a responsibility and a root cause, templates filled for the buyer with the key
/// masked, and who may come in at all.
/// </summary>
public sealed class WorkspaceTests(TicketShop shop) : IClassFixture<TicketShop>
{
    private static readonly CultureInfo Chinese = CultureInfo.GetCultureInfo("zh-CN");

    private readonly TicketTestKit _kit = new(shop) { Culture = "zh-CN" };

    [Fact]
    public async Task The_queue_puts_the_nearest_promise_first_paused_tickets_last_and_its_filters_narrow_it()
    {
        var (sku, _) = await _kit.Shop.ProductWithKeysAsync(10, price: 10m);
        var buyer = await _kit.PersonAsync(ShopRoles.Buyer, 100m);
        var reseller = await _kit.PersonAsync(ShopRoles.Reseller, 100m);
        var agent = await _kit.PersonAsync(ShopRoles.Agent);
        var order = await _kit.BuyAsync(buyer, sku, 4);
        var resellerOrder = await _kit.BuyAsync(reseller, sku, 1);

        // Normal: first answer due in 4 h.
        var normal = await _kit.FileTicketAsync(order, 0);
        shop.Clock.Advance(TimeSpan.FromMinutes(1));
        // A reseller's ticket starts at High: first answer due in 1 h — the nearest promise of all.
        var high = await _kit.FileTicketAsync(resellerOrder, 0);
        shop.Clock.Advance(TimeSpan.FromMinutes(1));
        // Answered and waiting for the buyer: the clock stands still, so it goes to the end.
        var waiting = await _kit.FileTicketAsync(order, 1, TicketCategory.KeyAlreadyUsed);
        await _kit.SendAsync(agent, new ReplyAsStaff(waiting, "请您再试一次，并告诉我们结果。", TicketStatus.WaitingOnBuyer));
        // Answered: its next promise is the resolution, 48 h out.
        var answered = await _kit.FileTicketAsync(order, 2, TicketCategory.RefundRequest);
        await _kit.SendAsync(agent, new ReplyAsStaff(answered, "我们正在核实，请稍等。"));

        using var web = await _kit.SignInAsync(agent);
        var queue = await web.GetAsync($"/Admin/Tickets?sku={sku}");
        Assert.Equal(HttpStatusCode.OK, queue.Status);
        Assert.Equal([high, normal, answered, waiting], QueueOrder(queue));
        var pausedRow = Row(queue, waiting);
        Assert.Null(pausedRow.QuerySelector("[data-due]"));
        Assert.Contains("已暂停", pausedRow.QuerySelector("[data-testid=due]")!.TextContent, StringComparison.Ordinal);
        var highDue = Row(queue, high).QuerySelector("[data-due]")!;
        Assert.Equal((await _kit.TicketAsync(high)).FirstResponseDueAt, DateTimeOffset.Parse(highDue.GetAttribute("data-due")!, CultureInfo.InvariantCulture));
        Assert.Contains("剩余", highDue.TextContent, StringComparison.Ordinal);
        Assert.NotNull(Row(queue, normal).QuerySelector("form[data-testid=claim-form]"));
        Assert.Null(Row(queue, answered).QuerySelector("form[data-testid=claim-form]"));

        async Task<IReadOnlyList<string>> Listed(string filter) => QueueOrder(await web.GetAsync($"/Admin/Tickets?sku={sku}&{filter}"));
        // Whoever answered an unclaimed ticket took it.
        Assert.Equal([high, normal], await Listed("unassigned=true"));
        Assert.Equal([answered, waiting], await Listed("mine=true"));
        Assert.Equal([waiting], await Listed("status=WaitingOnBuyer"));
        Assert.Equal([answered], await Listed("category=RefundRequest"));
        Assert.Equal([high], await Listed("priority=High"));
        Assert.Empty(await Listed("breached=true"));

        // Two hours on, the reseller's first answer is overdue: red in the queue and in the overdue filter.
        shop.Clock.Advance(TimeSpan.FromHours(2));
        var late = await web.GetAsync($"/Admin/Tickets?sku={sku}&breached=true");
        Assert.Equal([high], QueueOrder(late));
        var lateRow = Row(late, high);
        Assert.Contains("table-danger", lateRow.GetAttribute("class") ?? "", StringComparison.Ordinal);
        Assert.Contains("超时", lateRow.QuerySelector("[data-due]")!.TextContent, StringComparison.Ordinal);

        // Resolved tickets leave the default queue and are found by their status.
        await _kit.SendAsync(agent, new ResolveTicket(normal, Responsibility.Buyer, RootCause.UserError, TicketResolution.GuidanceGiven, null, null));
        Assert.DoesNotContain(normal, await Listed(""));
        Assert.Equal([normal], await Listed("status=Resolved"));
    }

    [Fact]
    public async Task An_agent_claims_an_unassigned_ticket_a_second_agent_is_refused_and_a_supervisor_may_take_over()
    {
        var filed = await _kit.OrderWithTicketAsync(quantity: 1, stock: 2, buyer: await _kit.BuyerAsync(100m));
        var (ticketNo, sku) = (filed.TicketNo, filed.Sku);
        var first = await _kit.PersonAsync(ShopRoles.Agent);
        var second = await _kit.PersonAsync(ShopRoles.Agent);
        var supervisor = await _kit.PersonAsync(ShopRoles.Supervisor);
        var queueUrl = $"/Admin/Tickets?sku={sku}";

        // Both agents have the queue open with the claim button showing.
        using var firstWeb = await _kit.SignInAsync(first);
        using var secondWeb = await _kit.SignInAsync(second);
        var staleQueue = await secondWeb.GetAsync(queueUrl);
        var staleForm = (IHtmlFormElement)Row(staleQueue, ticketNo).QuerySelector("form[data-testid=claim-form]")!;

        var claimed = await firstWeb.SubmitAsync(queueUrl, $"tr[data-ticket='{ticketNo}'] form[data-testid=claim-form]", new Dictionary<string, string>());
        var after = await firstWeb.FollowAsync(claimed);
        Assert.Contains(ticketNo, after.Document.QuerySelector("[data-testid=claimed]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(first.UserId, (await _kit.TicketAsync(ticketNo)).AssigneeId);
        Assert.Contains("我", Row(after, ticketNo).QuerySelector("[data-testid=assignee]")!.TextContent, StringComparison.Ordinal);

        // The second agent's button was already on screen: the claim is refused and said so.
        var refused = await PostFormAsync(secondWeb, staleForm, staleQueue.Document, new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Contains(AppText.Get("Workspace.AlreadyClaimed", Chinese), refused.PageErrors, StringComparison.Ordinal);
        Assert.Equal(first.UserId, (await _kit.TicketAsync(ticketNo)).AssigneeId);
        var conflict = Assert.IsAssignableFrom<DomainRuleException>(await _kit.RefusalAsync(second, new ClaimTicket(ticketNo)));
        Assert.Equal(ErrorCodes.Conflict, conflict.Code);
        // The ticket page offers the second agent no claim button either.
        Assert.Null((await secondWeb.GetAsync(Url(ticketNo))).Document.QuerySelector("form[data-testid=claim-form]"));

        // A supervisor takes it over from the ticket page; the first agent hears of it.
        using var supervisorWeb = await _kit.SignInAsync(supervisor);
        var takenOver = await supervisorWeb.FollowAsync(await supervisorWeb.SubmitAsync(Url(ticketNo), "form[data-testid=claim-form]",
            new Dictionary<string, string>()));
        Assert.NotNull(takenOver.Document.QuerySelector("[data-testid=done]"));
        Assert.Equal(supervisor.UserId, (await _kit.TicketAsync(ticketNo)).AssigneeId);
        Assert.True(await _kit.QueryAsync(db => db.Notifications.AnyAsync(n => n.UserId == first.UserId && n.Kind == "TicketTakenOver")));
        Assert.Equal(2, await _kit.QueryAsync(db => db.TicketEvents.CountAsync(e =>
            e.Kind == TicketEventKinds.Assigned && !e.IsPublic && db.Tickets.Any(t => t.Id == e.TicketId && t.No == ticketNo))));
    }

    [Fact]
    public async Task A_staff_reply_records_the_first_response_opens_a_new_ticket_and_tells_the_buyer()
    {
        var filed = await _kit.OrderWithTicketAsync(quantity: 1, stock: 2, buyer: await _kit.BuyerAsync(100m));
        var (ticketNo, buyer) = (filed.TicketNo, filed.Buyer);
        var agent = await _kit.PersonAsync(ShopRoles.Agent);
        using var web = await _kit.SignInAsync(agent);
        var url = Url(ticketNo);

        // An empty reply is refused under the box; nothing is sent.
        var empty = await web.SubmitAsync(url, "form[data-testid=reply-form]", new Dictionary<string, string> { ["Input.Body"] = "  " });
        Assert.Equal(HttpStatusCode.OK, empty.Status);
        Assert.Contains(AppText.Get("Workspace.ReplyRequired", Chinese), empty.FieldErrors("Input.Body"));
        Assert.Null((await _kit.TicketAsync(ticketNo)).FirstRespondedAt);

        var now = shop.Clock.GetUtcNow();
        var reply = "非常抱歉让您久等了！我们已经核实到问题，马上为您处理。";
        var page = await web.FollowAsync(await web.SubmitAsync(url, "form[data-testid=reply-form]", new Dictionary<string, string> { ["Input.Body"] = reply }));
        Assert.NotNull(page.Document.QuerySelector("[data-testid=done]"));
        Assert.Equal("Open", page.Document.QuerySelector("[data-testid=ticket-status]")!.GetAttribute("data-status"));
        Assert.Contains(page.Document.QuerySelectorAll("[data-testid=message][data-author=staff]"), m => m.TextContent.Contains(reply, StringComparison.Ordinal));
        Assert.NotNull(page.Document.QuerySelector("[data-testid=first-response] .bi-check-circle-fill"));

        var ticket = await _kit.TicketAsync(ticketNo);
        Assert.Equal(TicketStatus.Open, ticket.Status);
        Assert.Equal(now, ticket.FirstRespondedAt);
        Assert.Equal(agent.UserId, ticket.AssigneeId);
        var replied = await _kit.QueryAsync(db => db.Notifications.SingleAsync(n => n.UserId == buyer.UserId && n.Kind == "TicketReplied"));
        Assert.Equal("/Tickets/" + ticketNo, replied.Link);
        Assert.True(await _kit.QueryAsync(db => db.OutgoingEmails.AnyAsync(e => e.NotificationId == replied.Id && e.UserId == buyer.UserId)));

        // The buyer reads it through the API too.
        var api = await shop.Factory.ApiClient(buyer.Account.ApiKey).GetFromJsonAsync<JsonElement>($"/api/v1/tickets/{ticketNo}");
        Assert.Contains(api.GetProperty("messages").EnumerateArray(), m => m.GetProperty("body").GetString() == reply);

        // A later reply does not move the first-response time.
        shop.Clock.Advance(TimeSpan.FromMinutes(5));
        await _kit.SendAsync(agent, new ReplyAsStaff(ticketNo, "补充一句：新卡密已经在路上。"));
        Assert.Equal(now, (await _kit.TicketAsync(ticketNo)).FirstRespondedAt);
    }

    [Fact]
    public async Task Reply_and_wait_for_the_buyer_pauses_the_clock_and_resuming_pushes_the_due_times_out()
    {
        var filed = await _kit.OrderWithTicketAsync(quantity: 1, stock: 2, buyer: await _kit.BuyerAsync(100m));
        var (ticketNo, buyer) = (filed.TicketNo, filed.Buyer);
        var agent = await _kit.PersonAsync(ShopRoles.Agent);
        using var web = await _kit.SignInAsync(agent);
        var before = await _kit.TicketAsync(ticketNo);

        var page = await web.FollowAsync(await web.SubmitAsync(Url(ticketNo), "form[data-testid=reply-form]", new Dictionary<string, string>
        {
            ["Input.Body"] = "麻烦您截图发给我们，我们收到后马上处理。",
            ["Input.WaitForBuyer"] = "true",
        }));
        Assert.Equal("WaitingOnBuyer", page.Document.QuerySelector("[data-testid=ticket-status]")!.GetAttribute("data-status"));
        Assert.NotNull(page.Document.QuerySelector("[data-testid=sla-paused]"));
        Assert.Null(page.Document.QuerySelector("[data-testid=resolution-due] [data-due]"));
        var paused = await _kit.TicketAsync(ticketNo);
        Assert.Equal(shop.Clock.GetUtcNow(), paused.PausedSince);
        Assert.NotNull(paused.FirstRespondedAt);

        // Half an hour waiting on the buyer does not count against the promise.
        shop.Clock.Advance(TimeSpan.FromMinutes(30));
        await web.FollowAsync(await web.SubmitAsync(Url(ticketNo), "form[data-testid=status-form]",
            new Dictionary<string, string> { ["Input.To"] = "Open" }));
        var resumed = await _kit.TicketAsync(ticketNo);
        Assert.Equal(TicketStatus.Open, resumed.Status);
        Assert.Null(resumed.PausedSince);
        Assert.Equal(before.ResolutionDueAt + TimeSpan.FromMinutes(30), resumed.ResolutionDueAt);
    }

    [Fact]
    public async Task Internal_notes_show_on_the_staff_page_and_never_on_the_buyers_page_api_or_notifications()
    {
        var filed = await _kit.OrderWithTicketAsync(quantity: 1, stock: 2, buyer: await _kit.BuyerAsync(100m));
        var (ticketNo, buyer) = (filed.TicketNo, filed.Buyer);
        var agent = await _kit.PersonAsync(ShopRoles.Agent);
        var colleague = await _kit.PersonAsync(ShopRoles.Agent);
        await _kit.SendAsync(agent, new ClaimTicket(ticketNo));
        var secret = "INTERNAL-" + Guid.NewGuid().ToString("N");
        var notificationsBefore = await _kit.QueryAsync(db => db.Notifications.CountAsync(n => n.UserId == buyer.UserId));

        using var web = await _kit.SignInAsync(colleague);
        var empty = await web.SubmitAsync(Url(ticketNo), "form[data-testid=note-form]", new Dictionary<string, string> { ["Input.Note"] = "" });
        Assert.Contains(AppText.Get("Workspace.NoteRequired", Chinese), empty.FieldErrors("Input.Note"));

        var page = await web.FollowAsync(await web.SubmitAsync(Url(ticketNo), "form[data-testid=note-form]",
            new Dictionary<string, string> { ["Input.Note"] = $"供应商电话确认：{secret}" }));
        var note = Assert.Single(page.Document.QuerySelectorAll("[data-testid=message][data-internal=true]"));
        Assert.Contains(secret, note.TextContent, StringComparison.Ordinal);
        Assert.Contains("内部备注", note.QuerySelector("[data-testid=internal-label]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("bg-warning-subtle", note.GetAttribute("class") ?? "", StringComparison.Ordinal);
        Assert.NotNull(page.Document.QuerySelector("[data-testid=timeline] li[data-kind=note_added]"));

        // The buyer: not on the ticket page, not in the API, not in a notification.
        using var buyerWeb = await _kit.SignInAsync(buyer);
        var buyerPage = await buyerWeb.GetAsync("/Tickets/" + ticketNo);
        Assert.Equal(HttpStatusCode.OK, buyerPage.Status);
        Assert.DoesNotContain(secret, buyerPage.Html, StringComparison.Ordinal);
        var api = await shop.Factory.ApiClient(buyer.Account.ApiKey).GetAsync($"/api/v1/tickets/{ticketNo}");
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        var json = await api.Content.ReadAsStringAsync();
        Assert.DoesNotContain(secret, json, StringComparison.Ordinal);
        Assert.DoesNotContain(TicketEventKinds.NoteAdded, json, StringComparison.Ordinal);
        Assert.Equal(notificationsBefore, await _kit.QueryAsync(db => db.Notifications.CountAsync(n => n.UserId == buyer.UserId)));
        // The assignee is told a colleague wrote on their ticket.
        Assert.True(await _kit.QueryAsync(db => db.Notifications.AnyAsync(n => n.UserId == agent.UserId && n.Kind == "TicketNoteAdded")));
    }

    [Fact]
    public async Task Resolving_needs_a_responsibility_and_a_root_cause_and_a_rejection_needs_a_reason_the_buyer_reads()
    {
        var filed = await _kit.OrderWithTicketAsync(quantity: 1, stock: 2, buyer: await _kit.BuyerAsync(100m));
        var (ticketNo, buyer) = (filed.TicketNo, filed.Buyer);
        var agent = await _kit.PersonAsync(ShopRoles.Agent);
        using var web = await _kit.SignInAsync(agent);
        var url = Url(ticketNo);
        var messagesBefore = await MessageCountAsync(ticketNo);

        var missing = await web.SubmitAsync(url, "form[data-testid=resolve-form]", new Dictionary<string, string>
        {
            ["Input.Resolution"] = "GuidanceGiven",
            ["Input.ClosingMessage"] = "希望已经帮到您。",
        });
        Assert.Equal(HttpStatusCode.OK, missing.Status);
        Assert.Contains(AppText.Get("Workspace.ResponsibilityRequired", Chinese), missing.FieldErrors("Input.Responsibility"));
        Assert.Contains(AppText.Get("Workspace.RootCauseRequired", Chinese), missing.FieldErrors("Input.RootCause"));
        Assert.Equal(TicketStatus.New, (await _kit.TicketAsync(ticketNo)).Status);
        Assert.Equal(messagesBefore, await MessageCountAsync(ticketNo));
        // Through any door: the use case itself refuses (the API answers 400 validation_failed).
        Assert.IsType<ValidationException>(await _kit.RefusalAsync(agent,
            new ResolveTicket(ticketNo, null, RootCause.UserError, TicketResolution.GuidanceGiven, null, null)));

        var noReason = await web.SubmitAsync(url, "form[data-testid=resolve-form]", new Dictionary<string, string>
        {
            ["Input.Responsibility"] = "Buyer",
            ["Input.RootCause"] = "UserError",
            ["Input.Resolution"] = "Rejected",
            ["Input.Reason"] = " ",
        });
        Assert.Contains(AppText.Get("Workspace.RejectReasonRequired", Chinese), noReason.FieldErrors("Input.Reason"));
        Assert.Equal(TicketStatus.New, (await _kit.TicketAsync(ticketNo)).Status);
        Assert.Equal(messagesBefore, await MessageCountAsync(ticketNo));

        var reason = "这张卡密在您查看后 3 小时于另一台设备上被兑换，记录显示不是发货前的问题，所以这次无法退款。";
        var resolved = await web.FollowAsync(await web.SubmitAsync(url, "form[data-testid=resolve-form]", new Dictionary<string, string>
        {
            ["Input.Responsibility"] = "Buyer",
            ["Input.RootCause"] = "KeyLeakedAfterDelivery",
            ["Input.Resolution"] = "Rejected",
            ["Input.Reason"] = reason,
        }));
        Assert.Equal("Resolved", resolved.Document.QuerySelector("[data-testid=ticket-status]")!.GetAttribute("data-status"));
        Assert.NotNull(resolved.Document.QuerySelector("[data-testid=decision]"));
        var ticket = await _kit.TicketAsync(ticketNo);
        Assert.Equal((Responsibility.Buyer, RootCause.KeyLeakedAfterDelivery, TicketResolution.Rejected, reason),
            (ticket.Responsibility, ticket.RootCause, ticket.Resolution, ticket.ResolutionNote));

        var api = await shop.Factory.ApiClient(buyer.Account.ApiKey).GetFromJsonAsync<JsonElement>($"/api/v1/tickets/{ticketNo}");
        Assert.Equal("resolved", api.GetProperty("status").GetString());
        Assert.Equal("rejected", api.GetProperty("resolution").GetString());
        Assert.Contains(api.GetProperty("messages").EnumerateArray(), m => m.GetProperty("body").GetString() == reason);
        Assert.Contains(api.GetProperty("events").EnumerateArray(), e => e.GetProperty("kind").GetString() == TicketEventKinds.Resolved);
    }

    [Fact]
    public async Task Templates_are_filled_for_this_buyer_with_the_key_masked_and_the_full_key_never_reaches_the_page()
    {
        var (sku, _) = await _kit.Shop.ProductWithKeysAsync(3);
        var buyer = await _kit.PersonAsync(ShopRoles.Buyer, 100m);
        var order = await _kit.BuyAsync(buyer, sku, 2);
        var ticketNo = await _kit.FileTicketAsync(order, 1);
        var supervisor = await _kit.PersonAsync(ShopRoles.Supervisor);
        var agent = await _kit.PersonAsync(ShopRoles.Agent);
        // The buyer looked at the keys once (an API read is a recorded reveal).
        Assert.Equal(HttpStatusCode.OK, (await shop.Factory.ApiClient(buyer.Account.ApiKey).GetAsync($"/api/v1/orders/{order.OrderNo}")).StatusCode);

        using var supervisorWeb = await _kit.SignInAsync(supervisor);
        var typo = await supervisorWeb.SubmitAsync("/Admin/Templates/Edit", "form[data-testid=template-form]", new Dictionary<string, string>
        {
            ["Input.Title"] = "卡密无效 · 先道歉",
            ["Input.Category"] = "KeyInvalid",
            ["Input.BodyZh"] = "{biyer} 您好",
            ["Input.BodyEn"] = "Hello {buyer}",
            ["Input.IsActive"] = "true",
        });
        Assert.Equal(HttpStatusCode.OK, typo.Status);
        Assert.Contains(typo.FieldErrors("Input.BodyZh"), e => e.Contains("{biyer}", StringComparison.Ordinal));
        var title = "卡密无效 · 先道歉 " + Guid.NewGuid().ToString("N")[..6];
        var saved = await supervisorWeb.FollowAsync(await supervisorWeb.SubmitAsync("/Admin/Templates/Edit", "form[data-testid=template-form]",
            new Dictionary<string, string>
            {
                ["Input.Title"] = title,
                ["Input.Category"] = "KeyInvalid",
                ["Input.BodyZh"] = "{buyer} 您好，非常抱歉给您添麻烦了。订单 {orderNo} 里的卡密 {maskedKey} 我们正在核实，最晚 {dueAt} 前给您结果。",
                ["Input.BodyEn"] = "Hello {buyer}, I'm sorry for the trouble. We are checking key {maskedKey} of order {orderNo} and will have an answer by {dueAt}.",
                ["Input.IsActive"] = "true",
            }));
        Assert.NotNull(saved.Document.QuerySelector("[data-testid=template-saved]"));
        var templateId = Guid.Parse(saved.Document.QuerySelectorAll("tr[data-template]")
            .Single(r => r.TextContent.Contains(title, StringComparison.Ordinal)).GetAttribute("data-template")!);

        var revealsBefore = await RevealCountAsync(order);
        using var web = await _kit.SignInAsync(agent);
        var page = await web.GetAsync($"{Url(ticketNo)}?template={templateId}");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        var code = order.Codes[1];
        var masked = "****" + code[^4..];
        var ticket = await _kit.TicketAsync(ticketNo);
        var buyerName = await _kit.QueryAsync(db => db.Users.Where(u => u.Id == buyer.UserId).Select(u => u.DisplayName).SingleAsync());
        var body = ((IHtmlTextAreaElement)page.Document.QuerySelector("textarea[name='Input.Body']")!).Value;
        Assert.Equal($"{buyerName} 您好，非常抱歉给您添麻烦了。订单 {order.OrderNo} 里的卡密 {masked} 我们正在核实，最晚 {BuyerTime.Minutes(ticket.ResolutionDueAt, "Asia/Shanghai")} 前给您结果。", body);
        // The ticket's category comes first in the picker, and it is pre-selected.
        Assert.Equal(templateId.ToString(), page.Document.QuerySelector("select[name=template] option[selected]")!.GetAttribute("value"));

        // The page shows every key of the order masked, with where it came from — and never a whole key.
        Assert.Equal(order.Codes.Select(c => "****" + c[^4..]).Order(),
            page.Document.QuerySelectorAll("[data-testid=masked-code]").Select(e => e.TextContent.Trim()).Order());
        foreach (var c in order.Codes) Assert.DoesNotContain(c, page.Html, StringComparison.OrdinalIgnoreCase);
        var ticketKey = page.Document.QuerySelector($"[data-testid=key][data-item='{order.ItemIds[1]}']")!;
        // Imported, sold, then each time the buyer saw it (the purchase response and the later read), and by whom.
        var steps = ticketKey.QuerySelectorAll("[data-testid=key-timeline] li").ToList();
        Assert.Equal(["imported", "sold"], steps.Take(2).Select(l => l.GetAttribute("data-kind")!).ToList());
        Assert.Equal(revealsBefore / order.Codes.Count, steps.Count(l => l.GetAttribute("data-kind") == "revealed"));
        Assert.Contains(buyerName, steps.Last(l => l.GetAttribute("data-kind") == "revealed").TextContent, StringComparison.Ordinal);
        Assert.Contains("测试供应商", ticketKey.QuerySelector("li[data-kind=imported]")!.TextContent, StringComparison.Ordinal);
        // Opening keys to mask them is not a reveal.
        Assert.Equal(revealsBefore, await RevealCountAsync(order));

        Assert.Contains("中文", page.Document.QuerySelector("[data-testid=template-language]")!.TextContent, StringComparison.Ordinal);

        // The reply goes to the buyer, so it starts in the buyer's language, not the agent's: an agent on an English
        // page answering this Chinese buyer gets the Chinese text, and the page says whose language it is.
        using var english = await _kit.SignInAsync(agent, "en-US");
        var en = await english.GetAsync($"{Url(ticketNo)}?template={templateId}");
        Assert.Equal(body, ((IHtmlTextAreaElement)en.Document.QuerySelector("textarea[name='Input.Body']")!).Value);
        Assert.Equal("In the buyer's language: Chinese", en.Document.QuerySelector("[data-testid=template-language]")!.TextContent.Trim());
        // A buyer who reads English gets the English text from an agent on a Chinese page.
        await _kit.ExecuteAsync("UPDATE users SET preferred_culture = 'en-US' WHERE id = $1", buyer.UserId);
        var forEnglishBuyer = await web.GetAsync($"{Url(ticketNo)}?template={templateId}");
        Assert.StartsWith($"Hello {buyerName}, I'm sorry", ((IHtmlTextAreaElement)forEnglishBuyer.Document.QuerySelector("textarea[name='Input.Body']")!).Value,
            StringComparison.Ordinal);
        Assert.Equal("英文", forEnglishBuyer.Document.QuerySelector("[data-testid=buyer-language]")!.TextContent.Trim());

        // Only supervisors and admins keep templates.
        Assert.Equal(HttpStatusCode.Redirect, (await web.GetAsync("/Admin/Templates")).Status);
        var forbidden = Assert.IsAssignableFrom<DomainRuleException>(await _kit.RefusalAsync(agent,
            new SaveReplyTemplate(null, "x", null, "x", "x")));
        Assert.Equal(ErrorCodes.Forbidden, forbidden.Code);
    }

    [Fact]
    public async Task Buyers_resellers_and_operators_cannot_enter_the_workspace_and_agents_find_it_in_the_menu()
    {
        foreach (var role in new[] { ShopRoles.Buyer, ShopRoles.Reseller, ShopRoles.Operator })
        {
            var who = await _kit.PersonAsync(role);
            using var web = await _kit.SignInAsync(who);
            foreach (var url in new[] { "/Admin/Tickets", "/Admin/Tickets/TK2099010100000000", "/Admin/Templates" })
            {
                var page = await web.GetAsync(url);
                Assert.True(page.Status == HttpStatusCode.Redirect && page.Location!.Contains("/Account/AccessDenied", StringComparison.Ordinal),
                    $"{role} got {(int)page.Status} {page.Location} for {url}");
            }
            Assert.IsAssignableFrom<DomainRuleException>(await _kit.RefusalAsync(who, new ListTicketQueue()));
        }

        var agent = await _kit.PersonAsync(ShopRoles.Agent);
        using var agentWeb = await _kit.SignInAsync(agent);
        var home = await agentWeb.GetAsync("/Admin");
        Assert.NotNull(home.Document.QuerySelector("a[data-testid=nav-tickets][href='/Admin/Tickets']"));
        Assert.Null(home.Document.QuerySelector("a[data-testid=nav-templates]"));
        Assert.Equal(HttpStatusCode.OK, (await agentWeb.GetAsync("/Admin/Tickets")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await agentWeb.GetAsync("/Admin/Tickets/TK2099010100000000")).Status);
    }

    [Fact]
    public async Task A_move_the_lifecycle_does_not_allow_is_refused_with_a_message_and_a_supervisor_reassigns_to_agents_only()
    {
        var filed = await _kit.OrderWithTicketAsync(quantity: 1, stock: 2, buyer: await _kit.BuyerAsync(100m));
        var (ticketNo, buyer) = (filed.TicketNo, filed.Buyer);
        var agent = await _kit.PersonAsync(ShopRoles.Agent);
        var supervisor = await _kit.PersonAsync(ShopRoles.Supervisor);

        // Reassigning is for supervisors, and only to agents or supervisors.
        Assert.Equal(ErrorCodes.Forbidden, Assert.IsAssignableFrom<DomainRuleException>(
            await _kit.RefusalAsync(agent, new ReassignTicket(ticketNo, agent.UserId))).Code);
        using var supervisorWeb = await _kit.SignInAsync(supervisor);
        var toBuyer = await supervisorWeb.SubmitAsync(Url(ticketNo), "form[data-testid=reassign-form]",
            new Dictionary<string, string> { ["Input.AgentId"] = buyer.UserId.ToString() });
        Assert.Contains(AppText.Get("Workspace.AssigneeNotAgent", Chinese), toBuyer.FieldErrors("Input.AgentId"));
        Assert.Null((await _kit.TicketAsync(ticketNo)).AssigneeId);
        await supervisorWeb.FollowAsync(await supervisorWeb.SubmitAsync(Url(ticketNo), "form[data-testid=reassign-form]",
            new Dictionary<string, string> { ["Input.AgentId"] = agent.UserId.ToString() }));
        Assert.Equal(agent.UserId, (await _kit.TicketAsync(ticketNo)).AssigneeId);
        Assert.True(await _kit.QueryAsync(db => db.Notifications.AnyAsync(n => n.UserId == agent.UserId && n.Kind == "TicketReassigned"
            && n.Link == "/Admin/Tickets/" + ticketNo)));

        await _kit.SendAsync(agent, new ResolveTicket(ticketNo, Responsibility.Supplier, RootCause.KeyDefective, TicketResolution.Replaced, null, "新卡密已发到订单页。"));
        using var web = await _kit.SignInAsync(agent);
        var refused = await web.SubmitAsync(Url(ticketNo), "form[data-testid=status-form]",
            new Dictionary<string, string> { ["Input.To"] = "WaitingOnBuyer" });
        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Contains(AppText.Get("TicketStatus.WaitingOnBuyer", Chinese), refused.PageErrors, StringComparison.Ordinal);
        Assert.Equal(TicketStatus.Resolved, (await _kit.TicketAsync(ticketNo)).Status);
        var invalid = Assert.IsAssignableFrom<DomainRuleException>(await _kit.RefusalAsync(agent, new SetTicketStatus(ticketNo, TicketStatus.WaitingOnBuyer)));
        Assert.Equal(ErrorCodes.InvalidState, invalid.Code);
        // Resolving goes through its own form, never the status switch.
        Assert.IsType<ValidationException>(await _kit.RefusalAsync(agent, new SetTicketStatus(ticketNo, TicketStatus.Resolved)));
        // A resolved ticket is not replied to until it is reopened.
        Assert.Null((await web.GetAsync(Url(ticketNo))).Document.QuerySelector("form[data-testid=reply-form]"));
    }

    /// <summary>Ticket numbers in the order the queue page lists them.</summary>
    private static List<string> QueueOrder(WebSession.Page queue) =>
        queue.Document.QuerySelectorAll("table[data-testid=queue] tr[data-ticket]").Select(r => r.GetAttribute("data-ticket")!).ToList();

    private static IElement Row(WebSession.Page queue, string ticketNo) =>
        queue.Document.QuerySelector($"table[data-testid=queue] tr[data-ticket='{ticketNo}']")
        ?? throw new InvalidOperationException($"{ticketNo} is not in the queue.");

    private static string Url(string ticketNo) => "/Admin/Tickets/" + ticketNo;

    private Task<int> MessageCountAsync(string ticketNo) =>
        _kit.QueryAsync(db => db.TicketMessages.CountAsync(m => db.Tickets.Any(t => t.Id == m.TicketId && t.No == ticketNo)));

    private Task<int> RevealCountAsync(BoughtOrder order) =>
        _kit.QueryAsync(db => db.CardKeyEvents.CountAsync(e => e.Kind == CardKeyEventKind.Revealed
            && db.OrderItems.Any(i => order.ItemIds.Contains(i.Id) && i.CardKeyId == e.CardKeyId)));

    /// <summary>Submits a form from a page fetched earlier (a button that was on screen before somebody else acted).</summary>
    private static async Task<WebSession.Page> PostFormAsync(WebSession web, IHtmlFormElement form, IDocument page, Dictionary<string, string> fields)
    {
        var values = form.QuerySelectorAll("input[type=hidden]").OfType<IHtmlInputElement>()
            .Where(i => !string.IsNullOrEmpty(i.Name) && !fields.ContainsKey(i.Name!))
            .Select(i => new KeyValuePair<string, string>(i.Name!, i.Value))
            .Concat(fields)
            .ToList();
        var action = form.GetAttribute("action") ?? page.Url;
        var response = await web.Client.PostAsync(action, new FormUrlEncodedContent(values));
        return await WebSession.Page.ReadAsync(response);
    }
}
