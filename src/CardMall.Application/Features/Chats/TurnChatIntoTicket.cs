using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Tickets;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Chats;

/// <summary>
/// Either side turns the conversation into a ticket — what needs a key check, a replacement, a refund or more time
/// than a chat: the transcript is its opening message and the SLA runs from now. Keys of the buyer's
/// (<paramref name="ItemIds"/>, from any of their orders) make it a ticket about those keys, so the agent verifies,
/// replaces or refunds them with the ticket's own use cases and limits; a key that already has an open ticket is
/// refused naming that ticket (409), as on the ticket form. Once per chat.
/// </summary>
public sealed record TurnChatIntoTicket(Guid ChatId, bool ByStaff = false, TicketCategory? Category = null, IReadOnlyList<Guid>? ItemIds = null)
    : ICommand<string>;

public sealed class TurnChatIntoTicketValidator : AbstractValidator<TurnChatIntoTicket>
{
    public TurnChatIntoTicketValidator()
    {
        RuleFor(x => x.Category).IsInEnum().WithMessage(_ => AppText.Get("Tickets.CategoryUnknown"));
        RuleFor(x => x.ItemIds).Must(ids => ids is null || ids.Count <= 100).WithMessage(_ => AppText.Get("Tickets.TooManyItems"));
    }
}

internal sealed class TurnChatIntoTicketHandler(ICardMallDb db, ChatDesk desk, ChatTickets tickets, Tickets.OpenTicketForKeys openTickets)
    : IRequestHandler<TurnChatIntoTicket, string>
{
    public async Task<string> Handle(TurnChatIntoTicket request, CancellationToken ct)
    {
        var chat = request.ByStaff ? await desk.LockForStaffAsync(request.ChatId, ct) : await desk.LockOwnAsync(request.ChatId, ct);
        chat.MayBecomeTicket();

        var wanted = (request.ItemIds ?? []).Distinct().ToList();
        var items = await (from i in db.OrderItems
                           join o in db.Orders on i.OrderId equals o.Id
                           where wanted.Contains(i.Id) && o.UserId == chat.BuyerId && o.Status != Domain.Orders.OrderStatus.AwaitingPayment
                           select new { OrderId = o.Id, ItemId = i.Id }).ToListAsync(ct);
        if (items.Count != wanted.Count)
            throw new ValidationException([new FluentValidation.Results.ValidationFailure(nameof(request.ItemIds), AppText.Get("Tickets.ItemsNotInOrder"))]);
        await openTickets.RequireNoneAsync(chat.BuyerId, wanted, ct);

        var ticket = await tickets.FileAsync(chat, request.Category, [.. items.Select(i => (i.OrderId, i.ItemId))], ct);
        chat.BecameTicket(ticket.Id, ticket.No, desk.Now);
        return ticket.No;
    }
}
