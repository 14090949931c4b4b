using CardMall.Application.Abstractions;
using CardMall.Domain.CardKeys;
using CardMall.Domain.Orders;
using CardMall.Domain.Tickets;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Tickets;

/// <summary>
/// A refunded key leaves no usable key behind — the same rule for an agent's refund, an approved refund and an
/// incident's bulk refund (<see cref="CardKey.VoidRefunded"/>): once the order is refunded in full every key of
/// it is void, and a refund that covers all of a ticket's keys on the order (their price or more) voids those.
/// A void key is never revealed, never sold again and never replaced. The caller holds the order's lock.
/// </summary>
internal sealed class RefundedKeys(ICardMallDb db, TimeProvider clock)
{
    /// <summary>The voided key's event detail, followed by the ticket number (pages word it in the reader's language).</summary>
    public const string VoidedOnTicket = "refunded on ticket ";

    public async Task VoidCoveredAsync(Ticket ticket, Order lockedOrder, decimal amount, Guid? actor, CancellationToken ct)
    {
        List<Guid> keyIds;
        if (lockedOrder.Status == OrderStatus.Refunded)
        {
            keyIds = await db.OrderItems.Where(i => i.OrderId == lockedOrder.Id).Select(i => i.CardKeyId).ToListAsync(ct);
        }
        else
        {
            keyIds = await (from ti in db.TicketItems
                            join i in db.OrderItems on ti.OrderItemId equals i.Id
                            join k in db.CardKeys on i.CardKeyId equals k.Id
                            where ti.TicketId == ticket.Id && i.OrderId == lockedOrder.Id && k.State != CardKeyState.Void
                            select k.Id).Distinct().ToListAsync(ct);
            // A partial refund that does not pay back every key it is about says nothing about which key it was for.
            if (keyIds.Count == 0 || amount < lockedOrder.UnitPrice * keyIds.Count) return;
        }
        foreach (var keyId in keyIds.Order()) await VoidAsync(keyId, actor, VoidedOnTicket + ticket.No, ct);
    }

    /// <summary>Voids one refunded key under its row lock; nothing happens when it already is void.</summary>
    public async Task VoidAsync(Guid cardKeyId, Guid? actor, string reason, CancellationToken ct)
    {
        var key = await db.Locks.CardKeyAsync(cardKeyId, ct);
        if (key.VoidRefunded(actor, reason, clock.GetUtcNow()) is { } voided) db.CardKeyEvents.Add(voided);
    }
}
