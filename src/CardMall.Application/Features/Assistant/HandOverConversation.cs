using CardMall.Application.Abstractions;
using CardMall.Application.Features.Tickets;
using CardMall.Domain.Assistant;
using CardMall.Domain.Tickets;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Assistant;

/// <summary>
/// "转人工": a conversation without a ticket gets one — about the order it named (or the buyer's latest), with
/// the transcript as the opening message — and is linked to it, so a later hand-off joins the same ticket.
/// </summary>
internal sealed record HandOverConversation(Guid ConversationId, string OrderNo, string Transcript) : ICommand<TicketCreated>;

internal sealed class HandOverConversationHandler(ICardMallDb db, ICurrentUser currentUser, TicketFiling filing)
    : IRequestHandler<HandOverConversation, TicketCreated>
{
    public async Task<TicketCreated> Handle(HandOverConversation request, CancellationToken ct)
    {
        var userId = currentUser.RequireUserId();
        // Locked: two hand-offs of one conversation at once must open one ticket, not two.
        var conversation = await db.Locks.LockAsync<AssistantConversation>(request.ConversationId, ct) is { } mine && mine.UserId == userId
            ? mine
            : throw new InvalidOperationException("The conversation is not the signed-in user's.");
        if (conversation.TicketId is { } already)
            return TicketCreated.From(await db.Tickets.AsNoTracking().SingleAsync(t => t.Id == already, ct));

        var orders = db.Orders.AsNoTracking().Where(o => o.UserId == userId);
        if (request.OrderNo.Length > 0) orders = orders.Where(o => o.No == request.OrderNo);
        var orderId = await orders.OrderByDescending(o => o.CreatedAt).Select(o => (Guid?)o.Id).FirstOrDefaultAsync(ct);
        var ticket = await filing.FileAsync(new NewTicket(userId, orderId, TicketCategory.Other, TicketPriority.Normal, request.Transcript,
            Device: null, Channel: "assistant", IsBulk: false, [], []), ct);
        conversation.HandOver(ticket.Id, askedForHuman: true);
        return TicketCreated.From(ticket);
    }
}
