using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Common;
using CardMall.Domain.Tickets;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CardMall.Application.Features.Tickets;

/// <summary>
/// "It is not solved after all": within <see cref="AfterSalesOptions.ReopenWindow"/> (7 days) of its
/// resolution a resolved or closed ticket goes back to Open, to the same agent, with the buyer's reason
/// in the conversation when they gave one. Later, the buyer files a new ticket instead.
/// </summary>
public sealed record ReopenTicket(string TicketNo, string? Reason = null) : ICommand<TicketReopened>;

public sealed class ReopenTicketValidator : AbstractValidator<ReopenTicket>
{
    public ReopenTicketValidator() =>
        RuleFor(x => x.Reason).MaximumLength(ReplyToTicketValidator.MaxBody)
            .WithMessage(_ => AppText.Format("BuyerTickets.ReplyTooLong", ReplyToTicketValidator.MaxBody));
}

internal sealed class ReopenTicketHandler(
    ICardMallDb db, ICurrentUser currentUser, TicketDesk desk, OpenTicketForKeys openTickets, IOptions<AfterSalesOptions> options)
    : IRequestHandler<ReopenTicket, TicketReopened>
{
    public async Task<TicketReopened> Handle(ReopenTicket request, CancellationToken cancellationToken)
    {
        var userId = currentUser.RequireUserId();
        var ticket = await desk.LockOwnAsync(request.TicketNo, cancellationToken);
        var window = options.Value.ReopenWindow;
        ticket.CheckReopen(window, desk.Now);
        // One open ticket per key: when a newer ticket about these keys is open, the buyer goes on there.
        var keys = await db.TicketItems.Where(ti => ti.TicketId == ticket.Id).Select(ti => ti.OrderItemId).ToListAsync(cancellationToken);
        await openTickets.RequireNoneAsync(userId, keys, cancellationToken);

        ticket.Reopen(request.Reason, window, desk.Now);
        return new TicketReopened(ticket.No, ticket.Status, ticket.ReopenCount);
    }
}

public sealed record TicketReopened(string TicketNo, TicketStatus Status, int ReopenCount);
