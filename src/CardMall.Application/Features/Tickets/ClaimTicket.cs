using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using CardMall.Domain.Common;
using CardMall.Domain.Tickets;
using MediatR;

namespace CardMall.Application.Features.Tickets;

/// <summary>
/// An agent takes a ticket from the queue. Agents take only unassigned tickets — two agents pressing
/// "claim" at once get one winner, the ticket row lock decides — while a supervisor or admin may take
/// over anybody's ticket (the previous assignee is told).
/// </summary>
public sealed record ClaimTicket(string TicketNo) : ICommand<TicketClaimed>;

internal sealed class ClaimTicketHandler(ICurrentUser currentUser, TicketDesk desk) : IRequestHandler<ClaimTicket, TicketClaimed>
{
    public async Task<TicketClaimed> Handle(ClaimTicket request, CancellationToken ct)
    {
        var ticket = await desk.LockForStaffAsync(request.TicketNo, ct);
        var mayTakeOver = currentUser.IsInRole(ShopRoles.Supervisor) || currentUser.IsInRole(ShopRoles.Admin);
        var changed = ticket.Claim(currentUser.RequireUserId(), mayTakeOver, desk.Now);
        return new TicketClaimed(ticket.No, changed);
    }
}

public sealed record TicketClaimed(string TicketNo, bool Changed);
