using CardMall.Application.Abstractions;
using CardMall.Domain.Accounts;
using CardMall.Domain.Tickets;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CardMall.Application.Features.Tickets;

/// <summary>
/// Agents and supervisors with their duty switch, skills, how many active tickets they hold and for how
/// many new buyers they are the dedicated agent (一对一售后管家) — what a supervisor looks at before
/// changing skills or sending someone on duty. On duty first, then by name.
/// </summary>
public sealed record ListAgents : IRequest<IReadOnlyList<AgentView>>;

internal sealed class ListAgentsHandler(ICardMallDb db, ICurrentUser currentUser, TimeProvider clock, IOptions<AfterSalesOptions> options)
    : IRequestHandler<ListAgents, IReadOnlyList<AgentView>>
{
    public async Task<IReadOnlyList<AgentView>> Handle(ListAgents request, CancellationToken cancellationToken)
    {
        currentUser.RequireAnyRole(ShopRoles.Supervisor, ShopRoles.Admin);
        var staff = await (from ur in db.UserRoles
                           join r in db.Roles on ur.RoleId equals r.Id
                           join u in db.Users on ur.UserId equals u.Id
                           where AgentProfileLock.DutyRoles.Contains(r.Name!)
                           select new { u.Id, u.DisplayName, u.Email, Role = r.Name! })
            .ToListAsync(cancellationToken);
        var ids = staff.Select(s => s.Id).Distinct().ToList();

        var profiles = await db.AgentProfiles.AsNoTracking().Where(p => ids.Contains(p.UserId)).ToDictionaryAsync(p => p.UserId, cancellationToken);
        var active = TicketLifecycle.ActiveStatuses;
        var load = await db.Tickets.Where(t => t.AssigneeId != null && ids.Contains(t.AssigneeId.Value) && active.Contains(t.Status))
            .GroupBy(t => t.AssigneeId!.Value).Select(g => new { AgentId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.AgentId, g => g.Count, cancellationToken);
        // Only buyers still in their first days count: after that their tickets are routed like anyone's.
        var newSince = clock.GetUtcNow() - options.Value.NewBuyerPeriod;
        var dedicated = await (from d in db.DedicatedAgents
                               join b in db.Users on d.BuyerId equals b.Id
                               where ids.Contains(d.AgentId) && b.CreatedAt > newSince
                               group d by d.AgentId into g
                               select new { AgentId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.AgentId, g => g.Count, cancellationToken);

        return staff.GroupBy(s => s.Id)
            .Select(g =>
            {
                var first = g.First();
                var profile = profiles.GetValueOrDefault(g.Key);
                return new AgentView(g.Key, first.DisplayName, first.Email ?? "",
                    IsSupervisor: g.Any(s => s.Role == ShopRoles.Supervisor),
                    OnDuty: profile?.OnDuty ?? false,
                    Skills: profile is null ? [] : [.. profile.Skills],
                    ActiveTickets: load.GetValueOrDefault(g.Key),
                    DedicatedBuyers: dedicated.GetValueOrDefault(g.Key))
                {
                    Availability = profile?.Availability ?? Domain.Chats.AgentAvailability.Offline,
                    ChatLimit = profile?.ChatLimit ?? AgentProfile.DefaultChatLimit,
                };
            })
            .OrderByDescending(a => a.OnDuty).ThenBy(a => a.IsSupervisor).ThenBy(a => a.DisplayName, StringComparer.CurrentCulture)
            .ToList();
    }
}

public sealed record AgentView(Guid UserId, string DisplayName, string Email, bool IsSupervisor, bool OnDuty,
    IReadOnlyList<TicketCategory> Skills, int ActiveTickets, int DedicatedBuyers)
{
    /// <summary>Live chat: online takes chats, away only tickets.</summary>
    public Domain.Chats.AgentAvailability Availability { get; init; }

    /// <summary>How many chats the agent answers at once (a supervisor sets it).</summary>
    public int ChatLimit { get; init; } = AgentProfile.DefaultChatLimit;
}
