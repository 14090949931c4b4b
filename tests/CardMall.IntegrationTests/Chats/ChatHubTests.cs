using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CardMall.Application.Features.Chats;
using CardMall.Domain.Accounts;
using CardMall.Domain.Chats;
using CardMall.IntegrationTests.Support;
using CardMall.IntegrationTests.Tickets;
using MediatR;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace CardMall.IntegrationTests.Chats;

/// <summary>
/// The chat hub on one node, over a real WebSocket client: a buyer and an agent talk both ways, and a buyer whose
/// connection dropped joins again with the last number it saw and gets exactly what it missed — nothing lost, nothing
/// twice, never a staff note.
/// </summary>
public sealed class ChatHubTests(TicketShop shop) : IClassFixture<TicketShop>
{
    private readonly TicketTestKit _kit = new(shop);

    [Fact]
    public async Task Messages_go_both_ways_and_a_reconnecting_buyer_gets_exactly_what_it_missed()
    {
        await _kit.ExecuteAsync("UPDATE agent_profiles SET on_duty = false, availability = 'Offline' WHERE availability <> 'Offline' OR on_duty");
        var agent = await _kit.StaffAsync(ShopRoles.Agent);
        await _kit.SendAsync(agent, new SetAvailability(AgentAvailability.Online));
        await using var agentHub = await HubClient.ConnectAsync(shop.Factory, agent.Account.Email, agent.Account.Password);
        var buyer = await _kit.BuyerAsync(0m);
        var started = await _kit.App.ApiClient(buyer.Account.ApiKey).PostAsJsonAsync("/api/v1/chats", new { text = "Is anybody there?" });
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var chatId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("chatId").GetGuid();

        var buyerHub = await HubClient.ConnectAsync(shop.Factory, buyer.Account.Email, buyer.Account.Password);
        await buyerHub.JoinAsync(chatId, 0);
        using (var scope = shop.Factory.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new DispatchChats());
        await agentHub.NextAsync("offer", e => e.GetProperty("chatId").GetGuid() == chatId);
        await _kit.SendAsync(agent, new AcceptChat(chatId));
        await agentHub.JoinAsync(chatId, 0, asStaff: true);

        await agentHub.Connection.InvokeAsync<JsonElement>("Answer", chatId, "Hello, how can I help?", false);
        var hello = await buyerHub.NextAsync("message", e => e.GetProperty("author").GetString() == "agent");
        await buyerHub.Connection.InvokeAsync<JsonElement>("Send", chatId, "My key is invalid");
        await agentHub.NextAsync("message", e => e.GetProperty("body").GetString() == "My key is invalid");
        var seen = Seqs(buyerHub.Drain("message")).Append(hello.GetProperty("seq").GetInt32()).Max();

        // The buyer's connection drops; the agent goes on writing (and leaves a note the buyer must never get).
        await buyerHub.DisposeAsync();
        await agentHub.Connection.InvokeAsync<JsonElement>("Answer", chatId, "Which order is it?", false);
        await agentHub.Connection.InvokeAsync<JsonElement>("Answer", chatId, "buyer sounds upset", true);
        await agentHub.Connection.InvokeAsync<JsonElement>("Answer", chatId, "I can see two orders.", false);

        await using var again = await HubClient.ConnectAsync(shop.Factory, buyer.Account.Email, buyer.Account.Password);
        var caughtUp = (await again.JoinAsync(chatId, seen)).GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(["Which order is it?", "I can see two orders."], caughtUp.Select(m => m.GetProperty("body").GetString()));
        Assert.All(caughtUp, m => Assert.True(m.GetProperty("seq").GetInt32() > seen));

        // Live again: the next answer arrives once, and nothing missed arrives a second time.
        await agentHub.Connection.InvokeAsync<JsonElement>("Answer", chatId, "Replacing the key now.", false);
        var live = await again.NextAsync("message", e => e.GetProperty("author").GetString() == "agent");
        Assert.Equal("Replacing the key now.", live.GetProperty("body").GetString());
        var all = Seqs(caughtUp).Concat([live.GetProperty("seq").GetInt32()]).Concat(Seqs(again.Drain("message"))).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
        var stored = await _kit.CountAsync("SELECT count(*) FROM chat_messages WHERE chat_id = $1 AND seq > $2 AND author <> 'Note'", chatId, seen);
        Assert.Equal(stored, all.Count);
    }

    [Fact]
    public async Task A_refusal_reaches_the_page_in_its_own_words_and_a_flood_of_messages_is_refused()
    {
        await _kit.ExecuteAsync("UPDATE agent_profiles SET on_duty = false, availability = 'Offline' WHERE availability <> 'Offline' OR on_duty");
        var agent = await _kit.StaffAsync(ShopRoles.Agent);
        await _kit.SendAsync(agent, new SetAvailability(AgentAvailability.Online));
        var buyer = await _kit.BuyerAsync(0m);
        var started = await _kit.App.ApiClient(buyer.Account.ApiKey).PostAsJsonAsync("/api/v1/chats", new { text = "hello" });
        var chatId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("chatId").GetGuid();
        await using var hub = await HubClient.ConnectAsync(shop.Factory, buyer.Account.Email, buyer.Account.Password);
        await hub.JoinAsync(chatId, 0);

        // An empty message: the page gets the validation's own words (SignalR prefixes them with its generic line), no stack trace.
        var empty = await Assert.ThrowsAsync<HubException>(() => hub.Connection.InvokeAsync<JsonElement>("Send", chatId, ""));
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(empty.Message, "(请输入消息内容|Write a message)"), empty.Message);
        Assert.DoesNotContain(" at CardMall", empty.Message, StringComparison.Ordinal);

        // A person types far fewer than 30 messages a minute; a script sending more is refused, and nothing past the pace is stored.
        var refused = 0;
        for (var i = 0; i < 35; i++)
        {
            try { await hub.Connection.InvokeAsync<JsonElement>("Send", chatId, $"line {i}"); }
            catch (HubException e) when (e.Message.Contains("rate_limited", StringComparison.Ordinal)) { refused++; }
        }
        Assert.True(refused >= 5, $"refused {refused}");
        Assert.True(await _kit.CountAsync("SELECT count(*) FROM chat_messages WHERE chat_id = $1 AND body LIKE 'line %'", chatId) <= 30);
    }

    private static IEnumerable<int> Seqs(IEnumerable<JsonElement> messages) => messages.Select(m => m.GetProperty("seq").GetInt32());
}
