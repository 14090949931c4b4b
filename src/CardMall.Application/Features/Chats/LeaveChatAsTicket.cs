using CardMall.Application.Abstractions;
using MediatR;

namespace CardMall.Application.Features.Chats;

/// <summary>
/// The wait is long and the buyer would rather not wait: the chat leaves the queue as a ticket with the transcript,
/// answered under the ticket SLA. Twice is refused (the chat is no longer waiting).
/// </summary>
public sealed record LeaveChatAsTicket(Guid ChatId) : ICommand<string>;

internal sealed class LeaveChatAsTicketHandler(ChatDesk desk, ChatTickets tickets) : IRequestHandler<LeaveChatAsTicket, string>
{
    public async Task<string> Handle(LeaveChatAsTicket request, CancellationToken ct)
    {
        var chat = await desk.LockOwnAsync(request.ChatId, ct);
        chat.MayLeaveAsTicket();
        var ticket = await tickets.FileAsync(chat, ct);
        chat.LeaveAsTicket(ticket.Id, ticket.No, desk.Now);
        return ticket.No;
    }
}
