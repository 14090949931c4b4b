using CardMall.Application.Abstractions;
using CardMall.Domain.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CardMall.Application.Features.Tickets;

/// <summary>
/// Who gets a new ticket: a new buyer's dedicated agent (一对一售后管家) while that agent is on duty,
/// otherwise the least-loaded on-duty agent (or supervisor taking tickets) with the category as a skill. Nobody on duty: the ticket
/// waits unassigned in the queue (and the SLA watcher keeps time on it).
/// </summary>
internal sealed class TicketRouting(ICardMallDb db, IAgentWorkload workload, IOptions<AfterSalesOptions> options)
{
    public async Task<Guid?> ChooseAgentAsync(Guid buyerId, TicketCategory category, DateTimeOffset now, CancellationToken ct)
    {
        var buyerSince = await db.Users.Where(u => u.Id == buyerId).Select(u => u.CreatedAt).FirstAsync(ct);
        var isNewBuyer = now - buyerSince <= options.Value.NewBuyerPeriod;

        if (isNewBuyer)
        {
            var dedicated = await db.DedicatedAgents.Where(d => d.BuyerId == buyerId).Select(d => (Guid?)d.AgentId).FirstOrDefaultAsync(ct);
            if (dedicated is { } agentId && agentId != buyerId && await IsOnDutyAsync(agentId, ct)) return agentId;
            if (dedicated is not null) return await workload.LeastLoadedAsync(category, buyerId, ct);
        }

        var chosen = await workload.LeastLoadedAsync(category, buyerId, ct);
        if (isNewBuyer && chosen is { } first)
            await db.Locks.AddOnceAsync(new DedicatedAgent(buyerId, first, now), ct);
        return chosen;
    }

    private Task<bool> IsOnDutyAsync(Guid agentId, CancellationToken ct) =>
        db.AgentProfiles.AnyAsync(a => a.UserId == agentId && a.OnDuty, ct);
}
