using CardMall.Application.Abstractions;
using CardMall.Domain.Chats;
using MediatR;

namespace CardMall.Application.Features.Chats;

/// <summary>Read receipts: the buyer (or the staff side) has read up to message <paramref name="Seq"/>; the other side sees it.</summary>
public sealed record MarkChatRead(Guid ChatId, int Seq, bool ByStaff = false) : ICommand<bool>;

internal sealed class MarkChatReadHandler(ChatDesk desk) : IRequestHandler<MarkChatRead, bool>
{
    public async Task<bool> Handle(MarkChatRead request, CancellationToken ct)
    {
        var chat = request.ByStaff ? await desk.LockForStaffAsync(request.ChatId, ct) : await desk.LockOwnAsync(request.ChatId, ct);
        return chat.MarkRead(request.ByStaff ? ChatAuthor.Agent : ChatAuthor.Buyer, request.Seq);
    }
}
