using CardMall.Application.Abstractions;
using CardMall.Domain.Accounts;
using CardMall.Domain.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CardMall.Application.Features.Tickets;

/// <summary>
/// Who gets a new ticket: a new buyer's dedicated agent (一对一售后管家) while that agent is on duty,
/// otherwise the least-loaded on-duty agent (or supervisor taking tickets) with the category as a skill. Nobody on duty: the ticket
/// waits unassigned in the queue (and the SLA watcher keeps time on it).
/// </summary>
internal sealed class TicketRouting(ICardMallDb db, IOptions<AfterSalesOptions> options)
{
    public async Task<Guid?> ChooseAgentAsync(Guid buyerId, TicketCategory category, DateTimeOffset now, CancellationToken ct)
    {
        var buyerSince = await db.Users.Where(u => u.Id == buyerId).Select(u => u.CreatedAt).FirstAsync(ct);
        var isNewBuyer = now - buyerSince <= options.Value.NewBuyerPeriod;

        if (isNewBuyer)
        {
            var dedicated = await db.DedicatedAgents.Where(d => d.BuyerId == buyerId).Select(d => (Guid?)d.AgentId).FirstOrDefaultAsync(ct);
            if (dedicated is { } agentId && agentId != buyerId && await IsOnDutyAsync(agentId, ct)) return agentId;
            if (dedicated is not null) return await LeastLoadedAsync(category, buyerId, ct);
        }

        var chosen = await LeastLoadedAsync(category, buyerId, ct);
        if (isNewBuyer && chosen is { } first)
            await db.Locks.AddOnceAsync(new DedicatedAgent(buyerId, first, now), ct);
        return chosen;
    }

    private Task<bool> IsOnDutyAsync(Guid agentId, CancellationToken ct) =>
        db.AgentProfiles.AnyAsync(a => a.UserId == agentId && a.OnDuty, ct);

    /// <summary>
    /// Fewest active tickets first; ties go to whoever has waited longest for a ticket. Never the buyer: a member of
    /// staff who bought keys does not handle their own ticket.
    /// </summary>
    public async Task<Guid?> LeastLoadedAsync(TicketCategory category, Guid buyerId, CancellationToken ct)
    {
        var skill = category.ToString();
        var rows = await db.Database.SqlQuery<Guid>($"""
            SELECT a.user_id AS "Value"
            FROM agent_profiles a
            WHERE a.on_duty AND {skill} = ANY (a.skills) AND a.user_id <> {buyerId}
              AND EXISTS (SELECT 1 FROM user_roles ur JOIN roles r ON r.id = ur.role_id
                          WHERE ur.user_id = a.user_id AND r.name IN ({ShopRoles.Agent}, {ShopRoles.Supervisor}))
            ORDER BY (SELECT count(*) FROM tickets t
                      WHERE t.assignee_id = a.user_id AND t.status IN ('New', 'Open', 'WaitingOnBuyer', 'WaitingOnSupplier')),
                     (SELECT max(t.created_at) FROM tickets t WHERE t.assignee_id = a.user_id) NULLS FIRST,
                     a.user_id
            LIMIT 1
            """).ToListAsync(ct);
        return rows.Count == 0 ? null : rows[0];
    }
}
