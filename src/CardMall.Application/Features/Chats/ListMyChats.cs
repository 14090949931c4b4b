using CardMall.Application.Abstractions;
using CardMall.Domain.Chats;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Chats;

/// <summary>The buyer's service history: their chats, newest first, each with how it ended and its first words.</summary>
public sealed record ListMyChats(int Limit = 30) : IRequest<IReadOnlyList<MyChatLine>>;

/// <param name="Status">The API's word (<c>queued</c>, <c>active</c>, <c>ended</c>, <c>offline</c>).</param>
public sealed record MyChatLine(Guid ChatId, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, string Status, string? Agent, string? TicketNo, int? Rating, string FirstWords);

internal sealed class ListMyChatsHandler(ICardMallDb db, ICurrentUser currentUser) : IRequestHandler<ListMyChats, IReadOnlyList<MyChatLine>>
{
    public async Task<IReadOnlyList<MyChatLine>> Handle(ListMyChats request, CancellationToken ct)
    {
        var me = currentUser.RequireUserId();
        var rows = await (from c in db.Chats.AsNoTracking()
                          where c.BuyerId == me
                          orderby c.CreatedAt descending
                          join u in db.Users on c.AgentId equals u.Id into agents
                          from u in agents.DefaultIfEmpty()
                          join t in db.Tickets on c.TicketId equals t.Id into tickets
                          from t in tickets.DefaultIfEmpty()
                          select new
                          {
                              c.Id, c.CreatedAt, c.EndedAt, c.Status, Agent = u == null ? null : u.DisplayName, TicketNo = t == null ? null : t.No, c.Rating,
                              First = db.ChatMessages.Where(m => m.ChatId == c.Id && m.Author == ChatAuthor.Buyer).OrderBy(m => m.Seq).Select(m => m.Body).FirstOrDefault(),
                          }).Take(Math.Clamp(request.Limit, 1, 100)).ToListAsync(ct);
        return [.. rows.Select(r => new MyChatLine(r.Id, r.CreatedAt, r.EndedAt, ChatWording.Status(r.Status), r.Agent, r.TicketNo, r.Rating,
            Shorten(r.First ?? "")))];
    }

    private static string Shorten(string text) => text.Length > 60 ? text[..60] + "…" : text;
}
