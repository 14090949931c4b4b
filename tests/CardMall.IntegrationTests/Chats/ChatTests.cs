using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CardMall.Application.Features.Chats;
using CardMall.Domain.Accounts;
using CardMall.Domain.Chats;
using CardMall.Domain.Common;
using CardMall.IntegrationTests.Support;
using CardMall.TestSupport;
using CardMall.IntegrationTests.Tickets;
using MediatR;
using Microsoft.Extensions.DependencyInjection;

namespace CardMall.IntegrationTests.Chats;

/// <summary>
/// Live chat through the API and the use cases, on the shop's fake clock: nobody online turns the message into a
/// ticket; with an agent online the buyer is queued, offered, accepted and answered; an offer not taken in 30 s moves
/// on; the queue tells each buyer an honest place; nobody reads somebody else's chat; once-only things happen once.
/// </summary>
public sealed class ChatTests(TicketShop shop) : IClassFixture<TicketShop>
{
    private readonly TicketTestKit _kit = new(shop);

    [Fact]
    public async Task With_nobody_online_the_message_becomes_a_ticket_answered_under_its_sla()
    {
        await EverybodyOfflineAsync();
        var buyer = await _kit.BuyerAsync(0m);

        var started = await StartAsync(buyer, "卡密兑换失败，提示无效");
        Assert.Equal("offline", started.GetProperty("status").GetString());
        var ticketNo = started.GetProperty("ticketNo").GetString()!;

        var chat = await GetAsync(buyer, started.GetProperty("chatId").GetGuid());
        Assert.Equal("offline", chat.GetProperty("status").GetString());
        Assert.Equal(ticketNo, chat.GetProperty("ticketNo").GetString());
        var ticket = await _kit.TicketAsync(ticketNo);
        Assert.Equal("chat", ticket.Channel);
        Assert.Contains("卡密兑换失败，提示无效", ticket.Description);
        Assert.Contains(ticketNo, chat.GetProperty("messages").EnumerateArray().Last().GetProperty("body").GetString());
    }

