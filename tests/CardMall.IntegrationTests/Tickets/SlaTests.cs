using System.Net;
using CardMall.Application.Features.Tickets;
using CardMall.Domain.Accounts;
using CardMall.Domain.Common;
using CardMall.Domain.Tickets;
using CardMall.Infrastructure.Persistence;
using CardMall.IntegrationTests.Support;
using CardMall.TestSupport;
using CardMall.Web.Tickets;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CardMall.IntegrationTests.Tickets;

/// <summary>
/// SLA promises and the watcher against PostgreSQL: due times from the policies, a supervisor's change,
/// the 80 % warning, escalation exactly once with two watchers at the same moment, the paused clock,
/// auto-close and the check-in.
/// </summary>
public sealed class SlaTests(TicketShop shop) : IClassFixture<TicketShop>
{
    private readonly TicketTestKit _kit = new(shop);
    private TestClock Clock => shop.Clock;

    private SlaWatcher Watcher => shop.Factory.Services.GetServices<IHostedService>().OfType<SlaWatcher>().Single();

    [Fact]
    public void The_background_watcher_is_off_in_these_tests()
    {
        // It is registered (its passes are run by hand below) but its timer loop is switched off.
        Assert.NotNull(Watcher);
        Assert.Equal("false", shop.Factory.Settings[SlaWatcher.EnabledSetting]);
    }

    [Fact]
    public async Task Due_times_follow_the_priority_s_policy_normal_for_buyers_high_for_resellers()
    {
        var (sku, _) = await _kit.Shop.ProductWithKeysAsync(2, price: 10.00m);
        var buyer = await _kit.BuyerAsync(10.00m);
        var reseller = await _kit.PersonAsync(ShopRoles.Reseller, 10.00m);

        var filedAt = Clock.GetUtcNow();
        var normal = await FileAsync(buyer, sku);
        var high = await FileAsync(reseller, sku);

        Assert.Equal(TicketPriority.Normal, normal.Priority);
        Assert.Equal(filedAt.AddHours(4), normal.FirstResponseDueAt);
        Assert.Equal(filedAt.AddHours(48), normal.ResolutionDueAt);
        Assert.Equal(TicketPriority.High, high.Priority);
        Assert.Equal(filedAt.AddHours(1), high.FirstResponseDueAt);
        Assert.Equal(filedAt.AddHours(24), high.ResolutionDueAt);
        // What the buyer was promised is what is stored.
        var stored = await _kit.TicketAsync(normal.TicketNo);
        Assert.Equal(normal.FirstResponseDueAt, stored.FirstResponseDueAt);
        Assert.Equal(normal.ResolutionDueAt, stored.ResolutionDueAt);
    }

    [Fact]
    public async Task A_supervisor_s_policy_change_applies_to_tickets_filed_afterwards_only()
    {
        var supervisor = await _kit.StaffAsync(ShopRoles.Supervisor);
        var agent = await _kit.StaffAsync(ShopRoles.Agent);
        var (sku, _) = await _kit.Shop.ProductWithKeysAsync(2, price: 10.00m);
        var before = await FileAsync(await _kit.BuyerAsync(10.00m), sku);
        try
        {
            var changed = await _kit.SendAsync(supervisor, new ChangeSlaPolicy(TicketPriority.Normal, 120, 1440));
            Assert.Equal(120, changed.FirstResponseMinutes);

            var filedAt = Clock.GetUtcNow();
            var after = await FileAsync(await _kit.BuyerAsync(10.00m), sku);

            Assert.Equal(filedAt.AddHours(2), after.FirstResponseDueAt);
            Assert.Equal(filedAt.AddHours(24), after.ResolutionDueAt);
            var untouched = await _kit.TicketAsync(before.TicketNo);
            Assert.Equal(before.FirstResponseDueAt, untouched.FirstResponseDueAt);
            Assert.Equal(before.ResolutionDueAt, untouched.ResolutionDueAt);
            Assert.Equal(240, untouched.FirstResponseTargetMinutes);

            // Agents cannot change the promises; nonsense is refused with a reason, and nothing changes.
            var refused = await _kit.RefusalAsync(agent, new ChangeSlaPolicy(TicketPriority.Normal, 1, 1));
            Assert.Equal(ErrorCodes.Forbidden, Assert.IsType<DomainRuleException>(refused).Code);
            var invalid = Assert.IsType<ValidationException>(await _kit.RefusalAsync(supervisor, new ChangeSlaPolicy(TicketPriority.Normal, 600, 300)));
            Assert.Contains(invalid.Errors, e => e.PropertyName == nameof(ChangeSlaPolicy.ResolutionMinutes));
            Assert.IsType<ValidationException>(await _kit.RefusalAsync(supervisor, new ChangeSlaPolicy(TicketPriority.Normal, 0, 300)));
            Assert.IsType<ValidationException>(await _kit.RefusalAsync(supervisor, new ChangeSlaPolicy(TicketPriority.Normal, 60, 60 * 24 * 365)));
            var policies = await _kit.SendAsync(supervisor, new ListSlaPolicies());
            Assert.Equal([TicketPriority.Urgent, TicketPriority.High, TicketPriority.Normal, TicketPriority.Low], policies.Select(p => p.Priority));
            Assert.Equal((120, 1440), policies.Where(p => p.Priority == TicketPriority.Normal).Select(p => (p.FirstResponseMinutes, p.ResolutionMinutes)).Single());
        }
        finally
        {
            await _kit.SendAsync(supervisor, new ChangeSlaPolicy(TicketPriority.Normal, 240, 2880));
        }
    }

