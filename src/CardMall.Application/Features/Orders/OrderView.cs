using CardMall.Application.Abstractions;
using CardMall.Application.Localization;
using CardMall.Domain.CardKeys;
using CardMall.Domain.Common;
using CardMall.Domain.Orders;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Application.Features.Orders;

/// <summary>
/// An order as its buyer sees it. Codes are filled in only when the keys were revealed. An order awaiting its
/// gateway payment shows no items (its keys are reserved, not the buyer's yet) but where and until when to pay.
/// </summary>
public sealed record OrderView(
    string OrderNo, OrderStatus Status, decimal Total, decimal UnitPrice, int Quantity, DateTimeOffset CreatedAt,
    string Sku, string ProductName, int NoticesVersion, IReadOnlyList<OrderItemView> Items, bool Created,
    string PaymentMethod = Order.WalletPayment, string? PayUrl = null, DateTimeOffset? PayBy = null,
    IReadOnlyList<OrderRefundView>? Refunds = null)
{
    public override string ToString() => $"OrderView({OrderNo}, {Items.Count} items)";
}

/// <summary>Money going back through the gateway on this order (a late or second payment, an after-sales refund): how much, why, where it stands.</summary>
public sealed record OrderRefundView(decimal Amount, Domain.Payments.PaymentRefundReason Reason, Domain.Payments.PaymentRefundStatus Status, DateTimeOffset CreatedAt, DateTimeOffset? DoneAt);

public sealed record OrderItemView(Guid ItemId, CardKeyState State, DateTimeOffset? ExpiresAt, string? Code, string? Secret)
{
    // A record prints its members; a decrypted key must never reach a log that way.
    public override string ToString() => $"OrderItemView({ItemId}, {State}, ****)";
}

/// <summary>The names of an order's product, as the order view shows them.</summary>
public sealed record ProductNames(string Sku, string NameZh, string NameEn);

/// <summary>
/// Loads a buyer's own order, optionally decrypting its keys and adding a reveal event for each —
/// only from a command, whose transaction saves the events with everything else.
/// </summary>
internal sealed class OrderReading(ICardMallDb db, ICurrentUser currentUser, ICardKeyVault vault, TimeProvider clock)
{
    /// <summary>The caller's order, or null: somebody else's order is indistinguishable from none.</summary>
    public Task<Order?> FindOwnAsync(string orderNo, CancellationToken ct)
    {
        var userId = currentUser.RequireUserId();
        return db.Orders.Include(o => o.Items).FirstOrDefaultAsync(o => o.No == orderNo && o.UserId == userId, ct);
    }

    /// <summary>
    /// Decrypts one key of the caller's order and records who saw it, how, when and from where: every
    /// way a buyer can see a key (page reveal, API read, download) goes through here.
    /// </summary>
    public OpenedCardKey Open(CardKey key, Order order, CardKeyEventKind kind, string detail)
    {
        // A key reserved for an unpaid order is not the buyer's yet: no way of seeing a key gets past this.
        if (key.State == CardKeyState.Reserved || order.Status is OrderStatus.AwaitingPayment or OrderStatus.Expired)
            throw new NotFoundException(AppText.Get("Orders.NotFound"));
        var opened = vault.Open(key);
        db.CardKeyEvents.Add(CardKeyEvent.Record(key.Id, kind, clock.GetUtcNow(), currentUser.UserId, detail,
            currentUser.IpAddress, currentUser.UserAgent, order.Id));
        return opened;
    }

    public async Task<OrderView> ViewAsync(Order order, bool reveal, string channel, bool created, CancellationToken ct)
    {
        var keyIds = order.Items.Select(i => i.CardKeyId).ToList();
        var keys = await db.CardKeys.Where(k => keyIds.Contains(k.Id)).ToDictionaryAsync(k => k.Id, ct);
        var product = await db.Products.AsNoTracking().Where(p => p.Id == order.ProductId)
            .Select(p => new ProductNames(p.Sku, p.NameZh, p.NameEn)).FirstAsync(ct);
        var view = View(order, keys, product, reveal, channel, created);
        if (!order.IsPaidByGateway) return view;
        // Only a gateway order can have money going back through its gateway (ix_payment_refunds_reference).
        var refunds = await db.PaymentRefunds.AsNoTracking().Where(r => r.Reference == order.No).OrderBy(r => r.CreatedAt)
            .Select(r => new OrderRefundView(r.Amount, r.Reason, r.Status, r.CreatedAt, r.DoneAt)).ToListAsync(ct);
        return view with { Refunds = refunds };
    }

    /// <summary>The view of an order whose keys and product are already at hand (checkout): no reads.</summary>
    public OrderView View(Order order, IReadOnlyDictionary<Guid, CardKey> keys, ProductNames product, bool reveal, string channel, bool created)
    {
        var items = new List<OrderItemView>();
        var delivered = order.Status is not (OrderStatus.AwaitingPayment or OrderStatus.Expired);
        foreach (var item in delivered ? order.Items.OrderBy(i => i.CreatedAt).ThenBy(i => i.Id) : Enumerable.Empty<OrderItem>())
        {
            var key = keys[item.CardKeyId];
            string? code = null, secret = null;
            // A void (replaced) key is never shown again; a frozen one not while the team checks it.
            if (reveal && key.State is not (CardKeyState.Void or CardKeyState.Frozen))
            {
                var opened = Open(key, order, CardKeyEventKind.Revealed, "channel:" + channel);
                code = opened.Code;
                secret = opened.Secret;
            }
            items.Add(new OrderItemView(item.Id, key.State, key.ExpiresAt, code, secret));
        }
        var name = VisitorLanguage.IsEnglish ? product.NameEn : product.NameZh;
        return new OrderView(order.No, order.Status, order.Total, order.UnitPrice, order.Quantity, order.CreatedAt,
            product.Sku, name, order.NoticesVersion, items, created, order.PaymentMethod, order.PayUrl,
            order.Status == OrderStatus.AwaitingPayment ? order.PayBy : null);
    }
}
