using CardMall.Domain.Chats;
using CardMall.Application.Abstractions;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Chats;

/// <summary>
/// The queue as it stands, first to last, each chat with its place and estimated wait — one read for all of them (the
/// dispatcher sends each waiting buyer their new place as the queue moves; supervisors watch it).
/// </summary>
public sealed record ListWaitingChats(int Limit = 1000) : IRequest<IReadOnlyList<WaitingChat>>;

internal sealed class ListWaitingChatsHandler(ICardMallDb db, ChatQueue queue, TimeProvider clock) : IRequestHandler<ListWaitingChats, IReadOnlyList<WaitingChat>>
{
    public async Task<IReadOnlyList<WaitingChat>> Handle(ListWaitingChats request, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var waiting = await db.Chats.AsNoTracking().Where(c => c.Status == ChatStatus.Queued || c.Status == ChatStatus.Offered)
            .OrderBy(c => c.QueuedAt).Take(request.Limit)
            .Select(c => new { c.Id, c.BuyerId, c.CreatedAt, c.Status, c.AgentId, c.Skill }).ToListAsync(ct);
        if (waiting.Count == 0) return [];
        var capacity = await queue.CapacityAsync(now, ct);
        return [.. waiting.Select((c, i) =>
        {
            var estimate = queue.EstimateSeconds(i + 1, capacity);
            return new WaitingChat(c.Id, c.BuyerId, i + 1, estimate, queue.MayLeaveMessage(estimate), now - c.CreatedAt,
                c.Status == ChatStatus.Offered ? c.AgentId : null, c.Skill);
        })];
    }
}

/// <param name="OfferedTo">The agent the chat is being offered to right now, if any.</param>
public sealed record WaitingChat(Guid ChatId, Guid BuyerId, int Position, int? EstimatedWaitSeconds, bool MayLeaveMessage, TimeSpan Waited,
    Guid? OfferedTo, Domain.Tickets.TicketCategory? Skill);
