using System.Net;
using CardMall.Application.Features.Tickets;
using CardMall.Domain.Accounts;
using CardMall.Domain.Common;
using CardMall.Domain.Tickets;
using CardMall.IntegrationTests.Support;
using CardMall.TestSupport;

namespace CardMall.IntegrationTests.Tickets;

/// <summary>
/// Who gets a new ticket: the least-loaded agent on duty with the skill; never someone off duty or
/// without the skill; a new buyer's dedicated agent while on duty; nobody when nobody is on duty. And the
/// duty switch and skills that decide it, from the use cases and the Agents page.
/// </summary>
public sealed class RoutingTests(TicketShop shop) : IClassFixture<TicketShop>
{
    private readonly TicketTestKit _kit = new(shop);

    [Fact]
    public async Task The_least_loaded_agent_on_duty_with_the_skill_gets_the_ticket_never_one_off_duty_or_unskilled()
    {
        await EverybodyOffDutyAsync();
        var supervisor = await _kit.StaffAsync(ShopRoles.Supervisor);
        var busy = await AgentAsync(supervisor, [TicketCategory.KeyInvalid, TicketCategory.WrongRegion]);
        var idle = await AgentAsync(supervisor, [TicketCategory.KeyInvalid]);
        var unskilled = await AgentAsync(supervisor, [TicketCategory.RefundRequest]);
        var offDuty = await AgentAsync(supervisor, [TicketCategory.KeyInvalid]);

        // Only "busy" is on duty for the first two tickets.
        await _kit.SendAsync(busy, new SetOnDuty(true));
        Assert.Equal(busy.UserId, await AssigneeOfNewTicketAsync());
        Assert.Equal(busy.UserId, await AssigneeOfNewTicketAsync());

        await _kit.SendAsync(idle, new SetOnDuty(true));
        await _kit.SendAsync(unskilled, new SetOnDuty(true));
        Assert.Equal(idle.UserId, await AssigneeOfNewTicketAsync());
        Assert.Equal(idle.UserId, await AssigneeOfNewTicketAsync());
        // Two each now: the tie goes to whoever has waited longest for a ticket.
        Assert.Equal(busy.UserId, await AssigneeOfNewTicketAsync());
        // A category only "busy" handles goes to "busy" even though it carries more.
        Assert.Equal(busy.UserId, await AssigneeOfNewTicketAsync(TicketCategory.WrongRegion));

        Assert.Equal(0, await TicketsOfAsync(unskilled));
        Assert.Equal(0, await TicketsOfAsync(offDuty));

        var team = await _kit.SendAsync(supervisor, new ListAgents());
        Assert.Equal(4, team.Single(a => a.UserId == busy.UserId).ActiveTickets);
        Assert.Equal(2, team.Single(a => a.UserId == idle.UserId).ActiveTickets);
        Assert.False(team.Single(a => a.UserId == offDuty.UserId).OnDuty);
        Assert.Equal([TicketCategory.RefundRequest], team.Single(a => a.UserId == unskilled.UserId).Skills);
    }

    [Fact]
    public async Task A_new_buyer_keeps_their_dedicated_agent_while_that_agent_is_on_duty()
    {
        await EverybodyOffDutyAsync();
        var supervisor = await _kit.StaffAsync(ShopRoles.Supervisor);
        var first = await AgentAsync(supervisor, [TicketCategory.KeyInvalid]);
        var second = await AgentAsync(supervisor, [TicketCategory.KeyInvalid]);
        await _kit.SendAsync(first, new SetOnDuty(true));
        await _kit.SendAsync(second, new SetOnDuty(true));
        var (sku, _) = await _kit.Shop.ProductWithKeysAsync(6, price: 10.00m);
        var buyer = await _kit.BuyerAsync(60.00m);
        var (orderNo, keys) = await _kit.BuyAsync(buyer, sku, 6);
        // One ticket per key: a key has at most one open ticket.
        var next = 0;
        IReadOnlyList<Guid> NextKey() => [keys[next++]];

        var dedicated = await AssigneeAsync(await FileAsync(buyer, orderNo, NextKey()));
        var other = dedicated == first.UserId ? second : first;
        // The other agent is less loaded now, but the new buyer stays with "their" agent.
        Assert.Equal(dedicated, await AssigneeAsync(await FileAsync(buyer, orderNo, NextKey())));
        Assert.Equal(dedicated, await AssigneeAsync(await FileAsync(buyer, orderNo, NextKey())));
        Assert.Equal(1L, await _kit.CountAsync("SELECT count(*) FROM dedicated_agents WHERE buyer_id = $1 AND agent_id = $2", buyer.UserId, dedicated!.Value));

        // Off duty: the ticket goes to somebody who is there, and the dedication stays.
        var dedicatedActor = dedicated == first.UserId ? first : second;
        await _kit.SendAsync(dedicatedActor, new SetOnDuty(false));
        Assert.Equal(other.UserId, await AssigneeAsync(await FileAsync(buyer, orderNo, NextKey())));
        await _kit.SendAsync(dedicatedActor, new SetOnDuty(true));
        Assert.Equal(dedicated, await AssigneeAsync(await FileAsync(buyer, orderNo, NextKey())));

        var team = await _kit.SendAsync(supervisor, new ListAgents());
        Assert.Equal(1, team.Single(a => a.UserId == dedicated).DedicatedBuyers);

        // After the first 30 days the buyer is routed like anyone: to the less-loaded agent.
        shop.Clock.Advance(TimeSpan.FromDays(31));
        Assert.Equal(other.UserId, await AssigneeAsync(await FileAsync(buyer, orderNo, NextKey())));
        Assert.Equal(0, (await _kit.SendAsync(supervisor, new ListAgents())).Single(a => a.UserId == dedicated).DedicatedBuyers);
    }

