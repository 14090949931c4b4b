using CardMall.Application.Abstractions;
using MediatR;

namespace CardMall.Application.Features.Chats;

/// <summary>
/// Either side turns the conversation into a ticket (what needs a supplier or more time than a chat): the transcript
/// is its opening message and the SLA runs from now. Once per chat.
/// </summary>
public sealed record TurnChatIntoTicket(Guid ChatId, bool ByStaff = false) : ICommand<string>;

internal sealed class TurnChatIntoTicketHandler(ChatDesk desk, ChatTickets tickets) : IRequestHandler<TurnChatIntoTicket, string>
{
    public async Task<string> Handle(TurnChatIntoTicket request, CancellationToken ct)
    {
        var chat = request.ByStaff ? await desk.LockForStaffAsync(request.ChatId, ct) : await desk.LockOwnAsync(request.ChatId, ct);
        chat.MayBecomeTicket();
        var ticket = await tickets.FileAsync(chat, ct);
        chat.BecameTicket(ticket.Id, ticket.No, desk.Now);
        return ticket.No;
    }
}
