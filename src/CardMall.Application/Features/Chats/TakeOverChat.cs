using CardMall.Application.Abstractions;
using CardMall.Domain.Accounts;
using MediatR;

namespace CardMall.Application.Features.Chats;

/// <summary>A supervisor takes a chat over — from its agent, or straight from the queue when the wait runs long.</summary>
public sealed record TakeOverChat(Guid ChatId) : ICommand<Guid>;

internal sealed class TakeOverChatHandler(ICurrentUser currentUser, ChatDesk desk) : IRequestHandler<TakeOverChat, Guid>
{
    public async Task<Guid> Handle(TakeOverChat request, CancellationToken ct)
    {
        var me = currentUser.RequireAnyRole(ShopRoles.Supervisor, ShopRoles.Admin);
        var chat = await desk.LockForStaffAsync(request.ChatId, ct);
        chat.TakeOver(me, await desk.NameOfAsync(me, ct), desk.Now);
        return chat.Id;
    }
}
