using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Chats;
using CardMall.Domain.Common;
using CardMall.Domain.Tickets;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Chats;

/// <summary>
/// The agent hands the chat on: to a named colleague who is online (offered to them at once, with the usual timeout)
/// or to a skill (back in the queue in its old place, for the dispatcher to route).
/// </summary>
public sealed record TransferChat(Guid ChatId, Guid? ToAgentId, TicketCategory? ToSkill) : ICommand<Guid>;

internal sealed class TransferChatHandler(ICardMallDb db, ICurrentUser currentUser, ChatDesk desk) : IRequestHandler<TransferChat, Guid>
{
    public async Task<Guid> Handle(TransferChat request, CancellationToken ct)
    {
        var chat = await desk.LockForStaffAsync(request.ChatId, ct);
        if (request.ToAgentId is { } to && !await db.AgentProfiles.AnyAsync(a => a.UserId == to && a.OnDuty && a.Availability == AgentAvailability.Online, ct))
            throw new DomainRuleException(ErrorCodes.InvalidState, AppText.Get("Chats.TransferOffline"));
        chat.Transfer(currentUser.RequireUserId(), request.ToAgentId, request.ToSkill, desk.Now);
        return chat.Id;
    }
}
