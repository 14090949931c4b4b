using CardMall.Application.Abstractions;
using CardMall.Domain.Accounts;
using CardMall.Domain.Tickets;
using CardMall.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Infrastructure.Tickets;

/// <summary>
/// One SQL statement: the skills are a text[] (an indexed ANY), and the two orderings are correlated counts
/// that LINQ would not word as plainly (NULLS FIRST for an agent who never had a ticket).
/// </summary>
internal sealed class AgentWorkload(CardMallDbContext db) : IAgentWorkload
{
    public async Task<Guid?> LeastLoadedAsync(TicketCategory skill, Guid buyerId, CancellationToken ct)
    {
        var category = skill.ToString();
        var rows = await db.Database.SqlQuery<Guid>($"""
            SELECT a.user_id AS "Value"
            FROM agent_profiles a
            WHERE a.on_duty AND {category} = ANY (a.skills) AND a.user_id <> {buyerId}
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
