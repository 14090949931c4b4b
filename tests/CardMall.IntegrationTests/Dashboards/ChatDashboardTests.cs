using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CardMall.Application.Features.Chats;
using CardMall.Application.Features.Dashboards;
using CardMall.Domain.Accounts;
using CardMall.Domain.Chats;
using CardMall.IntegrationTests.Support;
using CardMall.IntegrationTests.Tickets;
using MediatR;
using Microsoft.Extensions.DependencyInjection;

namespace CardMall.IntegrationTests.Dashboards;

/// <summary>
/// The dashboard's live chat figures, from chats made on the fake clock: time to a person (median, p90, share within
/// the 30 s target), abandoned chats, chats per agent, chat satisfaction and chats that ended without a ticket — and
/// the page shows them in both languages.
/// </summary>
public sealed class ChatDashboardTests(TicketShop shop) : IClassFixture<TicketShop>
{
    private readonly TicketTestKit _kit = new(shop);

    [Fact]
    public async Task The_dashboard_counts_time_to_a_person_abandoned_chats_per_agent_satisfaction_and_chats_without_a_ticket()
    {
        var agent = await _kit.StaffAsync(ShopRoles.Agent);
        await _kit.SendAsync(agent, new SetAvailability(AgentAvailability.Online));
        // Taken after 10 s and rated 5; taken after 50 s and rated 2; abandoned while waiting; left as a message.
        await AnsweredAsync(agent, TimeSpan.FromSeconds(10), 5);
        await AnsweredAsync(agent, TimeSpan.FromSeconds(50), 2);
        var (leaver, left) = await StartAsync();
        await _kit.SendAsync(leaver, new EndChat(left));
        var (writer, written) = await StartAsync();
        await _kit.SendAsync(writer, new LeaveChatAsTicket(written));

        var operatorUser = await _kit.StaffAsync(ShopRoles.Operator);
        var today = DashboardPeriod.Today(_kit.Clock.GetUtcNow());
        var d = await _kit.SendAsync(operatorUser, new GetDashboard(today.AddDays(-1), today));
        var chat = d.Current.Chat!;
        Assert.Equal(4, chat.Chats);
        Assert.Equal(2, chat.Reached);
        Assert.Equal(30, chat.ToPersonMedian);
        Assert.Equal(46, chat.ToPersonP90!.Value, 3);
        Assert.Equal(0.5, chat.WithinTargetShare);
        Assert.Equal(30, chat.TargetSeconds);
        Assert.Equal(0.25, chat.AbandonedShare);
        Assert.Equal(2.0, chat.ChatsPerAgent);
        Assert.Equal(3.5, chat.AverageRating);
        Assert.Equal(0.5, chat.SatisfiedShare);
        Assert.Equal(0.75, chat.WithoutTicketShare);
        Assert.Equal(0, d.Previous.Chat!.Chats);

        foreach (var (language, section) in new[] { ("zh-CN", "在线客服"), ("en-US", "Live chat") })
        {
            using var web = await _kit.SignInAsync(operatorUser, language);
            var page = await web.GetAsync($"/Admin/Dashboard?from={today.AddDays(-1):yyyy-MM-dd}&to={today:yyyy-MM-dd}");
            Assert.Equal(HttpStatusCode.OK, page.Status);
            Assert.Contains(page.Document.QuerySelectorAll("h2"), h => h.TextContent.Trim() == section);
            Assert.Equal("25.0%", page.Document.QuerySelector("[data-testid=kpi-chat-abandoned] [data-testid=value]")!.TextContent.Trim());
            Assert.Equal("75.0%", page.Document.QuerySelector("[data-testid=kpi-chat-without-ticket] [data-testid=value]")!.TextContent.Trim());
            Assert.Equal("2.0", page.Document.QuerySelector("[data-testid=kpi-chats-per-agent] [data-testid=value]")!.TextContent.Trim());
            Assert.Contains("30", page.Document.QuerySelector("[data-testid=kpi-chat-to-person-median] [data-testid=value]")!.TextContent);
        }
    }

    private async Task AnsweredAsync(Actor agent, TimeSpan wait, int rating)
    {
        var (buyer, chatId) = await StartAsync();
        _kit.Clock.Advance(wait);
        using (var scope = shop.Factory.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new DispatchChats());
        await _kit.SendAsync(agent, new AcceptChat(chatId));
        await _kit.SendAsync(agent, new EndChat(chatId, ByStaff: true));
        await _kit.SendAsync(buyer, new RateChat(chatId, rating, null));
    }

    private async Task<(Actor Buyer, Guid ChatId)> StartAsync()
    {
        var buyer = await _kit.BuyerAsync(0m);
        var response = await _kit.App.ApiClient(buyer.Account.ApiKey).PostAsJsonAsync("/api/v1/chats", new { text = "在吗" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (buyer, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("chatId").GetGuid());
    }
}
