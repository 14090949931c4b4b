using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using CardMall.Domain.Common;
using CardMall.Domain.Tickets;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Tickets;

/// <summary>
/// The one way to take hold of an agent's duty switch and skills: the row is created on first use (an
/// agent account starts off duty, with no skills) and locked for the rest of the transaction, so a duty
/// toggle and a skills change at the same moment both land.
/// </summary>
internal static class AgentProfileLock
{
    /// <summary>Roles that have a duty switch: agents take tickets, supervisors may too.</summary>
    public static readonly string[] DutyRoles = [ShopRoles.Agent, ShopRoles.Supervisor];

    public static async Task<AgentProfile> LockOrCreateAgentProfileAsync(this ICardMallDb db, Guid userId, DateTimeOffset now, CancellationToken ct)
    {
        var isStaff = await (from ur in db.UserRoles
                             join r in db.Roles on ur.RoleId equals r.Id
                             where ur.UserId == userId && DutyRoles.Contains(r.Name!)
                             select ur.UserId).AnyAsync(ct);
        if (!isStaff) throw new NotFoundException(AppText.Get("TicketAgents.NotFound"));

        return await db.Locks.AgentProfileOrNewAsync(userId, now, ct);
    }
}
