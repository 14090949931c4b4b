using CardMall.Application.Abstractions;
using CardMall.Domain.Chats;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Chats;

/// <summary>
/// A chat as its buyer sees it — where it stands and the messages after <paramref name="AfterSeq"/> (0: the whole
/// conversation, as after a reload; a reconnecting client passes the last number it saw). Internal notes are never
/// in it; somebody else's chat is a 404. Staff (<paramref name="AsStaff"/>) see any chat, notes included.
/// </summary>
public sealed record GetChat(Guid ChatId, int AfterSeq = 0, bool AsStaff = false) : IRequest<ChatView>;

internal sealed class GetChatHandler(ICardMallDb db, ICurrentUser currentUser, ChatDesk desk, ChatQueue queue) : IRequestHandler<GetChat, ChatView>
{
    public async Task<ChatView> Handle(GetChat request, CancellationToken ct)
    {
        var me = request.AsStaff ? currentUser.RequireAnyRole(ChatDesk.WorkRoles) : currentUser.RequireUserId();
        var chat = await db.Chats.AsNoTracking().FirstOrDefaultAsync(c => c.Id == request.ChatId, ct);
        if (chat is null || (!request.AsStaff && chat.BuyerId != me)) throw ChatDesk.NotFound();

        var messages = await (from m in db.ChatMessages.AsNoTracking()
                              where m.ChatId == chat.Id && m.Seq > request.AfterSeq && (request.AsStaff || m.Author != ChatAuthor.Note)
                              orderby m.Seq
                              join u in db.Users on m.AuthorId equals u.Id into authors
                              from u in authors.DefaultIfEmpty()
                              select new { Message = m, Name = u == null ? null : u.DisplayName })
            .Take(1000).ToListAsync(ct);
        var agentName = chat.AgentId is { } agent ? await desk.NameOfAsync(agent, ct) : null;
        var ticketNo = chat.TicketId is { } t ? await db.Tickets.Where(x => x.Id == t).Select(x => x.No).FirstAsync(ct) : null;
        var state = await queue.StateAsync(chat, agentName, ticketNo, desk.Now, ct);
        return new ChatView(state, chat.Culture, chat.OrderId, chat.CreatedAt,
            [.. messages.Select(m => ChatWording.View(m.Message, m.Message.Author is ChatAuthor.Buyer or ChatAuthor.System ? null : NameOrAgent(m.Name)))]);
    }

    private static string NameOrAgent(string? name) => string.IsNullOrEmpty(name) ? Localization.AppText.Get("Chats.AnAgent") : name;
}

public sealed record ChatView(ChatState State, string Culture, Guid? OrderId, DateTimeOffset StartedAt, IReadOnlyList<ChatMessageView> Messages);
