using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Common;
using CardMall.Domain.Tickets;
using MediatR;

namespace CardMall.Application.Features.Tickets;

/// <summary>
/// The buyer confirms the problem is solved: the resolved ticket closes now instead of after the
/// automatic three days. (It can still be reopened within the reopen window.)
/// </summary>
public sealed record ConfirmResolution(string TicketNo) : ICommand<ResolutionConfirmed>;

internal sealed class ConfirmResolutionHandler(TicketDesk desk) : IRequestHandler<ConfirmResolution, ResolutionConfirmed>
{
    public async Task<ResolutionConfirmed> Handle(ConfirmResolution request, CancellationToken cancellationToken)
    {
        var ticket = await desk.LockOwnAsync(request.TicketNo, cancellationToken);
        ticket.ConfirmResolution(desk.Now);
        return new ResolutionConfirmed(ticket.No, ticket.Status);
    }
}

public sealed record ResolutionConfirmed(string TicketNo, TicketStatus Status);
