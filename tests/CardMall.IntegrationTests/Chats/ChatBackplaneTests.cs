using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CardMall.Application.Features.Chats;
using CardMall.Domain.Accounts;
using CardMall.Domain.Chats;
using CardMall.IntegrationTests.Support;
using CardMall.IntegrationTests.Tickets;
using MediatR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace CardMall.IntegrationTests.Chats;

/// <summary>
/// Two web nodes on one database with a real Redis as the SignalR backplane: a buyer connected to node A and an agent
/// connected to node B. The queue and routing run on A; the offer reaches the agent on B, the agent's answer sent on B
/// reaches the buyer on A, and the buyer's message sent on A reaches the agent on B.
/// </summary>
public sealed class ChatBackplaneTests(TwoNodeShop shop) : IClassFixture<TwoNodeShop>
{
    private readonly TicketTestKit _onA = new(shop);
    private readonly TicketTestKit _onB = new(shop) { Node = shop.NodeB };

    [Fact]
    public async Task A_buyer_on_one_node_and_an_agent_on_another_are_routed_and_hear_each_other()
    {
        var agent = await _onA.StaffAsync(ShopRoles.Agent);
        await _onB.SendAsync(agent, new SetAvailability(AgentAvailability.Online));
        await using var agentHub = await HubClient.ConnectAsync(shop.NodeB, agent.Account.Email, agent.Account.Password);

        var buyer = await _onA.BuyerAsync(0m);
        var started = await _onA.App.ApiClient(buyer.Account.ApiKey).PostAsJsonAsync("/api/v1/chats", new { text = "我的卡密无法兑换" });
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var chatId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("chatId").GetGuid();
        await using var buyerHub = await HubClient.ConnectAsync(shop.Factory, buyer.Account.Email, buyer.Account.Password);
        var joined = await buyerHub.JoinAsync(chatId, 0);
        Assert.Equal("queued", joined.GetProperty("state").GetProperty("status").GetString());

        // Routing runs on node A; the offer is sent to the agent's user, whose connection is on node B.
        var pass = await DispatchOnAAsync();
        Assert.Equal(1, pass.Offered);
        var offer = await agentHub.NextAsync("offer", e => e.GetProperty("chatId").GetGuid() == chatId);
        Assert.Equal("queued", offer.GetProperty("status").GetString());

        // The agent accepts on node B: the buyer on node A hears that a person is there.
        await _onB.SendAsync(agent, new AcceptChat(chatId));
        await buyerHub.NextAsync("chat", e => e.GetProperty("status").GetString() == "active");
        await agentHub.JoinAsync(chatId, 0, asStaff: true);

        await agentHub.Connection.InvokeAsync<JsonElement>("Answer", chatId, "您好，我来帮您看看", false);
        var answer = await buyerHub.NextAsync("message", e => e.GetProperty("author").GetString() == "agent");
        Assert.Equal("您好，我来帮您看看", answer.GetProperty("body").GetString());

        await buyerHub.Connection.InvokeAsync<JsonElement>("Send", chatId, "谢谢，订单号在上面");
        var fromBuyer = await agentHub.NextAsync("message", e => e.GetProperty("author").GetString() == "buyer"
                                                                  && e.GetProperty("body").GetString() == "谢谢，订单号在上面");
        Assert.True(fromBuyer.GetProperty("seq").GetInt32() > answer.GetProperty("seq").GetInt32());
    }

    private async Task<ChatDispatchPass> DispatchOnAAsync()
    {
        using var scope = shop.Factory.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new DispatchChats());
    }
}
