using CardMall.Domain.Accounts;
using CardMall.Domain.Common;

namespace CardMall.Domain.Orders;

public enum OrderStatus
{
    Delivered = 0,
    PartiallyRefunded = 1,
    Refunded = 2,
}

/// <summary>
/// A purchase: paid from the wallet and delivered as card keys in the same transaction, so there is no
/// "paid but not delivered" state. The idempotency key makes a double click return this same order.
/// </summary>
public sealed class Order : AggregateRoot
{
    private Order() { }

    public Order(string no, Guid userId, Guid productId, int quantity, decimal unitPrice, MemberTier tier, int noticesVersion,
        string? idempotencyKey, string? requestHash, string channel, DateTimeOffset now, Guid? guideArticleId = null)
    {
        Id = Guid.NewGuid();
        No = no;
        UserId = userId;
        ProductId = productId;
        Quantity = quantity;
        UnitPrice = unitPrice;
        Total = unitPrice * quantity;
        Tier = tier;
        NoticesVersion = noticesVersion;
        IdempotencyKey = idempotencyKey;
        RequestHash = requestHash;
        Channel = channel;
        CreatedAt = now;
        Status = OrderStatus.Delivered;
        // Delivered now, so the product's guide is due now; the handler sends it once per buyer and guide.
        if (guideArticleId is { } guide) Raise(new OrderCameWithGuide(this, guide));
    }

    public Guid Id { get; private set; }
    public string No { get; private set; } = "";
    public Guid UserId { get; private set; }
    public Guid ProductId { get; private set; }
    public int Quantity { get; private set; }
    public decimal UnitPrice { get; private set; }
    public decimal Total { get; private set; }
    public MemberTier Tier { get; private set; }
    public OrderStatus Status { get; private set; }
    /// <summary>The version of the product's notices the buyer accepted (evidence in disputes).</summary>
    public int NoticesVersion { get; private set; }
    public string? IdempotencyKey { get; private set; }
    public string? RequestHash { get; private set; }
    /// <summary>web or api.</summary>
    public string Channel { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    /// <summary>Money given back for this order so far; never more than <see cref="Total"/> (also a database check).</summary>
    public decimal RefundedAmount { get; private set; }
    /// <summary>
    /// Goodwill compensation paid on the order's tickets. It counts against the order's total together with
    /// refunds (also a database check): otherwise a ¥10 order could be "compensated" ¥200 on each of many tickets.
    /// </summary>
    public decimal CompensatedAmount { get; private set; }
    public List<OrderItem> Items { get; private set; } = [];

    /// <summary>Everything paid back on the order, refunds and compensation alike.</summary>
    public decimal PaidBack => RefundedAmount + CompensatedAmount;

    /// <summary>What can still be paid back on the order, as a refund or as compensation.</summary>
    public decimal Refundable => Total - PaidBack;

    /// <summary>Records money given back; the status says whether anything is left.</summary>
    public void Refund(decimal amount)
    {
        RequireWithinTotal(amount);
        RefundedAmount += amount;
        Status = RefundedAmount == Total ? OrderStatus.Refunded : OrderStatus.PartiallyRefunded;
    }

    /// <summary>Records goodwill paid on the order's tickets; the order's status (about refunds) stays as it is.</summary>
    public void Compensate(decimal amount)
    {
        RequireWithinTotal(amount);
        CompensatedAmount += amount;
    }

    private void RequireWithinTotal(decimal amount)
    {
        if (amount <= 0 || amount > Refundable)
            throw new ArgumentOutOfRangeException(nameof(amount), "A payout is positive and at most what is left of the order.");
    }
}

/// <summary>
/// An order of a product that has a security or usage guide (Product.GuideArticleId) was delivered: the buyer is
/// sent the guide, once per guide (主动服务).
/// </summary>
public sealed record OrderCameWithGuide(Order Order, Guid GuideArticleId) : IDomainEvent;

/// <summary>One delivered key of an order.</summary>
public sealed class OrderItem
{
    private OrderItem() { }

    public OrderItem(Guid orderId, Guid cardKeyId, DateTimeOffset now, Guid? replacesItemId = null)
    {
        Id = Guid.CreateVersion7();
        OrderId = orderId;
        CardKeyId = cardKeyId;
        CreatedAt = now;
        ReplacesItemId = replacesItemId;
    }

    public Guid Id { get; private set; }
    public Guid OrderId { get; private set; }
    public Guid CardKeyId { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    /// <summary>Set on a replacement key: the item whose (now void) key it replaces.</summary>
    public Guid? ReplacesItemId { get; private set; }
}
