using CardMall.Domain.Tickets;
using CardMall.TestSupport;
using CardMall.Web.Tickets;

namespace CardMall.IntegrationTests.Tickets;

/// <summary>The shop with the SLA watcher on its own timer, ticking every 200 ms of real time.</summary>
public sealed class WatchedTicketShop : TicketShop
{
    protected override void AddSettings(IDictionary<string, string?> settings)
    {
        settings[SlaWatcher.EnabledSetting] = "true";
        settings["CardMall:AfterSales:WatchInterval"] = "00:00:00.200";
    }
}

/// <summary>
/// Nobody runs the watcher by hand here: an overdue ticket is escalated by the shop on its own, once, however
/// many passes run after it — what a supervisor relies on at 3 a.m. (<see cref="SlaTests"/> runs single passes
/// by hand for everything else, so nothing changes between a test's steps.)
/// </summary>
public sealed class SlaWatcherTimerTests(WatchedTicketShop shop) : IClassFixture<WatchedTicketShop>
{
    private readonly TicketTestKit _kit = new(shop);

    [Fact]
    public async Task An_overdue_ticket_is_escalated_by_the_running_shop_once_without_anybody_running_a_pass()
    {
        var filed = await _kit.OrderWithTicketAsync();
        Assert.False((await _kit.TicketAsync(filed.TicketNo)).IsBreached);

        shop.Clock.Advance(TimeSpan.FromHours(4) + TimeSpan.FromMinutes(1));

        var ticket = await Eventually.ThatAsync(() => _kit.TicketAsync(filed.TicketNo), t => t.IsBreached, TimeSpan.FromSeconds(60));
        Assert.Equal(TicketPriority.High, ticket.Priority);
        // Several more ticks later, still one escalation.
        var eventsBefore = await _kit.CountAsync("SELECT count(*) FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id WHERE t.no = $1", filed.TicketNo);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await _kit.CountAsync(
            "SELECT count(*) FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id WHERE t.no = $1 AND e.kind = $2", filed.TicketNo, TicketEventKinds.SlaBreached));
        Assert.Equal(eventsBefore, await _kit.CountAsync("SELECT count(*) FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id WHERE t.no = $1", filed.TicketNo));
    }
}