    [Fact]
    public async Task The_SLA_page_shows_the_targets_says_changes_are_for_new_tickets_and_explains_a_refusal()
    {
        var supervisor = await _kit.StaffAsync(ShopRoles.Supervisor);
        using var web = await _kit.SignInAsync(supervisor, "en-US");

        var page = await web.GetAsync("/Admin/Sla");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("new tickets only", page.Document.QuerySelector("[data-testid=sla-new-tickets-only]")!.TextContent, StringComparison.Ordinal);
        var normal = page.Document.QuerySelector("tr[data-priority=Normal]")!;
        Assert.Equal("4 h", normal.QuerySelector("[data-testid=sla-first-response]")!.TextContent.Trim());
        Assert.Equal("2 d", normal.QuerySelector("[data-testid=sla-resolution]")!.TextContent.Trim());

        var refused = await web.SubmitAsync("/Admin/Sla", "tr[data-priority=Low] form",
            new Dictionary<string, string> { ["Input.FirstResponseMinutes"] = "600", ["Input.ResolutionMinutes"] = "60" });
        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Contains("cannot be shorter", string.Join(" ", refused.FieldErrors("Input.ResolutionMinutes")), StringComparison.Ordinal);
        Assert.Equal(1440, (await PolicyAsync(TicketPriority.Low)).FirstResponseMinutes);

        var saved = await web.SubmitAsync("/Admin/Sla", "tr[data-priority=Low] form",
            new Dictionary<string, string> { ["Input.FirstResponseMinutes"] = "1440", ["Input.ResolutionMinutes"] = "5760" });
        var after = await web.FollowAsync(saved);
        Assert.NotNull(after.Document.QuerySelector("[data-testid=sla-saved]"));
        Assert.Equal("4 d", after.Document.QuerySelector("tr[data-priority=Low] [data-testid=sla-resolution]")!.TextContent.Trim());
        await _kit.SendAsync(supervisor, new ChangeSlaPolicy(TicketPriority.Low, 1440, 4320));

        // An agent is not let in.
        var agent = await _kit.StaffAsync(ShopRoles.Agent);
        using var agentWeb = await _kit.SignInAsync(agent, "en-US");
        var forbidden = await agentWeb.GetAsync("/Admin/Sla");
        Assert.Equal(HttpStatusCode.Redirect, forbidden.Status);
        Assert.Contains("/Account/AccessDenied", forbidden.Location, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_watcher_warns_the_assignee_once_at_80_percent_of_the_first_response_target()
    {
        var (agent, ticketNo) = await AssignedTicketAsync();

        Clock.Advance(TimeSpan.FromMinutes(191));
        await RunWatcherAsync();
        Assert.Equal(0, await EventsAsync(ticketNo, TicketEventKinds.SlaWarning));

        Clock.Advance(TimeSpan.FromMinutes(2));
        await RunWatcherAsync();
        await RunWatcherAsync();

        Assert.Equal(1, await EventsAsync(ticketNo, TicketEventKinds.SlaWarning));
        Assert.Equal(1, await NotificationsAsync(agent.UserId, "SlaWarning", ticketNo));
        var ticket = await _kit.TicketAsync(ticketNo);
        Assert.NotNull(ticket.FirstResponseWarnedAt);
        Assert.False(ticket.IsBreached);
        Assert.Equal(TicketPriority.Normal, ticket.Priority);
        // Staff warnings stay off the buyer's timeline.
        Assert.Equal(0, await _kit.CountAsync("SELECT count(*) FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id WHERE t.no = $1 AND e.kind = 'sla_warning' AND e.is_public", ticketNo));
    }

    [Fact]
    public async Task A_breach_escalates_exactly_once_when_two_watchers_run_at_the_same_moment()
    {
        var supervisor = await _kit.StaffAsync(ShopRoles.Supervisor);
        var (agent, ticketNo) = await AssignedTicketAsync();

        Clock.Advance(TimeSpan.FromHours(4) + TimeSpan.FromMinutes(1));
        var passes = await Task.WhenAll(Task.Run(() => Watcher.RunOnceAsync(CancellationToken.None)), Task.Run(() => Watcher.RunOnceAsync(CancellationToken.None)));
        Assert.All(passes, p => Assert.NotNull(p));
        await RunWatcherAsync();

        var ticket = await _kit.TicketAsync(ticketNo);
        Assert.True(ticket.IsBreached);
        Assert.NotNull(ticket.FirstResponseBreachedAt);
        Assert.Equal(TicketPriority.High, ticket.Priority);
        Assert.Equal(1, await EventsAsync(ticketNo, TicketEventKinds.SlaBreached));
        Assert.Equal(1, await EventsAsync(ticketNo, TicketEventKinds.PriorityChanged));
        Assert.Equal(1, await NotificationsAsync(supervisor.UserId, "SlaBreached", ticketNo));
        Assert.Equal(1, await NotificationsAsync(agent.UserId, "SlaBreached", ticketNo));
        // Supervisors also get it by e-mail.
        Assert.Equal(1, await _kit.CountAsync("""
            SELECT count(*) FROM outgoing_emails o JOIN notifications n ON n.id = o.notification_id
            WHERE o.user_id = $1 AND n.kind = 'SlaBreached' AND n.link = $2
            """, supervisor.UserId, "/Admin/Tickets/" + ticketNo));
        // The buyer's promise is not rewritten by the escalation.
        Assert.Equal(ticket.CreatedAt.AddHours(48), ticket.ResolutionDueAt);
    }

    [Fact]
    public async Task A_ticket_waiting_on_the_buyer_does_not_breach_and_its_due_times_move_out_by_the_wait()
    {
        var (_, ticketNo) = await AssignedTicketAsync();
        var created = await _kit.TicketAsync(ticketNo);

        Clock.Advance(TimeSpan.FromMinutes(30));
        await _kit.MoveAsync(ticketNo, TicketStatus.WaitingOnBuyer);
        Clock.Advance(TimeSpan.FromHours(10));
        await RunWatcherAsync();

        var waiting = await _kit.TicketAsync(ticketNo);
        Assert.False(waiting.IsBreached);
        Assert.Null(waiting.FirstResponseWarnedAt);
        Assert.Equal(0, await EventsAsync(ticketNo, TicketEventKinds.SlaBreached));

        // The buyer answers: the clock runs again with everything pushed out by the ten hours.
        await _kit.MoveAsync(ticketNo, TicketStatus.Open);
        var resumed = await _kit.TicketAsync(ticketNo);
        Assert.Equal(created.FirstResponseDueAt.AddHours(10), resumed.FirstResponseDueAt);
        Assert.Equal(created.ResolutionDueAt.AddHours(10), resumed.ResolutionDueAt);
        Assert.Equal(10 * 3600, resumed.PausedSeconds);

        Clock.Advance(TimeSpan.FromHours(3) + TimeSpan.FromMinutes(29));
        await RunWatcherAsync();
        Assert.False((await _kit.TicketAsync(ticketNo)).IsBreached);

        Clock.Advance(TimeSpan.FromMinutes(2));
        await RunWatcherAsync();
        Assert.True((await _kit.TicketAsync(ticketNo)).IsBreached);
    }

    [Fact]
    public async Task A_resolved_ticket_closes_itself_after_three_days_and_the_buyer_is_told()
    {
        var (_, ticketNo) = await AssignedTicketAsync();
        var buyerId = (await _kit.TicketAsync(ticketNo)).BuyerId;
        await _kit.MoveAsync(ticketNo, TicketStatus.Resolved);

        Clock.Advance(TimeSpan.FromDays(3) - TimeSpan.FromMinutes(1));
        await RunWatcherAsync();
        Assert.Equal(TicketStatus.Resolved, (await _kit.TicketAsync(ticketNo)).Status);

        Clock.Advance(TimeSpan.FromMinutes(2));
        await RunWatcherAsync();
        await RunWatcherAsync();

        var closed = await _kit.TicketAsync(ticketNo);
        Assert.Equal(TicketStatus.Closed, closed.Status);
        Assert.NotNull(closed.ClosedAt);
        Assert.Equal(1, await NotificationsAsync(buyerId, "TicketStatusClosed", ticketNo, buyer: true));
        Assert.Equal(1, await _kit.CountAsync("""
            SELECT count(*) FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id
            WHERE t.no = $1 AND e.kind = 'status_changed' AND e.detail = 'Closed' AND e.is_public AND e.actor_id IS NULL
            """, ticketNo));
    }

    [Fact]
    public async Task The_check_in_goes_once_24_hours_after_resolution_unless_the_buyer_wrote_since()
    {
        var (_, quiet) = await AssignedTicketAsync();
        var (_, answered) = await AssignedTicketAsync();
        await _kit.MoveAsync(quiet, TicketStatus.Resolved);
        await _kit.MoveAsync(answered, TicketStatus.Resolved);
        Clock.Advance(TimeSpan.FromHours(1));
        await BuyerWritesAsync(answered, "Thanks, it works now!");

        Clock.Advance(TimeSpan.FromHours(22) + TimeSpan.FromMinutes(59));
        await RunWatcherAsync();
        Assert.Equal(0, await EventsAsync(quiet, TicketEventKinds.CheckInSent));

        Clock.Advance(TimeSpan.FromMinutes(2));
        await RunWatcherAsync();
        await RunWatcherAsync();

        var ticket = await _kit.TicketAsync(quiet);
        Assert.NotNull(ticket.CheckInSentAt);
        Assert.Equal(1, await NotificationsAsync(ticket.BuyerId, "TicketCheckIn", quiet, buyer: true));
        Assert.Equal(1, await _kit.CountAsync(
            "SELECT count(*) FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id WHERE t.no = $1 AND e.kind = 'check_in_sent' AND e.is_public", quiet));
        Assert.Equal(0, await EventsAsync(answered, TicketEventKinds.CheckInSent));
        Assert.Null((await _kit.TicketAsync(answered)).CheckInSentAt);
    }

    [Fact]
    public async Task Supervisors_see_low_ratings_to_follow_up_and_complete_them_with_a_note()
    {
        var supervisor = await _kit.StaffAsync(ShopRoles.Supervisor);
        var (_, ticketNo) = await AssignedTicketAsync();
        await _kit.MoveAsync(ticketNo, TicketStatus.Resolved);
        var taskId = await LowRatingAsync(ticketNo, 1, "Took three days and the key still fails.");

        var open = await _kit.SendAsync(supervisor, new ListFollowUpTasks());
        var task = Assert.Single(open, t => t.TicketNo == ticketNo);
        Assert.Equal(1, task.Rating);

        using var web = await _kit.SignInAsync(supervisor, "en-US");
        var page = await web.GetAsync("/Admin/FollowUps");
        var card = page.Document.QuerySelector($"[data-testid=follow-up][data-ticket='{ticketNo}']")!;
        Assert.Equal("/Admin/Tickets/" + ticketNo, card.QuerySelector("[data-testid=follow-up-ticket]")!.GetAttribute("href"));
        Assert.Contains("key still fails", card.QuerySelector("[data-testid=follow-up-comment]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("1 out of 5", card.QuerySelector("[data-testid=follow-up-rating]")!.TextContent, StringComparison.Ordinal);

        var selector = $"[data-ticket='{ticketNo}'] form[data-testid=follow-up-form]";
        var empty = await web.SubmitAsync("/Admin/FollowUps", selector, new Dictionary<string, string> { ["Input.Note"] = "  " });
        Assert.Equal(HttpStatusCode.OK, empty.Status);
        Assert.NotEmpty(empty.FieldErrors("Input.Note"));

        var done = await web.FollowAsync(await web.SubmitAsync("/Admin/FollowUps", selector,
            new Dictionary<string, string> { ["Input.Note"] = "Called the buyer, sent a new key, apologised." }));
        Assert.NotNull(done.Document.QuerySelector("[data-testid=follow-up-completed]"));
        Assert.Null(done.Document.QuerySelector($"[data-testid=follow-up][data-ticket='{ticketNo}']"));
        var completed = await web.GetAsync("/Admin/FollowUps?done=true");
        Assert.Contains("sent a new key", completed.Document.QuerySelector($"[data-ticket='{ticketNo}'] [data-testid=follow-up-note]")!.TextContent, StringComparison.Ordinal);

        // Twice is refused with a reason; agents cannot complete follow-ups.
        var again = await _kit.RefusalAsync(supervisor, new CompleteFollowUpTask(taskId, "again"));
        Assert.Equal(ErrorCodes.InvalidState, Assert.IsType<DomainRuleException>(again).Code);
        var agent = await _kit.StaffAsync(ShopRoles.Agent);
        Assert.Equal(ErrorCodes.Forbidden, Assert.IsType<DomainRuleException>(await _kit.RefusalAsync(agent, new ListFollowUpTasks())).Code);
    }

    // ---- helpers ----

    private async Task<TicketCreated> FileAsync(Actor buyer, string sku)
    {
        var (orderNo, items) = await _kit.BuyAsync(buyer, sku, 1);
        return await _kit.SendAsync(buyer, new CreateTicket(orderNo, items, TicketCategory.KeyInvalid, "The key does not work.", null, []));
    }

    /// <summary>A Normal ticket assigned to a fresh agent who is the only one on duty.</summary>
    private async Task<(Actor Agent, string TicketNo)> AssignedTicketAsync()
    {
        var supervisor = await _kit.StaffAsync(ShopRoles.Supervisor);
        var agent = await _kit.StaffAsync(ShopRoles.Agent);
        await _kit.ExecuteAsync("UPDATE agent_profiles SET on_duty = false WHERE on_duty");
        await _kit.SendAsync(supervisor, new SetAgentSkills(agent.UserId, [TicketCategory.KeyInvalid]));
        await _kit.SendAsync(agent, new SetOnDuty(true));
        var (sku, _) = await _kit.Shop.ProductWithKeysAsync(1, price: 10.00m);
        var created = await FileAsync(await _kit.BuyerAsync(10.00m), sku);
        Assert.Equal(agent.UserId, (await _kit.TicketAsync(created.TicketNo)).AssigneeId);
        return (agent, created.TicketNo);
    }

    private Task<SlaWatchPass?> RunWatcherAsync() => Watcher.RunOnceAsync(CancellationToken.None);

    private async Task BuyerWritesAsync(string ticketNo, string text)
    {
        using var scope = shop.Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CardMallDbContext>();
        var ticket = await db.Tickets.SingleAsync(t => t.No == ticketNo);
        db.TicketMessages.Add(new TicketMessage(ticket.Id, MessageAuthor.Buyer, ticket.BuyerId, text, isInternal: false, Clock.GetUtcNow()));
        await db.SaveChangesAsync();
    }

    /// <summary>The buyer's low rating and the follow-up it creates (as rating a ticket does).</summary>
    private async Task<Guid> LowRatingAsync(string ticketNo, int score, string comment)
    {
        using var scope = shop.Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CardMallDbContext>();
        var ticket = await db.Tickets.SingleAsync(t => t.No == ticketNo);
        ticket.Rate(score, comment, Clock.GetUtcNow());
        var task = new FollowUpTask(ticket.Id, "low_rating", Clock.GetUtcNow());
        db.FollowUpTasks.Add(task);
        await db.SaveChangesAsync();
        return task.Id;
    }

    private async Task<SlaPolicy> PolicyAsync(TicketPriority priority)
    {
        using var scope = shop.Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CardMallDbContext>();
        return await db.SlaPolicies.AsNoTracking().SingleAsync(p => p.Priority == priority);
    }

    private async Task<int> EventsAsync(string ticketNo, string kind) =>
        (int)await _kit.CountAsync("SELECT count(*) FROM ticket_events e JOIN tickets t ON t.id = e.ticket_id WHERE t.no = $1 AND e.kind = $2", ticketNo, kind);

    private async Task<int> NotificationsAsync(Guid userId, string kind, string ticketNo, bool buyer = false) =>
        (int)await _kit.CountAsync("SELECT count(*) FROM notifications WHERE user_id = $1 AND kind = $2 AND link = $3",
            userId, kind, (buyer ? "/Tickets/" : "/Admin/Tickets/") + ticketNo);
}
