using CardMall.Application.Abstractions;
using CardMall.Domain.Tickets;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Tickets;

/// <summary>The SLA targets per priority, most pressing first (the SLA settings page; staff only).</summary>
public sealed record ListSlaPolicies : IRequest<IReadOnlyList<SlaPolicyView>>;

internal sealed class ListSlaPoliciesHandler(ICardMallDb db, ICurrentUser currentUser)
    : IRequestHandler<ListSlaPolicies, IReadOnlyList<SlaPolicyView>>
{
    public async Task<IReadOnlyList<SlaPolicyView>> Handle(ListSlaPolicies request, CancellationToken cancellationToken)
    {
        currentUser.RequireAnyRole(TicketDesk.WorkRoles);
        var policies = await (from p in db.SlaPolicies.AsNoTracking()
                              join u in db.Users on p.UpdatedBy equals (Guid?)u.Id into editors
                              from u in editors.DefaultIfEmpty()
                              select new { p.Priority, p.FirstResponseMinutes, p.ResolutionMinutes, p.UpdatedAt, UpdatedBy = u == null ? null : u.DisplayName })
            .ToListAsync(cancellationToken);
        return policies.OrderByDescending(p => p.Priority)
            .Select(p => new SlaPolicyView(p.Priority, p.FirstResponseMinutes, p.ResolutionMinutes, p.UpdatedAt, p.UpdatedBy))
            .ToList();
    }
}

/// <summary><see cref="UpdatedBy"/> is the editor's display name; null for the shipped defaults.</summary>
public sealed record SlaPolicyView(TicketPriority Priority, int FirstResponseMinutes, int ResolutionMinutes, DateTimeOffset UpdatedAt, string? UpdatedBy);