    [Fact]
    public async Task With_nobody_on_duty_the_ticket_waits_unassigned()
    {
        await EverybodyOffDutyAsync();
        var supervisor = await _kit.StaffAsync(ShopRoles.Supervisor);
        var offDuty = await AgentAsync(supervisor, [TicketCategory.KeyInvalid]);

        Assert.Null(await AssigneeOfNewTicketAsync());
        Assert.Equal(0, await TicketsOfAsync(offDuty));
    }

    [Fact]
    public async Task Agents_switch_their_own_duty_and_only_supervisors_switch_someone_else_s_or_set_skills()
    {
        var supervisor = await _kit.StaffAsync(ShopRoles.Supervisor);
        var agent = await _kit.StaffAsync(ShopRoles.Agent);
        var colleague = await _kit.StaffAsync(ShopRoles.Agent);
        var buyer = await _kit.BuyerAsync(0m);

        // The profile is created on first use: off duty, no skills.
        var fresh = await _kit.SendAsync(agent, new GetMyDuty());
        Assert.False(fresh!.OnDuty);
        Assert.Empty(fresh.Skills);
        var on = await _kit.SendAsync(agent, new SetOnDuty(true));
        Assert.True(on.OnDuty);
        Assert.True((await _kit.SendAsync(agent, new GetMyDuty()))!.OnDuty);

        Assert.Equal(ErrorCodes.Forbidden, Assert.IsType<DomainRuleException>(await _kit.RefusalAsync(agent, new SetOnDuty(true, colleague.UserId))).Code);
        Assert.Equal(ErrorCodes.Forbidden, Assert.IsType<DomainRuleException>(await _kit.RefusalAsync(agent, new SetAgentSkills(agent.UserId, [TicketCategory.Other]))).Code);
        Assert.Equal(ErrorCodes.Forbidden, Assert.IsType<DomainRuleException>(await _kit.RefusalAsync(buyer, new SetOnDuty(true))).Code);
        Assert.Equal(ErrorCodes.Forbidden, Assert.IsType<DomainRuleException>(await _kit.RefusalAsync(agent, new ListAgents())).Code);
        // A buyer has no duty switch a supervisor could flip.
        Assert.IsType<NotFoundException>(await _kit.RefusalAsync(supervisor, new SetOnDuty(true, buyer.UserId)));
        Assert.Null(await _kit.SendAsync(buyer, new GetMyDuty()));

        var sent = await _kit.SendAsync(supervisor, new SetOnDuty(true, colleague.UserId));
        Assert.True(sent.OnDuty);
        var skills = await _kit.SendAsync(supervisor, new SetAgentSkills(colleague.UserId, [TicketCategory.WrongRegion, TicketCategory.KeyInvalid, TicketCategory.WrongRegion]));
        Assert.Equal([TicketCategory.KeyInvalid, TicketCategory.WrongRegion], skills.Skills);
        Assert.IsType<FluentValidation.ValidationException>(await _kit.RefusalAsync(supervisor, new SetAgentSkills(colleague.UserId, [(TicketCategory)99])));
    }

