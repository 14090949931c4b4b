using CardMall.Application.Abstractions;
using CardMall.Domain.Chats;
using MediatR;

namespace CardMall.Application.Features.Chats;

/// <summary>
/// The buyer leaves (while waiting, the chat counts as abandoned) or the agent ends the chat. The transcript stays in
/// the buyer's service history; the buyer is asked to rate it.
/// </summary>
public sealed record EndChat(Guid ChatId, bool ByStaff = false) : ICommand<Guid>;

internal sealed class EndChatHandler(ChatDesk desk) : IRequestHandler<EndChat, Guid>
{
    public async Task<Guid> Handle(EndChat request, CancellationToken ct)
    {
        var chat = request.ByStaff ? await desk.LockForStaffAsync(request.ChatId, ct) : await desk.LockOwnAsync(request.ChatId, ct);
        chat.End(request.ByStaff ? ChatAuthor.Agent : ChatAuthor.Buyer, desk.Now);
        return chat.Id;
    }
}
