using System.Net;
using CardMall.Application.Features.Chats;
using CardMall.Application.Features.Tickets;
using CardMall.Domain.Accounts;
using CardMall.Domain.Chats;
using CardMall.IntegrationTests.Support;
using CardMall.IntegrationTests.Tickets;
using FluentValidation;
using MediatR;
using Microsoft.Extensions.DependencyInjection;

namespace CardMall.IntegrationTests.Chats;

/// <summary>
/// Live chat's pages as a browser without script uses them: "Talk to us" on an order page starts a chat about that
/// order, the chat page shows the place in the queue and the conversation, every action is a form post (write, send
/// a screenshot, end, rate, turn into a ticket, leave a message), the history lists past chats — and nobody else's
/// chat or image exists for another buyer. The agent console accepts, answers and ends the same way.
/// </summary>
public sealed class ChatPagesTests(TicketShop shop) : IClassFixture<TicketShop>
{
    private readonly TicketTestKit _kit = new(shop);

    [Fact]
    public async Task A_buyer_starts_from_an_order_waits_in_the_queue_talks_with_the_agent_sends_a_screenshot_rates_and_files_a_ticket_all_by_form_posts()
    {
        await EverybodyOfflineAsync();
        var agent = await _kit.StaffAsync(ShopRoles.Agent);
        using var desk = await _kit.SignInAsync(agent, "en-US");
        var online = await desk.SubmitAsync("/Admin/Chats", "form[data-testid=availability]", new Dictionary<string, string>(), "availability", "Online");
        Assert.Equal(HttpStatusCode.Redirect, online.Status);
        var order = await _kit.BuyerWithOrderAsync(1);
        using var web = await _kit.SignInAsync(order.Buyer, "en-US");

        var orderPage = await web.GetAsync($"/Orders/{order.OrderNo}");
        var talk = orderPage.Document.QuerySelector("[data-testid=order-talk-to-us]")!.GetAttribute("href")!;
        Assert.Equal($"/Chats?order={order.OrderNo}", talk);
        var started = await web.SubmitAsync(talk, "form[data-testid=chat-start-form]", new Dictionary<string, string> { ["Input.Text"] = "My key says invalid" });
        Assert.Equal(HttpStatusCode.Redirect, started.Status);
        var chatId = await _kit.ScalarAsync<Guid>("SELECT id FROM chats WHERE buyer_id = $1", order.Buyer.UserId);
        Assert.Equal($"/Chats/{chatId}", started.Location);
        Assert.NotNull(await _kit.ScalarAsync<Guid?>("SELECT order_id FROM chats WHERE id = $1", chatId));

        var page = await web.FollowAsync(started);
        Assert.Equal("Waiting", page.Document.QuerySelector("[data-testid=chat-status]")!.TextContent.Trim());
        Assert.StartsWith("0 ahead of you, about", page.Document.QuerySelector("[data-testid=chat-place]")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Contains("My key says invalid", page.Document.QuerySelector("[data-testid=chat-log]")!.TextContent, StringComparison.Ordinal);

        // The agent's console rings; accepting opens the chat with the buyer and their order beside it.
        await DispatchAsync();
        var console = await desk.GetAsync("/Admin/Chats");
        Assert.Single(console.Document.QuerySelectorAll("[data-testid=chat-offer]"));
        var accepted = await desk.SubmitAsync("/Admin/Chats", "[data-testid=chat-offer] form", new Dictionary<string, string>());
        Assert.Equal($"/Admin/Chats/{chatId}", accepted.Location);
        var pane = await desk.FollowAsync(accepted);
        Assert.Equal(order.OrderNo, pane.Document.QuerySelector("[data-testid=chat-order] .font-monospace")!.TextContent.Trim());
        Assert.Equal("****" + order.Codes[0][^4..], pane.Document.QuerySelector("[data-testid=masked-key]")!.TextContent.Trim());
        Assert.DoesNotContain(order.Codes[0], pane.Html, StringComparison.Ordinal);
        var answered = await desk.SubmitAsync($"/Admin/Chats/{chatId}", "form[data-console-reply]", new Dictionary<string, string> { ["Input.Body"] = "Let me check that key." });
        Assert.Equal(HttpStatusCode.Redirect, answered.Status);
        await desk.SubmitAsync($"/Admin/Chats/{chatId}", "form[data-console-reply]", new Dictionary<string, string> { ["Input.Body"] = "reseller?", ["Input.Internal"] = "true" });

        // The buyer writes back and sends a screenshot; the note never reaches them.
        Assert.Equal(HttpStatusCode.Redirect, (await web.SubmitAsync($"/Chats/{chatId}", "form[data-chat-send]", new Dictionary<string, string> { ["Input.Text"] = "Thanks!" })).Status);
        var png = TicketTestKit.Png(2000);
        var sent = await TicketTestKit.SubmitMultipartAsync(web, $"/Chats/{chatId}", "form[data-testid=chat-image-form]", [], [("Input.Image", "error.png", "image/png", png)]);
        Assert.Equal(HttpStatusCode.Redirect, sent.Status);
        page = await web.GetAsync($"/Chats/{chatId}");
        Assert.Equal("Connected", page.Document.QuerySelector("[data-testid=chat-status]")!.TextContent.Trim());
        var log = page.Document.QuerySelector("[data-testid=chat-log]")!.TextContent;
        Assert.Contains("Let me check that key.", log, StringComparison.Ordinal);
        Assert.Contains("Thanks!", log, StringComparison.Ordinal);
        Assert.DoesNotContain("reseller", log, StringComparison.Ordinal);
        var imageUrl = page.Document.QuerySelector("[data-testid=chat-img]")!.GetAttribute("src")!;
        var image = await web.Client.GetAsync(imageUrl);
        Assert.Equal("image/png", image.Content.Headers.ContentType?.MediaType);
        Assert.Equal(png, await image.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.OK, (await desk.Client.GetAsync(imageUrl)).StatusCode);

        // Somebody else's chat and image do not exist for another buyer.
        var stranger = await _kit.BuyerAsync(0m);
        using var other = await _kit.SignInAsync(stranger, "en-US");
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/Chats/{chatId}")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Client.GetAsync(imageUrl)).StatusCode);

        // The agent ends it; the buyer rates it and turns the transcript into a ticket.
        Assert.Equal(HttpStatusCode.Redirect, (await desk.SubmitAsync($"/Admin/Chats/{chatId}", "form[data-testid=console-end-form]", new Dictionary<string, string>())).Status);
        var rated = await web.SubmitAsync($"/Chats/{chatId}", "form[data-testid=chat-rate]", new Dictionary<string, string> { ["Input.Score"] = "4", ["Input.Comment"] = "quick" });
        page = await web.FollowAsync(rated);
        Assert.Contains("Thank you for your rating", page.Document.QuerySelector("[data-testid=flash]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(4, await _kit.ScalarAsync<int>("SELECT rating FROM chats WHERE id = $1", chatId));
        page = await web.FollowAsync(await web.SubmitAsync($"/Chats/{chatId}", "form[data-testid=chat-to-ticket-form]", new Dictionary<string, string>()));
        var ticketNo = await _kit.ScalarAsync<string>("SELECT t.no FROM tickets t JOIN chats c ON c.ticket_id = t.id WHERE c.id = $1", chatId);
        Assert.Equal($"/Tickets/{ticketNo}", page.Document.QuerySelector("[data-testid=chat-ticket-link]")!.GetAttribute("href"));
        var ticket = await _kit.TicketAsync(ticketNo);
        Assert.Contains("Thanks!", ticket.Description, StringComparison.Ordinal);
        Assert.Contains("[image]", ticket.Description, StringComparison.Ordinal);

        // The history lists it.
        var history = (await web.GetAsync("/Chats")).Document.QuerySelectorAll("[data-testid=chat-history-row]");
        Assert.Contains(history, r => r.QuerySelector("a")!.GetAttribute("href") == $"/Chats/{chatId}" && r.TextContent.Contains(ticketNo, StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_nobody_online_the_form_says_the_message_became_a_ticket_and_a_waiting_buyer_may_leave_a_message()
    {
        await EverybodyOfflineAsync();
        var buyer = await _kit.BuyerAsync(0m);
        using var web = await _kit.SignInAsync(buyer, "zh-CN");
        var started = await web.SubmitAsync("/Chats", "form[data-testid=chat-start-form]", new Dictionary<string, string> { ["Input.Text"] = "有人吗" });
        Assert.True(started.Status == HttpStatusCode.Redirect, started.PageErrors + string.Join(" ", started.FieldErrors("Input.Text")));
        var page = await web.FollowAsync(started);
        var ticketNo = await _kit.ScalarAsync<string>("SELECT t.no FROM tickets t JOIN chats c ON c.ticket_id = t.id WHERE c.buyer_id = $1", buyer.UserId);
        Assert.Contains(ticketNo, page.Document.QuerySelector("[data-testid=flash]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("已转留言", page.Document.QuerySelector("[data-testid=chat-status]")!.TextContent.Trim());

        // With an agent online the buyer waits, and may still choose to leave a message.
        var agent = await _kit.StaffAsync(ShopRoles.Agent);
        await _kit.SendAsync(agent, new SetAvailability(AgentAvailability.Online));
        started = await web.SubmitAsync("/Chats", "form[data-testid=chat-start-form]", new Dictionary<string, string>(), "Input.Quick", "我付款了但没有收到卡密。");
        page = await web.FollowAsync(started);
        Assert.StartsWith("前面还有 0 人，预计等待", page.Document.QuerySelector("[data-testid=chat-place]")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Contains("我付款了但没有收到卡密。", page.Document.QuerySelector("[data-testid=chat-log]")!.TextContent, StringComparison.Ordinal);
        page = await web.FollowAsync(await web.SubmitAsync(started.Location!, "form[data-testid=chat-leave-form]", new Dictionary<string, string>()));
        Assert.Equal("已转留言", page.Document.QuerySelector("[data-testid=chat-status]")!.TextContent.Trim());
        Assert.Equal(2L, await _kit.CountAsync("SELECT count(*) FROM tickets WHERE buyer_id = $1 AND channel = 'chat'", buyer.UserId));
    }

    [Fact]
    public async Task A_file_that_is_not_an_image_or_too_large_is_refused_on_the_form_and_nothing_is_stored()
    {
        await EverybodyOfflineAsync();
        var agent = await _kit.StaffAsync(ShopRoles.Agent);
        await _kit.SendAsync(agent, new SetAvailability(AgentAvailability.Online));
        var buyer = await _kit.BuyerAsync(0m);
        var chatId = (await _kit.SendAsync(buyer, new StartChat("hello", null))).ChatId;
        using var web = await _kit.SignInAsync(buyer, "en-US");

        var text = await TicketTestKit.SubmitMultipartAsync(web, $"/Chats/{chatId}", "form[data-testid=chat-image-form]", [],
            [("Input.Image", "notes.png", "image/png", "just text, not a picture"u8.ToArray())]);
        Assert.Equal(HttpStatusCode.OK, text.Status);
        Assert.Contains("notes.png", Assert.Single(text.Document.QuerySelectorAll("[data-testid=chat-image-error]")).TextContent, StringComparison.Ordinal);
        var big = await TicketTestKit.SubmitMultipartAsync(web, $"/Chats/{chatId}", "form[data-testid=chat-image-form]", [],
            [("Input.Image", "huge.png", "image/png", TicketTestKit.Png(5 * 1024 * 1024 + 1))]);
        Assert.Contains("huge.png", Assert.Single(big.Document.QuerySelectorAll("[data-testid=chat-image-error]")).TextContent, StringComparison.Ordinal);
        Assert.Equal(0L, await _kit.CountAsync("SELECT count(*) FROM chat_attachments WHERE chat_id = $1", chatId));
        Assert.Equal(1L, await _kit.CountAsync("SELECT count(*) FROM chat_messages WHERE chat_id = $1", chatId));
    }

    [Fact]
    public async Task A_supervisor_sees_the_live_queue_and_takes_a_waiting_chat_over_and_sets_an_agents_chat_limit()
    {
        await EverybodyOfflineAsync();
        var agent = await _kit.StaffAsync(ShopRoles.Agent);
        await _kit.SendAsync(agent, new SetAvailability(AgentAvailability.Online));
        var buyer = await _kit.BuyerAsync(0m);
        var chatId = (await _kit.SendAsync(buyer, new StartChat("还在吗", null))).ChatId;
        var supervisor = await _kit.StaffAsync(ShopRoles.Supervisor);
        using var desk = await _kit.SignInAsync(supervisor, "zh-CN");

        var console = await desk.GetAsync("/Admin/Chats");
        var row = Assert.Single(console.Document.QuerySelectorAll("[data-testid=queue-row]"));
        Assert.Contains("#1", row.TextContent, StringComparison.Ordinal);
        Assert.StartsWith("最长等待", console.Document.QuerySelector("[data-testid=longest-wait]")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Contains(console.Document.QuerySelectorAll("[data-testid=agents-online] li"), li => li.TextContent.Contains("0 / 3", StringComparison.Ordinal));

        var taken = await desk.SubmitAsync("/Admin/Chats", "[data-testid=queue-row] form", new Dictionary<string, string>());
        Assert.Equal($"/Admin/Chats/{chatId}", taken.Location);
        Assert.Equal(supervisor.UserId, await _kit.ScalarAsync<Guid>("SELECT agent_id FROM chats WHERE id = $1 AND status = 'Active'", chatId));
        Assert.Empty((await desk.GetAsync("/Admin/Chats")).Document.QuerySelectorAll("[data-testid=queue-row]"));

        // The agents page sets how many chats an agent answers at once.
        var agents = await desk.GetAsync("/Admin/Agents");
        var form = agents.Document.QuerySelectorAll("[data-testid=agent-row]").Single(r => r.GetAttribute("data-agent") == agent.UserId.ToString())
            .QuerySelector("[data-testid=chat-limit-form]")!;
        var fields = form.QuerySelectorAll("input[type=hidden]").OfType<AngleSharp.Html.Dom.IHtmlInputElement>()
            .Select(i => new KeyValuePair<string, string>(i.Name!, i.Value)).Where(f => f.Key != "chatLimit").ToList();
        fields.Add(new("chatLimit", "5"));
        var saved = await desk.Client.PostAsync("/Admin/Agents?handler=ChatLimit", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(5, await _kit.ScalarAsync<int>("SELECT chat_limit FROM agent_profiles WHERE user_id = $1", agent.UserId));
        Assert.Equal("Online", await _kit.ScalarAsync<string>("SELECT availability FROM agent_profiles WHERE user_id = $1", agent.UserId));
    }

    // ---- helpers ----

    private async Task EverybodyOfflineAsync()
    {
        await _kit.ExecuteAsync("UPDATE agent_profiles SET on_duty = false, availability = 'Offline' WHERE availability <> 'Offline' OR on_duty");
        await _kit.ExecuteAsync("UPDATE chats SET status = 'Ended', ended_at = now() WHERE status IN ('Queued', 'Offered', 'Active')");
    }

    private async Task DispatchAsync()
    {
        using var scope = _kit.App.Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new DispatchChats());
    }
}

/// <summary>
/// Chat screenshots count against the buyer's daily evidence quota (6 images here) together with ticket images: a
/// chat is no way round it, and over it the image is refused with a clear message and nothing is stored.
/// </summary>
public sealed class ChatImageQuotaTests(EvidenceQuotaShop shop) : IClassFixture<EvidenceQuotaShop>
{
    private readonly TicketTestKit _kit = new(shop) { Culture = "zh-CN" };

    [Fact]
    public async Task Chat_images_and_ticket_images_share_the_daily_quota()
    {
        await _kit.ExecuteAsync("UPDATE agent_profiles SET on_duty = false, availability = 'Offline'");
        var agent = await _kit.StaffAsync(ShopRoles.Agent);
        await _kit.SendAsync(agent, new SetAvailability(AgentAvailability.Online));
        var order = await _kit.BuyerWithOrderAsync(2);
        await _kit.SendAsync(order.Buyer, new CreateTicket(order.OrderNo, [order.ItemIds[0]], Domain.Tickets.TicketCategory.KeyInvalid, "无效", null,
            [.. Enumerable.Range(1, 5).Select(i => new EvidenceUpload($"p{i}.png", TicketTestKit.Png(1000)))]));
        var chatId = (await _kit.SendAsync(order.Buyer, new StartChat("截图发给你", null))).ChatId;

        await _kit.SendAsync(order.Buyer, new SendChatImage(chatId, new EvidenceUpload("sixth.png", TicketTestKit.Png(1000))));
        var refused = Assert.IsType<ValidationException>(await _kit.RefusalAsync(order.Buyer, new SendChatImage(chatId, new EvidenceUpload("seventh.png", TicketTestKit.Png(1000)))));
        Assert.Contains("24 小时内最多可以上传 6 张", Assert.Single(refused.Errors).ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(1L, await _kit.CountAsync("SELECT count(*) FROM chat_attachments WHERE chat_id = $1", chatId));

        // On the page the refusal shows under the image button.
        using var web = await _kit.SignInAsync(order.Buyer, "zh-CN");
        var page = await TicketTestKit.SubmitMultipartAsync(web, $"/Chats/{chatId}", "form[data-testid=chat-image-form]", [], [("Input.Image", "again.png", "image/png", TicketTestKit.Png(1000))]);
        Assert.Contains("24 小时内最多可以上传 6 张", Assert.Single(page.Document.QuerySelectorAll("[data-testid=chat-image-error]")).TextContent, StringComparison.Ordinal);
        // And a ticket reply with an image is refused too: the chat image used the room.
        var ticketNo = await _kit.ScalarAsync<string>("SELECT no FROM tickets WHERE buyer_id = $1 AND channel <> 'chat'", order.Buyer.UserId);
        Assert.IsType<ValidationException>(await _kit.RefusalAsync(order.Buyer, new ReplyToTicket(ticketNo, "再来一张", [new EvidenceUpload("x.png", TicketTestKit.Png(1000))])));
    }
}
