using CardMall.Domain.Accounts;
using CardMall.Domain.Common;

namespace CardMall.Domain.Orders;

public enum OrderStatus
{
    Delivered = 0,
    PartiallyRefunded = 1,
    Refunded = 2,
    /// <summary>Paid by a gateway and not paid yet: its keys are reserved until <see cref="Order.PayBy"/>.</summary>
    AwaitingPayment = 3,
    /// <summary>Not paid in time: its keys went back to stock. A payment that still arrives is paid back.</summary>
    Expired = 4,
}

/// <summary>
/// A purchase. Paid from the wallet, it is delivered as card keys in the same transaction, so there is no
/// "paid but not delivered" state. Paid by a gateway, it waits for the payment with its keys reserved
/// (<see cref="OrderStatus.AwaitingPayment"/>) and is delivered in the transaction that settles the payment,
/// or expires and gives its keys back: again never money without keys, never keys without money.
/// The idempotency key makes a double click return this same order.
/// </summary>
public sealed class Order : AggregateRoot
{
    private Order() { }

    public Order(string no, Guid userId, Guid productId, int quantity, decimal unitPrice, MemberTier tier, int noticesVersion,
        string? idempotencyKey, string? requestHash, string channel, DateTimeOffset now, Guid? guideArticleId = null,
        OrderPayment? payment = null)
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
        GuideArticleId = guideArticleId;
        if (payment is { } byGateway)
        {
            PaymentMethod = byGateway.Gateway;
            PayBy = byGateway.PayBy;
            Status = OrderStatus.AwaitingPayment;
            return;
        }
        PaymentMethod = WalletPayment;
        PaidAt = now;
        Deliver();
    }

    /// <summary>The <see cref="PaymentMethod"/> of an order paid from the wallet.</summary>
    public const string WalletPayment = "wallet";

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
    /// <summary>"wallet", or the code of the gateway it is paid through ("sandbox", "alipay", "epay").</summary>
    public string PaymentMethod { get; private set; } = WalletPayment;
    /// <summary>Until when a gateway order can be paid (its keys are reserved until then); null for wallet orders.</summary>
    public DateTimeOffset? PayBy { get; private set; }
    /// <summary>The gateway's page to pay this order on, kept while it waits for the payment.</summary>
    public string? PayUrl { get; private set; }
    /// <summary>The gateway's trade number of the payment that paid it.</summary>
    public string? GatewayTradeNo { get; private set; }
    public DateTimeOffset? PaidAt { get; private set; }
    /// <summary>The product's security or usage guide, sent once the order is delivered (主动服务).</summary>
    public Guid? GuideArticleId { get; private set; }

    public bool IsPaidByGateway => PaymentMethod != WalletPayment;

    /// <summary>The contact e-mail of a guest checkout (trimmed, lower case); null for a member's order.</summary>
    public string? GuestEmail { get; private set; }
    /// <summary>The guest's lookup password (查询密码), hashed by Identity's password hasher; never the password.</summary>
    public string? LookupPasswordHash { get; private set; }
    /// <summary>The client address a guest checkout came from: counts its orders still awaiting payment.</summary>
    public string? GuestAddress { get; private set; }

    public bool IsGuestOrder => GuestEmail is not null;

    /// <summary>A guest checkout's order: found again on the lookup page by its e-mail or number and the lookup password.</summary>
    public void KeepForGuest(string email, string lookupPasswordHash, string? address)
    {
        if (GuestEmail is not null) throw new InvalidOperationException("The order already belongs to a guest checkout.");
        GuestEmail = NormaliseEmail(email);
        LookupPasswordHash = lookupPasswordHash;
        GuestAddress = address is { Length: > 64 } ? address[..64] : address;
    }

    /// <summary>
    /// A member proved this guest order theirs (lookup password or signed link, same confirmed e-mail): the order
    /// is theirs from now on and no longer opened as a guest's.
    /// </summary>
    public void PassToMember(Guid memberId)
    {
        if (GuestEmail is null) throw new InvalidOperationException("Only a guest order can be claimed.");
        UserId = memberId;
        LookupPasswordHash = null;
    }

    /// <summary>How guest e-mails are compared: trimmed, lower case.</summary>
    public static string NormaliseEmail(string email) => email.Trim().ToLowerInvariant();

    /// <summary>Where the buyer pays, once the gateway has opened the payment.</summary>
    public void AwaitPaymentAt(string payUrl)
    {
        if (Status != OrderStatus.AwaitingPayment) throw new InvalidOperationException("Only an order awaiting payment has a pay page.");
        PayUrl = payUrl;
    }

    /// <summary>
    /// What a gateway's report of a paid payment means for this order: deliver it now (first payment in time),
    /// nothing (the same payment reported again), or pay it back (the order expired, or another payment already
    /// paid it, or it was paid from the wallet).
    /// </summary>
    public PaymentFit Fit(string gateway, string tradeNo)
    {
        if (Status == OrderStatus.AwaitingPayment && PaymentMethod == gateway) return PaymentFit.Settles;
        return GatewayTradeNo == tradeNo && PaymentMethod == gateway ? PaymentFit.AlreadySettled : PaymentFit.PayBack;
    }

    /// <summary>The gateway payment arrived in time: the order is paid and delivered (its keys are sold by the caller).</summary>
    public void Pay(string tradeNo, DateTimeOffset now)
    {
        if (Status != OrderStatus.AwaitingPayment) throw new InvalidOperationException("Only an order awaiting payment can be paid.");
        GatewayTradeNo = tradeNo;
        PaidAt = now;
        PayUrl = null;
        Deliver();
    }

    /// <summary>Nobody paid in time: the order expires and lets its items go (the caller releases their keys).</summary>
    public bool Expire(DateTimeOffset now)
    {
        if (Status != OrderStatus.AwaitingPayment || now < PayBy) return false;
        Status = OrderStatus.Expired;
        PayUrl = null;
        Items.Clear();
        return true;
    }

    private void Deliver()
    {
        Status = OrderStatus.Delivered;
        // Delivered now, so the product's guide is due now; the handler sends it once per buyer and guide.
        if (GuideArticleId is { } guide) Raise(new OrderCameWithGuide(this, guide));
    }

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

    /// <summary>
    /// An after-sales refund (already booked with <see cref="Refund"/>) on an order paid through a gateway: the money to
    /// send back through that gateway's trade, or to the wallet when <paramref name="toWallet"/> (the buyer's choice).
    /// </summary>
    public Payments.PaymentRefund RefundThroughGateway(string refundNo, decimal amount, bool toWallet, DateTimeOffset now) =>
        IsPaidByGateway && GatewayTradeNo is { } tradeNo
            ? new(refundNo, PaymentMethod, No, tradeNo, amount, Payments.PaymentRefundReason.AfterSales, UserId, now, toWallet)
            : throw new InvalidOperationException("Only an order paid through a gateway is refunded through it.");

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

/// <summary>How an order that waits for a gateway is paid: through which gateway, by when.</summary>
public sealed record OrderPayment(string Gateway, DateTimeOffset PayBy);

public enum PaymentFit
{
    /// <summary>The order was waiting for this payment: it is paid and delivered now.</summary>
    Settles = 0,
    /// <summary>This very payment already paid the order: nothing more happens.</summary>
    AlreadySettled = 1,
    /// <summary>The order cannot take this money (expired, or paid otherwise): it goes back to the payer.</summary>
    PayBack = 2,
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
