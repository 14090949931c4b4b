using System.Globalization;
using CardMall.Application.Abstractions;
using CardMall.Application.Features.Assistant;
using CardMall.Application.Localization;
using CardMall.Domain.Chats;
using CardMall.Domain.Common;
using CardMall.Domain.Tickets;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Chats;

/// <summary>
/// "联系客服": the buyer writes to a person. The chat joins the queue (the dispatcher offers it to a free agent within
/// a second), or — when nobody is online — becomes a ticket at once, answered under the ticket SLA. A buyer has one
/// open chat: pressing again (or from another tab) writes into the open one. The order it came from travels with it;
/// somebody else's order is a 404.
/// </summary>
public sealed record StartChat(string Text, string? OrderNo) : ICommand<ChatStarted>;

public sealed class StartChatValidator : AbstractValidator<StartChat>
{
    public StartChatValidator()
    {
        RuleFor(x => x.Text).IsChatText();
        RuleFor(x => x.OrderNo).MaximumLength(32);
    }
}

internal sealed class StartChatHandler(ICardMallDb db, ICurrentUser currentUser, ChatDesk desk, ChatQueue queue, ChatTickets tickets, IIntentClassifier classifier)
    : IRequestHandler<StartChat, ChatStarted>
{
    public async Task<ChatStarted> Handle(StartChat request, CancellationToken ct)
    {
        var buyerId = currentUser.RequireUserId();
        var now = desk.Now;
        Guid? orderId = null;
        if (!string.IsNullOrWhiteSpace(request.OrderNo))
            orderId = await db.Orders.Where(o => o.No == request.OrderNo.Trim() && o.UserId == buyerId).Select(o => (Guid?)o.Id).FirstOrDefaultAsync(ct)
                ?? throw new NotFoundException(AppText.Get("Orders.NotFound"));

        await db.Locks.PersonAsync(PersonLock.Chat, buyerId, ct);
        var openId = await db.Chats.Where(c => c.BuyerId == buyerId && (c.Status == ChatStatus.Queued || c.Status == ChatStatus.Offered || c.Status == ChatStatus.Active))
            .Select(c => (Guid?)c.Id).FirstOrDefaultAsync(ct);
        var chat = openId is { } id ? await db.Locks.LockAsync<Chat>(id, ct) : null;
        if (chat is null)
        {
            chat = new Chat(buyerId, CultureInfo.CurrentUICulture.Name, orderId, SkillFor(request.Text), now);
            db.Chats.Add(chat);
        }
        chat.Post(ChatAuthor.Buyer, buyerId, request.Text, now);

        string? ticketNo = null;
        if (chat.IsWaiting && (await queue.CapacityAsync(now, ct)).AgentsOnline == 0)
        {
            var ticket = await tickets.FileAsync(chat, ct);
            chat.LeaveAsTicket(ticket.Id, ticket.No, now);
            ticketNo = ticket.No;
        }
        await db.SaveChangesAsync(ct);

        var state = await queue.StateAsync(chat, null, ticketNo, now, ct);
        return new ChatStarted(chat.Id, state.Status, state.Position, state.EstimatedWaitSeconds, ticketNo);
    }

    /// <summary>What the first message is about, when the assistant's model is sure: routing then prefers agents with that skill.</summary>
    private TicketCategory? SkillFor(string text)
    {
        var understood = classifier.Understand(text);
        if (understood.Clarify) return null;
        return understood.Intent switch
        {
            Intents.KeyInvalid => TicketCategory.KeyInvalid,
            Intents.KeyAlreadyUsed => TicketCategory.KeyAlreadyUsed,
            Intents.NotReceived => TicketCategory.NotReceived,
            Intents.AccountSecurity => TicketCategory.AccountAbnormal,
            Intents.RefundPolicy => TicketCategory.RefundRequest,
            _ => null,
        };
    }
}

/// <summary><c>status</c>: <c>queued</c>, <c>active</c> or <c>offline</c> (nobody online: the message became ticket <c>ticketNo</c>).</summary>
public sealed record ChatStarted(Guid ChatId, string Status, int? Position, int? EstimatedWaitSeconds, string? TicketNo);
