using CardMall.Application.Abstractions;
using CardMall.Application.Features.Tickets;
using CardMall.Application.Localization;
using CardMall.Domain.CardKeys;
using CardMall.Domain.Common;
using CardMall.Domain.Tickets;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Risk;

/// <summary>
/// What an incident's remedy does to one affected item, on a ticket the caller holds locked: a fresh key through
/// the same <see cref="KeyReplacement"/> as an agent's, or the price back through the same payment path as an
/// agent's refund. An item settled already (its key void, its refund paid) is left alone, so pressing again is safe.
/// </summary>
internal sealed class IncidentItemRemedy(ICardMallDb db, KeyReplacement replacement, RemedyDesk remedies, RefundedKeys refundedKeys, IStockCounts stockCounts)
{
    /// <summary>
    /// Refuses before anything changes when stock cannot cover every key still to replace: half an incident
    /// replaced is worse than none. The operator imports keys first (the frozen batch does not count).
    /// </summary>
    public async Task RequireStockAsync(IReadOnlyList<AffectedItem> items, DateTimeOffset now, CancellationToken ct)
    {
        var keyIds = items.Select(i => i.CardKeyId).ToList();
        var needed = await db.CardKeys.Where(k => keyIds.Contains(k.Id) && k.State != CardKeyState.Void)
            .GroupBy(k => k.ProductId).Select(g => new { ProductId = g.Key, Count = g.Count() }).ToListAsync(ct);
        var sellable = await stockCounts.SellableAsync(needed.Select(n => n.ProductId).ToList(), now, ct);
        foreach (var need in needed)
        {
            var available = sellable.GetValueOrDefault(need.ProductId);
            if (available < need.Count) throw await OutOfStockAsync(need.ProductId, need.Count, available, ct);
        }
    }

    private async Task<DomainRuleException> OutOfStockAsync(Guid productId, int needed, int available, CancellationToken ct)
    {
        var sku = await db.Products.Where(p => p.Id == productId).Select(p => p.Sku).FirstAsync(ct);
        return new DomainRuleException(ErrorCodes.OutOfStock, AppText.Format("Incidents.OutOfStock", needed, sku, available));
    }

    public async Task<ItemRemedied> ReplaceAsync(Ticket ticket, AffectedItem item, Guid actor, CancellationToken ct)
    {
        // Read after the ticket's lock: an agent replacing the same key holds that lock too.
        var state = await db.CardKeys.AsNoTracking().Where(k => k.Id == item.CardKeyId).Select(k => k.State).FirstAsync(ct);
        if (state == CardKeyState.Void) return ItemRemedied.AlreadyDone;
        try
        {
            await replacement.ReplaceAsync(ticket, item.ItemId, actor, ct);
        }
        catch (DomainRuleException e) when (e.Code == ErrorCodes.OutOfStock)
        {
            // Stock ran out between the check and here (buyers bought the last keys): the whole press rolls back.
            throw new DomainRuleException(ErrorCodes.OutOfStock, AppText.Get("Incidents.StockRanOut"));
        }
        return new ItemRemedied(Replaced: true, 0m);
    }

    /// <summary>
    /// Refunds the item's price to the buyer's wallet through the same payment path as an agent's refund
    /// (order lock, refundable check, wallet lock, ledger, timeline, notice). Incident remedies are decided
    /// by the operator per incident, so the agents' and supervisors' payout limits do not apply — but no refund
    /// ever passes what is left of the order (refunds and compensation together). The refunded key is voided by
    /// the same rule as every refunded key (<see cref="RefundedKeys"/>): the buyer has their money, and a
    /// replacement press later finds nothing left to do.
    /// </summary>
    public async Task<ItemRemedied> RefundAsync(Ticket ticket, AffectedItem item, string incidentNo, Guid actor, DateTimeOffset now,
        CancellationToken ct)
    {
        var requestKey = IncidentItems.RefundKey(incidentNo, item.ItemId);
        var state = await db.CardKeys.AsNoTracking().Where(k => k.Id == item.CardKeyId).Select(k => k.State).FirstAsync(ct);
        if (state == CardKeyState.Void || await db.Payouts.AnyAsync(p => p.TicketId == ticket.Id && p.RequestKey == requestKey, ct))
            return ItemRemedied.AlreadyDone;

        var order = await remedies.LockOrderAsync(item.OrderId, ct);
        var left = order.Refundable - await remedies.PendingOnOrderAsync(order.Id, except: null, ct);
        var amount = Math.Min(order.UnitPrice, left);
        if (amount <= 0)
        {
            // The order was refunded in full already (an agent did it): nothing is left to give back, and the
            // faulty key goes out of use like every refunded one.
            await refundedKeys.VoidAsync(item.CardKeyId, actor, RefundedKeys.VoidedOnTicket + ticket.No, ct);
            return ItemRemedied.AlreadyDone;
        }

        var payout = new Payout(ticket.Id, order.Id, PayoutKind.Refund, amount, $"批次问题退款 · Refund for a faulty key batch ({incidentNo})",
            actor, requestKey, now);
        db.Payouts.Add(payout);
        await remedies.PayAsync(ticket, payout, order, ct);

        await refundedKeys.VoidAsync(item.CardKeyId, actor, RefundedKeys.VoidedOnTicket + ticket.No, ct);
        return new ItemRemedied(Replaced: false, amount);
    }
}

/// <summary>What the remedy did to one item: a new key, money back (<see cref="Refunded"/> above zero), or nothing left to do.</summary>
internal sealed record ItemRemedied(bool Replaced, decimal Refunded)
{
    public static readonly ItemRemedied AlreadyDone = new(false, 0m);
}