    [Fact]
    public async Task A_buyer_reaches_an_agent_they_talk_both_ways_the_note_stays_inside_and_the_buyer_rates_it()
    {
        await EverybodyOfflineAsync();
        var agent = await OnlineAgentAsync();
        var buyer = await _kit.BuyerAsync(0m);

        var started = await StartAsync(buyer, "Hello, I need help with a key");
        var chatId = started.GetProperty("chatId").GetGuid();
        Assert.Equal("queued", started.GetProperty("status").GetString());
        Assert.Equal(1, started.GetProperty("position").GetInt32());
        Assert.True(started.GetProperty("estimatedWaitSeconds").GetInt32() <= 30);

        var pass = await DispatchAsync();
        Assert.Equal(1, pass.Offered);
        await _kit.SendAsync(agent, new AcceptChat(chatId));
        await _kit.SendAsync(agent, new AnswerChat(chatId, "您好，我来帮您看看"));
        await _kit.SendAsync(agent, new AnswerChat(chatId, "buyer seems to be a reseller", Internal: true));
        var sent = await App.ApiClient(buyer.Account.ApiKey).PostAsJsonAsync($"/api/v1/chats/{chatId}/messages", new { body = "谢谢" });
        Assert.Equal(HttpStatusCode.Created, sent.StatusCode);

        var chat = await GetAsync(buyer, chatId);
        Assert.Equal("active", chat.GetProperty("status").GetString());
        var bodies = chat.GetProperty("messages").EnumerateArray().Select(m => (m.GetProperty("author").GetString(), m.GetProperty("body").GetString())).ToList();
        Assert.Contains(("buyer", "Hello, I need help with a key"), bodies);
        Assert.Contains(("agent", "您好，我来帮您看看"), bodies);
        Assert.Contains(("buyer", "谢谢"), bodies);
        Assert.DoesNotContain(bodies, b => b.Item2!.Contains("reseller", StringComparison.Ordinal));
        var staffView = await _kit.SendAsync(agent, new GetChat(chatId, AsStaff: true));
        Assert.Contains(staffView.Messages, m => m.Author == "note");

        // Somebody else's chat does not exist for them.
        var stranger = await _kit.BuyerAsync(0m);
        Assert.Equal(HttpStatusCode.NotFound, (await App.ApiClient(stranger.Account.ApiKey).GetAsync($"/api/v1/chats/{chatId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound,
            (await App.ApiClient(stranger.Account.ApiKey).PostAsJsonAsync($"/api/v1/chats/{chatId}/messages", new { body = "hi" })).StatusCode);

        await _kit.SendAsync(agent, new EndChat(chatId, ByStaff: true));
        Assert.IsAssignableFrom<DomainRuleException>(await _kit.RefusalAsync(buyer, new PostChatMessage(chatId, "one more thing")));
        await _kit.SendAsync(buyer, new RateChat(chatId, 5, "快"));
        Assert.IsAssignableFrom<DomainRuleException>(await _kit.RefusalAsync(buyer, new RateChat(chatId, 1, null)));
        Assert.Equal(5, (await GetAsync(buyer, chatId)).GetProperty("rating").GetInt32());
    }

    [Fact]
    public async Task An_offer_not_accepted_within_30_seconds_moves_on_to_the_next_agent()
    {
        await EverybodyOfflineAsync();
        var first = await OnlineAgentAsync();
        var second = await OnlineAgentAsync();
        var buyer = await _kit.BuyerAsync(0m);
        var chatId = (await StartAsync(buyer, "是否有人在")).GetProperty("chatId").GetGuid();

        await DispatchAsync();
        var offeredTo = await OfferedToAsync(chatId);
        var (slow, other) = offeredTo == first.UserId ? (first, second) : (second, first);
        Assert.Equal(slow.UserId, offeredTo);

        _kit.Clock.Advance(TimeSpan.FromSeconds(29));
        await DispatchAsync();
        Assert.Equal(slow.UserId, await OfferedToAsync(chatId));

        _kit.Clock.Advance(TimeSpan.FromSeconds(2));
        var pass = await DispatchAsync();
        Assert.Equal(1, pass.Lapsed);
        Assert.Equal(other.UserId, await OfferedToAsync(chatId));
        // The agent who let it lapse can no longer take it, is set away (no further chat waits for them) and told so.
        Assert.IsAssignableFrom<DomainRuleException>(await _kit.RefusalAsync(slow, new AcceptChat(chatId)));
        Assert.Equal("Away", await _kit.ScalarAsync<string>("SELECT availability FROM agent_profiles WHERE user_id = $1", slow.UserId));
        Assert.True(await _kit.ScalarAsync<bool>("SELECT on_duty FROM agent_profiles WHERE user_id = $1", slow.UserId));
        Assert.Equal(1L, await _kit.CountAsync("SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = 'ChatOfferMissed'", slow.UserId));
        await _kit.SendAsync(other, new AcceptChat(chatId));
        Assert.Equal("active", (await GetAsync(buyer, chatId)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_queue_gives_each_buyer_an_honest_place_and_a_long_wait_may_be_left_as_a_ticket()
    {
        await EverybodyOfflineAsync();
        var supervisor = await _kit.StaffAsync(ShopRoles.Supervisor);
        var agent = await OnlineAgentAsync();
        await _kit.SendAsync(supervisor, new SetAvailability(AgentAvailability.Online, agent.UserId, ChatLimit: 1));
        var buyers = new List<Actor>();
        var chats = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            var buyer = await _kit.BuyerAsync(0m);
            buyers.Add(buyer);
            chats.Add((await StartAsync(buyer, $"question {i}")).GetProperty("chatId").GetGuid());
            _kit.Clock.Advance(TimeSpan.FromSeconds(1));
        }
        await DispatchAsync();
        await _kit.SendAsync(agent, new AcceptChat(chats[0]));

        // One seat, taken: the others wait in the order they came, each wait longer than the one before.
        var waits = new List<int>();
        for (var i = 1; i < 4; i++)
        {
            var chat = await GetAsync(buyers[i], chats[i]);
            Assert.Equal("queued", chat.GetProperty("status").GetString());
            Assert.Equal(i, chat.GetProperty("position").GetInt32());
            waits.Add(chat.GetProperty("estimatedWaitSeconds").GetInt32());
        }
        Assert.True(waits[0] < waits[1] && waits[1] < waits[2], string.Join(",", waits));
        Assert.True((await GetAsync(buyers[3], chats[3])).GetProperty("mayLeaveMessage").GetBoolean());

        // The last buyer would rather leave a message: a ticket with the transcript, and the queue moves up behind.
        var ticketNo = await _kit.SendAsync(buyers[3], new LeaveChatAsTicket(chats[3]));
        Assert.Contains("question 3", (await _kit.TicketAsync(ticketNo)).Description);
        Assert.Equal("offline", (await GetAsync(buyers[3], chats[3])).GetProperty("status").GetString());
        Assert.IsAssignableFrom<DomainRuleException>(await _kit.RefusalAsync(buyers[3], new LeaveChatAsTicket(chats[3])));

        // The first buyer leaves while waiting: abandoned, and the next one's place moves up.
        await _kit.SendAsync(buyers[1], new EndChat(chats[1]));
        Assert.True(await _kit.ScalarAsync<bool>("SELECT abandoned FROM chats WHERE id = $1", chats[1]));
        Assert.Equal(1, (await GetAsync(buyers[2], chats[2])).GetProperty("position").GetInt32());
    }

    [Fact]
    public async Task Pressing_talk_to_us_five_times_at_once_opens_one_chat_and_a_transcript_becomes_one_ticket()
    {
        await EverybodyOfflineAsync();
        var agent = await OnlineAgentAsync();
        var buyer = await _kit.BuyerAsync(0m);

        var starts = await Task.WhenAll(Enumerable.Range(0, 5).Select(i => StartAsync(buyer, $"hello {i}")));
        Assert.Single(starts.Select(s => s.GetProperty("chatId").GetGuid()).Distinct());
        var chatId = starts[0].GetProperty("chatId").GetGuid();
        Assert.Equal(5L, await _kit.CountAsync("SELECT count(*) FROM chat_messages WHERE chat_id = $1 AND author = 'Buyer'", chatId));

        await DispatchAsync();
        await _kit.SendAsync(agent, new AcceptChat(chatId));
        var turned = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => _kit.RefusalAsync(i % 2 == 0 ? buyer : agent, new TurnChatIntoTicket(chatId, ByStaff: i % 2 == 1))));
        Assert.Single(turned, e => e is null);
        Assert.Equal(1L, await _kit.CountAsync("SELECT count(*) FROM tickets WHERE channel = 'chat' AND buyer_id = $1", buyer.UserId));
    }

    [Fact]
    public async Task Bad_input_is_a_clear_400_and_a_stranger_order_a_404()
    {
        var buyer = await _kit.BuyerAsync(0m);
        var api = App.ApiClient(buyer.Account.ApiKey);
        var empty = await api.PostAsJsonAsync("/api/v1/chats", new { text = "" });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal("validation_failed", (await empty.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        var tooLong = await api.PostAsJsonAsync("/api/v1/chats", new { text = new string('x', 2001) });
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        var otherOrder = await _kit.BuyerWithOrderAsync(1);
        Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsJsonAsync("/api/v1/chats", new { text = "hi", orderNo = otherOrder.OrderNo })).StatusCode);
        Assert.Equal(0L, await _kit.CountAsync("SELECT count(*) FROM chats WHERE buyer_id = $1", buyer.UserId));
    }

    [Fact]
    public async Task Asking_the_assistant_for_a_person_while_an_agent_is_online_puts_the_buyer_through_to_live_chat_with_the_conversation()
    {
        await EverybodyOfflineAsync();
        await OnlineAgentAsync();
        var buyer = await _kit.BuyerAsync(0m);
        var api = App.ApiClient(buyer.Account.ApiKey);
        var first = await (await api.PostAsJsonAsync("/api/v1/assistant/messages", new { text = "我想问一下退款要多久" })).Content.ReadFromJsonAsync<JsonElement>();
        var handed = await (await api.PostAsJsonAsync("/api/v1/assistant/messages",
            new { text = "转人工", conversationId = first.GetProperty("conversationId").GetGuid() })).Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("human_agent", handed.GetProperty("intent").GetString());
        var chatId = handed.GetProperty("chatId").GetGuid();
        Assert.Contains("/Chats/" + chatId, handed.GetProperty("reply").GetString());
        var chat = await GetAsync(buyer, chatId);
        Assert.Equal("queued", chat.GetProperty("status").GetString());
        Assert.Contains("我想问一下退款要多久", chat.GetProperty("messages")[0].GetProperty("body").GetString());
        Assert.Equal(0L, await _kit.CountAsync("SELECT count(*) FROM tickets WHERE buyer_id = $1", buyer.UserId));
    }

    [Fact]
    public async Task An_agent_turns_a_chat_into_a_ticket_about_the_buyers_keys_and_never_about_somebody_elses()
    {
        await EverybodyOfflineAsync();
        var agent = await OnlineAgentAsync();
        var order = await _kit.BuyerWithOrderAsync(2);
        var other = await _kit.BuyerWithOrderAsync(1);
        var chatId = (await StartAsync(order.Buyer, "第一张卡密提示无效")).GetProperty("chatId").GetGuid();
        await DispatchAsync();
        await _kit.SendAsync(agent, new AcceptChat(chatId));

        Assert.IsType<FluentValidation.ValidationException>(await _kit.RefusalAsync(agent,
            new TurnChatIntoTicket(chatId, ByStaff: true, Domain.Tickets.TicketCategory.KeyInvalid, [other.ItemIds[0]])));
        var ticketNo = await _kit.SendAsync(agent, new TurnChatIntoTicket(chatId, ByStaff: true, Domain.Tickets.TicketCategory.KeyInvalid, [order.ItemIds[0]]));

        var ticket = await _kit.TicketAsync(ticketNo);
        Assert.Equal(Domain.Tickets.TicketCategory.KeyInvalid, ticket.Category);
        Assert.Contains("第一张卡密提示无效", ticket.Description);
        Assert.Equal(1L, await _kit.CountAsync("SELECT count(*) FROM ticket_items WHERE ticket_id = $1 AND order_item_id = $2", ticket.Id, order.ItemIds[0]));
        Assert.Equal(ticketNo, (await GetAsync(order.Buyer, chatId)).GetProperty("ticketNo").GetString());
        // Once per chat.
        Assert.IsAssignableFrom<DomainRuleException>(await _kit.RefusalAsync(agent, new TurnChatIntoTicket(chatId, ByStaff: true)));
    }

    // ---- helpers ----

    private ShopFactory App => _kit.App;

    /// <summary>A quiet desk: nobody online and no chat of an earlier test still waiting or open (the class shares one database).</summary>
    private async Task EverybodyOfflineAsync()
    {
        await _kit.ExecuteAsync("UPDATE agent_profiles SET on_duty = false, availability = 'Offline' WHERE availability <> 'Offline' OR on_duty");
        await _kit.ExecuteAsync("UPDATE chats SET status = 'Ended', ended_at = now() WHERE status IN ('Queued', 'Offered', 'Active')");
    }

    private async Task<Actor> OnlineAgentAsync()
    {
        var agent = await _kit.StaffAsync(ShopRoles.Agent);
        await _kit.SendAsync(agent, new SetAvailability(AgentAvailability.Online));
        return agent;
    }

    /// <summary>One pass of the dispatcher, as its timer would run it (no one signed in).</summary>
    private async Task<ChatDispatchPass> DispatchAsync()
    {
        using var scope = App.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new DispatchChats());
    }

    private Task<Guid?> OfferedToAsync(Guid chatId) =>
        _kit.ScalarAsync<Guid?>("SELECT agent_id FROM chats WHERE id = $1 AND status = 'Offered'", chatId);

    private async Task<JsonElement> StartAsync(Actor buyer, string text)
    {
        var response = await App.ApiClient(buyer.Account.ApiKey).PostAsJsonAsync("/api/v1/chats", new { text });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<JsonElement> GetAsync(Actor buyer, Guid chatId)
    {
        var response = await App.ApiClient(buyer.Account.ApiKey).GetAsync($"/api/v1/chats/{chatId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
