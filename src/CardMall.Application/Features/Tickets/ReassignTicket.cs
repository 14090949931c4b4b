using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Accounts;
using CardMall.Domain.Common;
using CardMall.Domain.Tickets;
using FluentValidation;
using FluentValidation.Results;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Tickets;

/// <summary>
/// A supervisor or admin hands a ticket to another agent (or supervisor), who is told at once. The
/// move is on the ticket's internal timeline.
/// </summary>
public sealed record ReassignTicket(string TicketNo, Guid AgentId) : ICommand<TicketReassigned>;

public sealed class ReassignTicketValidator : AbstractValidator<ReassignTicket>
{
    public ReassignTicketValidator()
    {
        RuleFor(x => x.AgentId).NotEmpty().WithMessage(_ => AppText.Get("Workspace.AssigneeRequired"));
    }
}

internal sealed class ReassignTicketHandler(ICardMallDb db, ICurrentUser currentUser, TicketDesk desk)
    : IRequestHandler<ReassignTicket, TicketReassigned>
{
    private static readonly string[] AssignableRoles = [ShopRoles.Agent, ShopRoles.Supervisor];

    public async Task<TicketReassigned> Handle(ReassignTicket request, CancellationToken ct)
    {
        currentUser.RequireAnyRole(ShopRoles.Supervisor, ShopRoles.Admin);
        var ticket = await desk.LockForStaffAsync(request.TicketNo, ct);
        if (!ticket.IsActive)
            throw new DomainRuleException(ErrorCodes.InvalidState, AppText.Get("Workspace.ClaimInactive"));

        var assignable = await (from ur in db.UserRoles
                                join r in db.Roles on ur.RoleId equals r.Id
                                where ur.UserId == request.AgentId && AssignableRoles.Contains(r.Name!)
                                select ur.UserId).AnyAsync(ct);
        if (!assignable)
            throw new ValidationException([new ValidationFailure(nameof(request.AgentId), AppText.Get("Workspace.AssigneeNotAgent"))]);
        if (request.AgentId == ticket.BuyerId)
            throw new ValidationException([new ValidationFailure(nameof(request.AgentId), AppText.Get("Workspace.AssigneeIsBuyer"))]);

        var changed = ticket.Reassign(request.AgentId, currentUser.RequireUserId(), desk.Now);
        return new TicketReassigned(ticket.No, request.AgentId, changed);
    }
}

public sealed record TicketReassigned(string TicketNo, Guid AgentId, bool Changed);
