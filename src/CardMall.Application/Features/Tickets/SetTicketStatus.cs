using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Tickets;
using FluentValidation;
using MediatR;

namespace CardMall.Application.Features.Tickets;

/// <summary>
/// An agent moves a ticket by hand: back to Open, Waiting on buyer (the SLA clock stops), Waiting on
/// supplier, Closed, or reopened. Resolving has its own form (it needs a responsibility and a root
/// cause); anything the lifecycle does not allow is refused with invalid_state and a plain message.
/// </summary>
public sealed record SetTicketStatus(string TicketNo, TicketStatus To) : ICommand<TicketStatusSet>;

public sealed class SetTicketStatusValidator : AbstractValidator<SetTicketStatus>
{
    public SetTicketStatusValidator()
    {
        RuleFor(x => x.To).IsInEnum().WithMessage(_ => AppText.Get("Workspace.StatusUnknown"))
            .Must(s => s is not (TicketStatus.New or TicketStatus.Resolved)).WithMessage(_ => AppText.Get("Workspace.UseResolveForm"));
    }
}

internal sealed class SetTicketStatusHandler(ICurrentUser currentUser, TicketDesk desk) : IRequestHandler<SetTicketStatus, TicketStatusSet>
{
    public async Task<TicketStatusSet> Handle(SetTicketStatus request, CancellationToken ct)
    {
        var ticket = await desk.LockForStaffAsync(request.TicketNo, ct);
        var from = ticket.Status;
        ticket.SetStatus(request.To, currentUser.RequireUserId(), desk.Now);
        return new TicketStatusSet(ticket.No, from, ticket.Status);
    }
}

public sealed record TicketStatusSet(string TicketNo, TicketStatus From, TicketStatus To);
