using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CardMall.Application.Features.Assistant;
using CardMall.Domain.Tickets;
using CardMall.IntegrationTests.Support;
using CardMall.IntegrationTests.Tickets;
using CardMall.Web.Verification;
using Microsoft.Extensions.DependencyInjection;

namespace CardMall.IntegrationTests.Assistant;

/// <summary>The shop for the assistant: the verification worker off (the assistant runs its checks itself), incidents out of the way.</summary>
public sealed class AssistantShop : TicketShop
{
    protected override void AddSettings(IDictionary<string, string?> settings)
    {
        settings[VerificationWorker.EnabledSetting] = "false";
        settings["CardMall:Risk:ComplaintsPerBatch"] = "1000";
    }
}

/// <summary>
/// The 7×24 assistant through its API (api.md): each intent in Chinese and English understood and answered
/// from the asker's own data only; a faulty key checked with the sandbox supplier and replaced, with the
/// conversation on the ticket; "转人工" handing over to a person — the second time joining the same ticket.
/// </summary>
public sealed class AssistantTests(AssistantShop shop) : IClassFixture<AssistantShop>
{
    private readonly TicketTestKit _kit = new(shop);

    [Fact]
    public void Every_intent_the_assistant_understands_has_exactly_one_answer()
    {
        using var scope = shop.Factory.Services.CreateScope();
        var answered = scope.ServiceProvider.GetServices<CardMall.Application.Features.Assistant.Answers.IAssistantAnswer>().SelectMany(a => a.Intents).ToList();
        Assert.Equal(Intents.All.Order(StringComparer.Ordinal), answered.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("我的卡密在哪里看", Intents.KeyLookup)]
    [InlineData("where can i see the code i bought", Intents.KeyLookup)]
    [InlineData("steam充值码怎么用啊", Intents.UsageGuide)]
    [InlineData("how do i redeem this code", Intents.UsageGuide)]
    [InlineData("能退款吗", Intents.RefundPolicy)]
    [InlineData("can i get my money back", Intents.RefundPolicy)]
    [InlineData("我的工单处理到哪了", Intents.TicketStatus)]
    [InlineData("any update on my ticket", Intents.TicketStatus)]
    [InlineData("付了钱没收到卡密", Intents.NotReceived)]
    [InlineData("paid but didnt recieve anything", Intents.NotReceived)]
    [InlineData("我的账号好像被别人登录了", Intents.AccountSecurity)]
    [InlineData("someone logged into my account", Intents.AccountSecurity)]
    [InlineData("你好", Intents.Greeting)]
    [InlineData("hello", Intents.Greeting)]
    [InlineData("卡密用不了", Intents.KeyInvalid)]
    [InlineData("the code doesnt work it says invalid", Intents.KeyInvalid)]
    [InlineData("充值码显示已使用", Intents.KeyAlreadyUsed)]
    [InlineData("my code says already redeemed", Intents.KeyAlreadyUsed)]
    [InlineData("人工客服", Intents.HumanAgent)]
    [InlineData("i want to talk to a real person", Intents.HumanAgent)]
    [InlineData("今天天气怎么样", Intents.Other)]
    [InlineData("whats the weather like today", Intents.Other)]
    public async Task Each_intent_is_understood_and_answered_from_the_askers_own_data(string text, string intent)
    {
        var mine = await _kit.OrderWithTicketAsync();
        var theirs = await _kit.OrderWithTicketAsync();

        var reply = await AskAsync(mine.Buyer, text);

        Assert.Equal(intent, reply.GetProperty("intent").GetString());
        var said = reply.GetProperty("reply").GetString()!;
        Assert.False(string.IsNullOrWhiteSpace(said));
        Assert.DoesNotContain(theirs.OrderNo, said, StringComparison.Ordinal);
        Assert.DoesNotContain(theirs.TicketNo, said, StringComparison.Ordinal);
        // Answered in the language it was asked in.
        Assert.Equal(text.Any(c => c >= '\u4E00' && c <= '\u9FFF'), said.Any(c => c >= '\u4E00' && c <= '\u9FFF'));
        if (intent == Intents.KeyLookup) Assert.Contains(mine.OrderNo, said, StringComparison.Ordinal);
        if (intent == Intents.TicketStatus) Assert.Contains(mine.TicketNo, said, StringComparison.Ordinal);
        // A faulty key, a key that never came or a request for a person opens a ticket of the asker's own, with the conversation.
        if (intent is Intents.KeyInvalid or Intents.KeyAlreadyUsed or Intents.NotReceived or Intents.HumanAgent)
        {
            var ticket = await _kit.TicketAsync(reply.GetProperty("ticketNo").GetString()!);
            Assert.Equal(mine.Buyer.UserId, ticket.BuyerId);
            Assert.Equal(1L, await _kit.CountAsync("SELECT count(*) FROM ticket_messages WHERE ticket_id = $1 AND strpos(body, $2) > 0", ticket.Id, text));
        }
        // The order's keys already have an open ticket: a complaint about them joins it rather than opening another.
        if (intent is Intents.KeyInvalid or Intents.KeyAlreadyUsed) Assert.Equal(mine.TicketNo, reply.GetProperty("ticketNo").GetString());
    }

    [Fact]
    public async Task Where_is_my_key_shows_the_order_with_masked_keys_and_never_a_whole_key_or_another_buyers_order()
    {
        var order = await _kit.BuyerWithOrderAsync(quantity: 2);
        var other = await _kit.BuyerWithOrderAsync(quantity: 1);

        var reply = await AskAsync(order.Buyer, "我买的卡密在哪");
        var said = reply.GetProperty("reply").GetString()!;
        Assert.Equal(Intents.KeyLookup, reply.GetProperty("intent").GetString());
        Assert.Contains(order.OrderNo, said, StringComparison.Ordinal);
        Assert.Contains("/Orders/" + order.OrderNo, said, StringComparison.Ordinal);
        foreach (var code in order.Codes)
        {
            Assert.DoesNotContain(code, said, StringComparison.Ordinal);
            Assert.True(said.Contains(CardMall.Domain.CardKeys.CardKeyMask.Mask(code), StringComparison.Ordinal), said);
        }

        // Naming somebody else's order finds nothing.
        var probing = (await AskAsync(order.Buyer, "我的卡密在哪 " + other.OrderNo)).GetProperty("reply").GetString()!;
        Assert.Contains(other.OrderNo, probing, StringComparison.Ordinal); // only echoed back as "not found"
        Assert.DoesNotContain(other.Codes[0][^4..], probing, StringComparison.Ordinal);
        Assert.DoesNotContain("/Orders/" + other.OrderNo, probing, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bare_order_number_is_answered_with_that_order_and_its_masked_keys()
    {
        var order = await _kit.BuyerWithOrderAsync(quantity: 1);

        var reply = await AskAsync(order.Buyer, order.OrderNo.ToLowerInvariant());
        var said = reply.GetProperty("reply").GetString()!;
        Assert.Equal(Intents.KeyLookup, reply.GetProperty("intent").GetString());
        Assert.Contains("/Orders/" + order.OrderNo, said, StringComparison.Ordinal);
        Assert.Contains(CardMall.Domain.CardKeys.CardKeyMask.Mask(order.Codes[0]), said, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("卡密用不了，提示无效")]
    [InlineData("the code is invalid, it says wrong code")]
    public async Task An_invalid_key_is_checked_with_the_supplier_replaced_and_the_ticket_carries_the_conversation(string text)
    {
        var order = await _kit.BuyerWithOrderAsync(quantity: 1);
        await AnswerAsync(order.Codes[0], "invalid");

        var reply = await AskAsync(order.Buyer, text);

        Assert.Equal(Intents.KeyInvalid, reply.GetProperty("intent").GetString());
        var ticketNo = reply.GetProperty("ticketNo").GetString()!;
        var ticket = await _kit.TicketAsync(ticketNo);
        Assert.Equal(TicketStatus.Resolved, ticket.Status);
        Assert.Equal(TicketResolution.Replaced, ticket.Resolution);
        Assert.Equal("assistant", ticket.Channel);
        Assert.Contains(text, ticket.Description, StringComparison.Ordinal);
        Assert.Contains(order.OrderNo, reply.GetProperty("reply").GetString()!, StringComparison.Ordinal);
        Assert.Equal(1, await _kit.CountAsync(
            "SELECT count(*) FROM order_items i JOIN orders o ON o.id = i.order_id JOIN card_keys k ON k.id = i.card_key_id WHERE o.no = $1 AND k.state = 'Void'", order.OrderNo));
        Assert.Equal(1, await _kit.CountAsync(
            "SELECT count(*) FROM order_items i JOIN orders o ON o.id = i.order_id JOIN card_keys k ON k.id = i.card_key_id WHERE o.no = $1 AND k.state = 'Sold'", order.OrderNo));
        Assert.DoesNotContain(order.Codes[0], shop.Factory.Logs.All, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Asking_for_a_person_mid_conversation_opens_a_ticket_with_the_transcript_and_asking_again_joins_it()
    {
        var order = await _kit.BuyerWithOrderAsync(quantity: 1);
        var first = await AskAsync(order.Buyer, "你好");
        var conversation = first.GetProperty("conversationId").GetGuid();
        await AskAsync(order.Buyer, "我想问一下退款要多久", conversation);

        var handed = await AskAsync(order.Buyer, "转人工", conversation);

        Assert.Equal(Intents.HumanAgent, handed.GetProperty("intent").GetString());
        var ticketNo = handed.GetProperty("ticketNo").GetString()!;
        var ticket = await _kit.TicketAsync(ticketNo);
        Assert.Contains("我想问一下退款要多久", ticket.Description, StringComparison.Ordinal);
        Assert.Contains("转人工", ticket.Description, StringComparison.Ordinal);
        var due = TimeZoneInfo.ConvertTime(ticket.FirstResponseDueAt, Domain.Common.ShopTime.Zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        Assert.Contains(due, handed.GetProperty("reply").GetString()!, StringComparison.Ordinal);

        var again = await AskAsync(order.Buyer, "人工客服", conversation);
        Assert.Equal(ticketNo, again.GetProperty("ticketNo").GetString());
        Assert.Equal(1, await _kit.CountAsync("SELECT count(*) FROM tickets WHERE buyer_id = $1", order.Buyer.UserId));
        Assert.Equal(1, await _kit.CountAsync(
            "SELECT count(*) FROM ticket_messages m JOIN tickets t ON t.id = m.ticket_id WHERE t.no = $1 AND m.body LIKE '%人工客服%'", ticketNo));
        Assert.Equal(1, await _kit.CountAsync("SELECT count(*) FROM assistant_conversations WHERE id = $1 AND asked_for_human AND ticket_id IS NOT NULL", conversation));
    }

    [Fact]
    public async Task Another_buyers_conversation_is_not_found_and_an_empty_message_is_a_400()
    {
        var a = await _kit.BuyerWithOrderAsync(quantity: 1);
        var b = await _kit.BuyerWithOrderAsync(quantity: 1);
        var conversation = (await AskAsync(a.Buyer, "你好")).GetProperty("conversationId").GetGuid();

        var api = shop.Factory.ApiClient(b.Buyer.Account.ApiKey);
        var stolen = await api.PostAsJsonAsync("/api/v1/assistant/messages", new { text = "我的卡密在哪", conversationId = conversation });
        Assert.Equal(HttpStatusCode.NotFound, stolen.StatusCode);
        var empty = await api.PostAsJsonAsync("/api/v1/assistant/messages", new { text = "  " });
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
        Assert.Equal("validation_failed", (await empty.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task More_than_twenty_messages_a_minute_are_refused_with_429()
    {
        var buyer = await _kit.BuyerAsync(0m);
        var api = shop.Factory.ApiClient(buyer.Account.ApiKey);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 22; i++)
            statuses.Add((await api.PostAsJsonAsync("/api/v1/assistant/messages", new { text = "你好" })).StatusCode);
        Assert.Equal(20, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
    }

    private async Task<JsonElement> AskAsync(Actor buyer, string text, Guid? conversationId = null)
    {
        var response = await shop.Factory.ApiClient(buyer.Account.ApiKey).PostAsJsonAsync("/api/v1/assistant/messages", new { text, conversationId });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task AnswerAsync(string code, string answer)
    {
        var op = await _kit.Shop.OperatorAsync();
        var response = await shop.Factory.ApiClient(op.ApiKey).PutAsJsonAsync("/api/v1/admin/sandbox-supplier/keys", new { code, answer });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