    [Fact]
    public async Task The_agents_page_has_a_duty_switch_for_oneself_and_the_team_table_for_supervisors()
    {
        var supervisor = await _kit.StaffAsync(ShopRoles.Supervisor);
        var agent = await _kit.StaffAsync(ShopRoles.Agent);

        using var agentWeb = await _kit.SignInAsync(agent, "en-US");
        var mine = await agentWeb.GetAsync("/Admin/Agents");
        Assert.Equal(HttpStatusCode.OK, mine.Status);
        Assert.Equal("Off duty", mine.Document.QuerySelector("[data-testid=my-duty-state]")!.TextContent.Trim());
        Assert.NotNull(mine.Document.QuerySelector("[data-testid=my-skills-none]"));
        Assert.Null(mine.Document.QuerySelector("[data-testid=agents]"));
        Assert.NotNull(mine.Document.QuerySelector("[data-testid=duty-switch]"));

        var switched = await agentWeb.FollowAsync(await agentWeb.SubmitAsync("/Admin/Agents", "[data-testid=my-duty] form", new Dictionary<string, string>()));
        Assert.Equal("On duty", switched.Document.QuerySelector("[data-testid=my-duty-state]")!.TextContent.Trim());

        // The switch in the header returns to the page it was used on.
        var fromHeader = await agentWeb.SubmitAsync("/Admin/Agents?from=header", "form[data-testid=duty-switch]", new Dictionary<string, string>());
        Assert.Equal("/Admin/Agents?from=header", fromHeader.Location);
        Assert.Equal("Off duty", (await agentWeb.FollowAsync(fromHeader)).Document.QuerySelector("[data-testid=my-duty-state]")!.TextContent.Trim());

        using var web = await _kit.SignInAsync(supervisor, "en-US");
        var row = $"tr[data-agent='{agent.UserId}']";
        var skillsSaved = await web.FollowAsync(await web.SubmitAsync("/Admin/Agents", row + " form[data-testid=skills-form]",
            new Dictionary<string, string> { ["skills"] = "KeyInvalid" }));
        Assert.NotNull(skillsSaved.Document.QuerySelector("[data-testid=agents-saved]"));
        Assert.Contains("Key invalid", skillsSaved.Document.QuerySelector(row + " [data-testid=agent-skills]")!.TextContent, StringComparison.OrdinalIgnoreCase);

        var onDuty = await web.FollowAsync(await web.SubmitAsync("/Admin/Agents", row + " form[data-testid=agent-duty-form]", new Dictionary<string, string>()));
        Assert.Equal("On duty", onDuty.Document.QuerySelector(row + " [data-testid=agent-duty]")!.TextContent.Trim());
        Assert.True((await _kit.SendAsync(agent, new GetMyDuty()))!.OnDuty);
    }

    // ---- helpers ----

    private Task EverybodyOffDutyAsync() => _kit.ExecuteAsync("UPDATE agent_profiles SET on_duty = false WHERE on_duty");

    private async Task<Actor> AgentAsync(Actor supervisor, TicketCategory[] skills)
    {
        var agent = await _kit.StaffAsync(ShopRoles.Agent);
        await _kit.SendAsync(supervisor, new SetAgentSkills(agent.UserId, skills));
        return agent;
    }

    /// <summary>
    /// A fresh buyer (so no dedicated agent yet) buys the one key of a fresh product and reports it. Each key
    /// comes from its own batch: complaints piling up on one batch would open an incident and freeze its stock.
    /// </summary>
    private async Task<Guid?> AssigneeOfNewTicketAsync(TicketCategory category = TicketCategory.KeyInvalid)
    {
        var (sku, _) = await _kit.Shop.ProductWithKeysAsync(1, price: 10.00m);
        var buyer = await _kit.BuyerAsync(10.00m);
        var (orderNo, items) = await _kit.BuyAsync(buyer, sku, 1);
        return await AssigneeAsync(await FileAsync(buyer, orderNo, items, category));
    }

    /// <summary>Files a ticket a minute after the previous one, so "who waited longest" is well defined.</summary>
    private async Task<string> FileAsync(Actor buyer, string orderNo, IReadOnlyList<Guid> items, TicketCategory category = TicketCategory.KeyInvalid)
    {
        shop.Clock.Advance(TimeSpan.FromMinutes(1));
        return (await _kit.SendAsync(buyer, new CreateTicket(orderNo, items, category, "It does not work.", null, []))).TicketNo;
    }

    private async Task<Guid?> AssigneeAsync(string ticketNo)
    {
        await using var conn = await _kit.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand("SELECT assignee_id FROM tickets WHERE no = $1", conn);
        cmd.Parameters.AddWithValue(ticketNo);
        return await cmd.ExecuteScalarAsync() is Guid id ? id : null;
    }

    private async Task<int> TicketsOfAsync(Actor agent) =>
        (int)await _kit.CountAsync("SELECT count(*) FROM tickets WHERE assignee_id = $1", agent.UserId);
}
