using CardMall.Application.Abstractions;
using CardMall.Domain.Chats;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Chats;

/// <summary>An image sent in a chat, for the chat's buyer and for staff who answer chats; a 404 for anybody else.</summary>
public sealed record GetChatImage(Guid ChatId, Guid AttachmentId) : IRequest<ChatImage>;

public sealed record ChatImage(string FileName, string ContentType, byte[] Content);

internal sealed class GetChatImageHandler(ICardMallDb db, ICurrentUser currentUser) : IRequestHandler<GetChatImage, ChatImage>
{
    public async Task<ChatImage> Handle(GetChatImage request, CancellationToken ct)
    {
        var me = currentUser.RequireUserId();
        var staff = ChatDesk.WorkRoles.Any(currentUser.IsInRole);
        var image = await (from a in db.ChatAttachments.AsNoTracking()
                           join c in db.Chats on a.ChatId equals c.Id
                           where a.Id == request.AttachmentId && c.Id == request.ChatId && (staff || c.BuyerId == me)
                           select new ChatImage(a.FileName, a.ContentType, a.Content)).FirstOrDefaultAsync(ct);
        return image ?? throw ChatDesk.NotFound();
    }
}
