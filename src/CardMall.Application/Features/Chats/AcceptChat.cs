using CardMall.Application.Abstractions;
using MediatR;

namespace CardMall.Application.Features.Chats;

/// <summary>The agent takes the chat offered to them; the buyer sees who joined. An offer that moved on is refused (409).</summary>
public sealed record AcceptChat(Guid ChatId) : ICommand<Guid>;

internal sealed class AcceptChatHandler(ICurrentUser currentUser, ChatDesk desk) : IRequestHandler<AcceptChat, Guid>
{
    public async Task<Guid> Handle(AcceptChat request, CancellationToken ct)
    {
        var chat = await desk.LockForStaffAsync(request.ChatId, ct);
        var me = currentUser.RequireUserId();
        chat.Accept(me, await desk.NameOfAsync(me, ct), desk.Now);
        return chat.Id;
    }
}
