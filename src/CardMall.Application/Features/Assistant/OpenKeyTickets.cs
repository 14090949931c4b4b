using CardMall.Application.Abstractions;
using CardMall.Domain.Tickets;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Assistant;

/// <summary>
/// The buyer's tickets still being worked that are about some of these keys (order items). The assistant
/// asks before it files: a buyer who says "卡密无效" again about a key that already has an open ticket joins
/// that ticket instead of opening another — one open ticket per key, so repeating a complaint neither
/// floods the queue nor counts twice towards a batch incident.
/// </summary>
internal static class OpenKeyTickets
{
    /// <summary>For each item that has one, the oldest open ticket of <paramref name="buyerId"/> about it.</summary>
    public static async Task<IReadOnlyDictionary<Guid, OpenKeyTicket>> OfItemsAsync(
        ICardMallDb db, Guid buyerId, IReadOnlyCollection<Guid> itemIds, CancellationToken ct)
    {
        if (itemIds.Count == 0) return new Dictionary<Guid, OpenKeyTicket>();
        var active = TicketLifecycle.ActiveStatuses;
        var rows = await (from ti in db.TicketItems
                          join t in db.Tickets on ti.TicketId equals t.Id
                          where itemIds.Contains(ti.OrderItemId) && t.BuyerId == buyerId && active.Contains(t.Status)
                          orderby t.CreatedAt
                          select new { ti.OrderItemId, t.Id, t.No }).ToListAsync(ct);
        var byItem = new Dictionary<Guid, OpenKeyTicket>();
        foreach (var row in rows) byItem.TryAdd(row.OrderItemId, new OpenKeyTicket(row.Id, row.No));
        return byItem;
    }
}

internal sealed record OpenKeyTicket(Guid TicketId, string TicketNo);
