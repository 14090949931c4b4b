using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CardMall.Application.Features.Chats;
using CardMall.Application.Features.Tickets;
using CardMall.Domain.Accounts;
using CardMall.Domain.Chats;
using CardMall.IntegrationTests.Support;
using CardMall.IntegrationTests.Tickets;
using MediatR;
using Microsoft.Extensions.DependencyInjection;

namespace CardMall.IntegrationTests.Chats;

/// <summary>
/// What supervisors hear about live chat, on the fake clock: the queue's longest wait passing the 30 s target (once per
/// episode, in-app and on the live line), and a chat rated 1–2 (a follow-up on the 回访 list, as for a ticket).
/// </summary>
public sealed class ChatSupervisionTests(TicketShop shop) : IClassFixture<TicketShop>
{
    private readonly TicketTestKit _kit = new(shop);

    [Fact]
    public async Task Supervisors_are_alerted_once_when_the_longest_wait_passes_the_target_and_again_only_after_the_queue_recovered()
    {
        await QuietDeskAsync();
        var supervisor = await _kit.StaffAsync(ShopRoles.Supervisor);
        await using var watching = await HubClient.ConnectAsync(shop.Factory, supervisor.Account.Email, supervisor.Account.Password);
        // One agent with one seat, taken: everybody after the first buyer waits.
        var agent = await _kit.StaffAsync(ShopRoles.Agent);
        await _kit.SendAsync(supervisor, new SetAvailability(AgentAvailability.Online, agent.UserId, ChatLimit: 1));
        var (_, first) = await StartAsync();
        await DispatchAsync();
        await _kit.SendAsync(agent, new AcceptChat(first));

        var (second, secondChat) = await StartAsync();
        _kit.Clock.Advance(TimeSpan.FromSeconds(30));
        await DispatchAsync();
        Assert.Equal(0L, await AlertsAsync(supervisor));

        _kit.Clock.Advance(TimeSpan.FromSeconds(1));
        await DispatchAsync();
        Assert.Equal(1L, await AlertsAsync(supervisor));
        var alert = await watching.NextAsync("alert");
        Assert.Equal(31, alert.GetProperty("longestWaitSeconds").GetInt32());
        Assert.Equal(30, alert.GetProperty("targetSeconds").GetInt32());

        // Still over target, and a third buyer passes it too: the same episode, no second notice.
        var (third, thirdChat) = await StartAsync();
        _kit.Clock.Advance(TimeSpan.FromSeconds(40));
        await DispatchAsync();
        await DispatchAsync();
        Assert.Equal(1L, await AlertsAsync(supervisor));

        // Both leave: the queue recovered. The next buyer who waits too long starts a new episode.
        await _kit.SendAsync(second, new EndChat(secondChat));
        await _kit.SendAsync(third, new EndChat(thirdChat));
        await StartAsync();
        _kit.Clock.Advance(TimeSpan.FromSeconds(31));
        await DispatchAsync();
        Assert.Equal(2L, await AlertsAsync(supervisor));
    }

    [Fact]
    public async Task A_chat_rated_1_or_2_gets_the_low_rating_follow_up_and_a_good_rating_does_not()
    {
        await QuietDeskAsync();
        var supervisor = await _kit.StaffAsync(ShopRoles.Supervisor);
        var agent = await _kit.StaffAsync(ShopRoles.Agent);
        await _kit.SendAsync(agent, new SetAvailability(AgentAvailability.Online));

        var (unhappy, low) = await AnsweredChatAsync(agent);
        await _kit.SendAsync(unhappy, new RateChat(low, 2, "等了很久也没解决"));
        var (happy, high) = await AnsweredChatAsync(agent);
        await _kit.SendAsync(happy, new RateChat(high, 5, null));

        Assert.Equal(1L, await _kit.CountAsync("SELECT count(*) FROM follow_up_tasks WHERE chat_id = $1 AND ticket_id IS NULL", low));
        Assert.Equal(0L, await _kit.CountAsync("SELECT count(*) FROM follow_up_tasks WHERE chat_id = $1", high));
        Assert.Equal(1L, await _kit.CountAsync("SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = 'ChatLowRating'", supervisor.UserId));

        var open = await _kit.SendAsync(supervisor, new ListFollowUpTasks());
        var task = Assert.Single(open, f => f.ChatId == low);
        Assert.Equal(2, task.Rating);
        Assert.Equal("等了很久也没解决", task.RatingComment);
        Assert.Null(task.TicketNo);

        // The supervisor sees it on the 回访 list as a live chat, and completes it there.
        using var web = await _kit.SignInAsync(supervisor, "zh-CN");
        var page = await web.GetAsync("/Admin/FollowUps");
        var card = page.Document.QuerySelector($"[data-testid=follow-up][data-chat='{low}']");
        Assert.NotNull(card);
        Assert.Contains("在线会话", card!.QuerySelector("[data-testid=follow-up-chat]")!.TextContent);
        var done = await _kit.SendAsync(supervisor, new CompleteFollowUpTask(task.TaskId, "已致电买家，重新发送了卡密"));
        Assert.Equal(low, done.ChatId);
        Assert.DoesNotContain(await _kit.SendAsync(supervisor, new ListFollowUpTasks()), f => f.ChatId == low);
    }

    private async Task QuietDeskAsync()
    {
        await _kit.ExecuteAsync("UPDATE agent_profiles SET on_duty = false, availability = 'Offline' WHERE availability <> 'Offline' OR on_duty");
        await _kit.ExecuteAsync("UPDATE chats SET status = 'Ended', ended_at = now() WHERE status IN ('Queued', 'Offered', 'Active')");
    }

    private Task<long> AlertsAsync(Actor supervisor) =>
        _kit.CountAsync("SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = 'ChatWaitOverTarget'", supervisor.UserId);

    private async Task<(Actor Buyer, Guid ChatId)> StartAsync()
    {
        var buyer = await _kit.BuyerAsync(0m);
        var response = await _kit.App.ApiClient(buyer.Account.ApiKey).PostAsJsonAsync("/api/v1/chats", new { text = "有人吗？" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (buyer, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("chatId").GetGuid());
    }

    private async Task<(Actor Buyer, Guid ChatId)> AnsweredChatAsync(Actor agent)
    {
        var (buyer, chatId) = await StartAsync();
        await DispatchAsync();
        await _kit.SendAsync(agent, new AcceptChat(chatId));
        await _kit.SendAsync(agent, new AnswerChat(chatId, "您好"));
        await _kit.SendAsync(agent, new EndChat(chatId, ByStaff: true));
        return (buyer, chatId);
    }

    private async Task DispatchAsync()
    {
        using var scope = shop.Factory.Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new DispatchChats());
    }
}
