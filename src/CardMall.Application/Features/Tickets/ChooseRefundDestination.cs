using CardMall.Application.Abstractions;
using FluentValidation;
using MediatR;

namespace CardMall.Application.Features.Tickets;

/// <summary>
/// The buyer says where a refund decided on their ticket should go when the order was paid through a gateway: back
/// the way the money came (the default: 原路退回) or to the CardMall wallet (at once, spendable on a replacement).
/// Only the ticket's own buyer; a refund already paid stays where it went.
/// </summary>
public sealed record ChooseRefundDestination(string TicketNo, bool ToWallet) : ICommand<bool>;

public sealed class ChooseRefundDestinationValidator : AbstractValidator<ChooseRefundDestination>
{
    public ChooseRefundDestinationValidator() => RuleFor(x => x.TicketNo).NotEmpty().MaximumLength(24);
}

internal sealed class ChooseRefundDestinationHandler(TicketDesk desk) : IRequestHandler<ChooseRefundDestination, bool>
{
    public async Task<bool> Handle(ChooseRefundDestination request, CancellationToken cancellationToken)
    {
        var ticket = await desk.LockOwnAsync(request.TicketNo, cancellationToken);
        ticket.ChooseRefundDestination(request.ToWallet);
        return ticket.RefundToWallet;
    }
}
