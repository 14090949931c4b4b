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

    public async Task<Guid?> FreeChatAgentAsync(TicketCategory? skill, Guid buyerId, IReadOnlyCollection<Guid> passedOver, Guid? preferred, CancellationToken ct)
    {
        var wanted = skill?.ToString() ?? "";
        var skipped = passedOver.ToArray();
        var first = preferred ?? Guid.Empty;
        var rows = await db.Database.SqlQuery<Guid>($"""
            WITH online AS (
                SELECT a.user_id, a.skills, a.chat_limit
                FROM agent_profiles a
                WHERE a.on_duty AND a.availability = 'Online' AND a.user_id <> {buyerId}
                  AND EXISTS (SELECT 1 FROM user_roles ur JOIN roles r ON r.id = ur.role_id
                              WHERE ur.user_id = a.user_id AND r.name IN ({ShopRoles.Agent}, {ShopRoles.Supervisor})))
            SELECT o.user_id AS "Value"
            FROM online o
            WHERE ({wanted} = '' OR {wanted} = ANY (o.skills) OR NOT EXISTS (SELECT 1 FROM online s WHERE {wanted} = ANY (s.skills)))
              AND (SELECT count(*) FROM chats c WHERE c.agent_id = o.user_id AND c.status IN ('Offered', 'Active')) < o.chat_limit
            ORDER BY o.user_id = ANY ({skipped}),
                     o.user_id = {first} DESC,
                     (SELECT count(*) FROM chats c WHERE c.agent_id = o.user_id AND c.status IN ('Offered', 'Active')),
                     (SELECT max(c.accepted_at) FROM chats c WHERE c.agent_id = o.user_id) NULLS FIRST,
                     o.user_id
            LIMIT 1
            """).ToListAsync(ct);
        return rows.Count == 0 ? null : rows[0];
    }
}
