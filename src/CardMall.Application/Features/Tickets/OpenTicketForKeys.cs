using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.Common;
using CardMall.Domain.Tickets;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Tickets;

/// <summary>
/// A buyer has at most one open ticket per key: a second complaint about the same key joins the open one. This is
/// the one way every filing path (the ticket form and API, the bulk ticket, the assistant) asks "is one of these
/// keys already on an open ticket of this buyer's?". The keys' order-item rows are locked (in id order) for the
/// rest of the caller's transaction, so two filings about one key at the same moment take turns and the second
/// finds the first one's ticket: the check and the filing are one atomic step. Open means still being worked
/// (New, Open, WaitingOnBuyer, WaitingOnSupplier); a resolved ticket is reopened, or a new one filed.
/// </summary>
internal sealed class OpenTicketForKeys(ICardMallDb db)
{
    /// <summary>The open ticket of <paramref name="buyerId"/> about any of <paramref name="orderItemIds"/> (the oldest), or null.</summary>
    public async Task<string?> FindAsync(Guid buyerId, IReadOnlyCollection<Guid> orderItemIds, CancellationToken ct) =>
        (await FindEachAsync(buyerId, orderItemIds, ct)).Values.Order(StringComparer.Ordinal).FirstOrDefault();

    /// <summary>For each of <paramref name="orderItemIds"/> that has an open ticket of the buyer's, that ticket's number.</summary>
    public async Task<IReadOnlyDictionary<Guid, string>> FindEachAsync(Guid buyerId, IReadOnlyCollection<Guid> orderItemIds, CancellationToken ct)
    {
        if (orderItemIds.Count == 0) return new Dictionary<Guid, string>();
        var ids = orderItemIds.Distinct().Order().ToArray();
        await db.Locks.OrderItemsAsync(ids, ct);
        var open = await (from ti in db.TicketItems
                          join t in db.Tickets on ti.TicketId equals t.Id
                          where ids.Contains(ti.OrderItemId) && t.BuyerId == buyerId && TicketLifecycle.ActiveStatuses.Contains(t.Status)
                          select new { ti.OrderItemId, t.No }).ToListAsync(ct);
        return open.GroupBy(o => o.OrderItemId).ToDictionary(g => g.Key, g => g.Select(o => o.No).Order(StringComparer.Ordinal).First());
    }

    /// <summary>Refuses a new ticket about a key that already has an open one, naming it (409 invalid_state with its ticketNo).</summary>
    public async Task RequireNoneAsync(Guid buyerId, IReadOnlyCollection<Guid> orderItemIds, CancellationToken ct)
    {
        if (await FindAsync(buyerId, orderItemIds, ct) is { } open) throw new OpenTicketExistsException(open);
    }
}

/// <summary>A key of the complaint already has an open ticket of the buyer's: <see cref="TicketNo"/> is where the complaint belongs.</summary>
public sealed class OpenTicketExistsException(string ticketNo)
    : DomainRuleException(ErrorCodes.InvalidState, AppText.Format("Tickets.OpenTicketExists", ticketNo))
{
    public string TicketNo { get; } = ticketNo;
}
