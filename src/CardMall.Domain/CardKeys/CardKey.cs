using System.Linq.Expressions;

namespace CardMall.Domain.CardKeys;

/// <summary>
/// States of a card key (卡密). Frozen is reversible; Void is final. Reserved: held for an order awaiting its
/// gateway payment — not stock, not yet the buyer's; it becomes Sold when the payment settles or Available again
/// when the order expires.
/// </summary>
public enum CardKeyState
{
    Available = 0,
    Sold = 1,
    Redeemed = 2,
    Frozen = 3,
    Void = 4,
    Reserved = 5,
}

/// <summary>
/// One card key. The code and secret are stored only encrypted (AES-GCM, <see cref="KeyVersion"/> says
/// under which master key); <see cref="CodeHash"/> (HMAC-SHA256 of the normalised code) finds it and
/// makes duplicates impossible. Nothing here ever holds the plain code.
/// </summary>
public sealed class CardKey
{
    private CardKey() { }

    public CardKey(Guid id, Guid productId, Guid batchId, byte[] codeHash, byte[] codeCipher, byte[]? secretCipher, int keyVersion, DateTimeOffset? expiresAt, DateTimeOffset now)
    {
        Id = id;
        ProductId = productId;
        BatchId = batchId;
        CodeHash = codeHash;
        CodeCipher = codeCipher;
        SecretCipher = secretCipher;
        KeyVersion = keyVersion;
        ExpiresAt = expiresAt;
        CreatedAt = now;
        State = CardKeyState.Available;
    }

    public Guid Id { get; private set; }
    public Guid ProductId { get; private set; }
    public Guid BatchId { get; private set; }
    public byte[] CodeHash { get; private set; } = [];
    public byte[] CodeCipher { get; private set; } = [];
    public byte[]? SecretCipher { get; private set; }
    public int KeyVersion { get; private set; }
    public CardKeyState State { get; private set; }
    /// <summary>Where a frozen key returns when it is unfrozen.</summary>
    public CardKeyState? StateBeforeFreeze { get; private set; }
    public DateTimeOffset? ExpiresAt { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? SoldAt { get; private set; }
    public Guid? OrderId { get; private set; }

    public bool IsSold => SoldAt is not null;

    /// <summary>
    /// The one rule for "this key can still be sold at <paramref name="now"/>": available, and not expired
    /// (a key without an expiry never expires). For queries; <see cref="IsSellableAt"/> is the same rule for a
    /// loaded key. Key allocation (KeyAllocation), the stock counts (StockCounts over key_counts, where no
    /// expiry is stored as 'infinity') and the partial index ix_card_keys_sellable write it in SQL: keep them in step.
    /// </summary>
    public static Expression<Func<CardKey, bool>> SellableAt(DateTimeOffset now) =>
        k => k.State == CardKeyState.Available && (k.ExpiresAt == null || k.ExpiresAt > now);

    /// <summary>Whether this key can still be sold at <paramref name="now"/> (<see cref="SellableAt"/>, compiled once).</summary>
    public bool IsSellableAt(DateTimeOffset now) => Sellable(this, now);

    private static readonly Func<CardKey, DateTimeOffset, bool> Sellable = CompileSellable();

    private static Func<CardKey, DateTimeOffset, bool> CompileSellable()
    {
        // SellableAt's body, with its captured "now" turned into a parameter: the rule stays written once.
        var now = Expression.Parameter(typeof(DateTimeOffset), "now");
        var rule = SellableAt(default);
        var body = new CapturedNow(now).Visit(rule.Body);
        return Expression.Lambda<Func<CardKey, DateTimeOffset, bool>>(body, rule.Parameters[0], now).Compile();
    }

    /// <summary>Replaces the closure's captured <c>now</c> with a parameter.</summary>
    private sealed class CapturedNow(ParameterExpression now) : ExpressionVisitor
    {
        protected override Expression VisitMember(MemberExpression node) =>
            node.Type == typeof(DateTimeOffset) && node.Expression is ConstantExpression ? now : base.VisitMember(node);
    }

    /// <summary>Hands the key to an order. Only an available key can be sold, and only once.</summary>
    public CardKeyEvent Sell(Guid orderId, Guid buyer, DateTimeOffset now)
    {
        if (State != CardKeyState.Available || OrderId is not null)
            throw new InvalidOperationException("Only an available key can be sold.");
        State = CardKeyState.Sold;
        OrderId = orderId;
        SoldAt = now;
        return CardKeyEvent.Record(Id, CardKeyEventKind.Sold, now, buyer, null, orderId: orderId);
    }

    /// <summary>
    /// Holds an available key for an order awaiting payment: from now on no other buyer can take it (it is not
    /// Available, so neither allocation nor the stock counts see it), and it is not the buyer's until paid.
    /// </summary>
    public void Reserve(Guid orderId)
    {
        if (State != CardKeyState.Available || OrderId is not null)
            throw new InvalidOperationException("Only an available key can be reserved.");
        State = CardKeyState.Reserved;
        OrderId = orderId;
    }

    /// <summary>The order holding this key was paid: the key is sold to it, as at a wallet checkout.</summary>
    public CardKeyEvent SellReserved(Guid orderId, Guid buyer, DateTimeOffset now)
    {
        if (State != CardKeyState.Reserved || OrderId != orderId)
            throw new InvalidOperationException("Only a key reserved for this order can be sold to it.");
        State = CardKeyState.Sold;
        SoldAt = now;
        return CardKeyEvent.Record(Id, CardKeyEventKind.Sold, now, buyer, null, orderId: orderId);
    }

    /// <summary>The order holding this key expired unpaid: the key goes back to stock, with no trace of the order.</summary>
    public void Release(Guid orderId)
    {
        if (State != CardKeyState.Reserved || OrderId != orderId)
            throw new InvalidOperationException("Only a key reserved for this order can be released from it.");
        State = CardKeyState.Available;
        OrderId = null;
    }

    public void Reencrypt(byte[] codeCipher, byte[]? secretCipher, int keyVersion)
    {
        CodeCipher = codeCipher;
        SecretCipher = secretCipher;
        KeyVersion = keyVersion;
    }

    public CardKeyEvent Freeze(Guid? actor, string reason, DateTimeOffset now)
    {
        if (State is CardKeyState.Frozen or CardKeyState.Void)
            throw new InvalidOperationException($"A {State} key cannot be frozen.");
        StateBeforeFreeze = State;
        State = CardKeyState.Frozen;
        return CardKeyEvent.Record(Id, CardKeyEventKind.Frozen, now, actor, reason);
    }

    /// <summary>Takes a sold key out of use for good (it was replaced or refunded). Void is final.</summary>
    public CardKeyEvent Void(Guid? actor, string reason, DateTimeOffset now)
    {
        if (State == CardKeyState.Void)
            throw new InvalidOperationException("The key is already void.");
        State = CardKeyState.Void;
        StateBeforeFreeze = null;
        return CardKeyEvent.Record(Id, CardKeyEventKind.Voided, now, actor, reason, orderId: OrderId);
    }

    /// <summary>
    /// The one rule for a refunded key, whoever refunded it (an agent, an approver, an incident remedy): the
    /// buyer has their money back, so the key goes out of use for good — not revealable, not replaceable,
    /// never sold again. Null when it already is void (replaced earlier, or refunded twice over).
    /// </summary>
    public CardKeyEvent? VoidRefunded(Guid? actor, string reason, DateTimeOffset now) =>
        State == CardKeyState.Void ? null : Void(actor, reason, now);

    /// <summary>
    /// Somebody activated the sold key (the supplier reported it, or it was redeemed on the platform). Only
    /// a sold key moves; the event says where it was activated.
    /// </summary>
    public CardKeyEvent Redeem(Guid? actor, string detail, DateTimeOffset now, string? ip = null)
    {
        if (State != CardKeyState.Sold)
            throw new InvalidOperationException($"A {State} key cannot be redeemed.");
        State = CardKeyState.Redeemed;
        return CardKeyEvent.Record(Id, CardKeyEventKind.Redeemed, now, actor, detail, ip, orderId: OrderId);
    }

    public CardKeyEvent Unfreeze(Guid? actor, string reason, DateTimeOffset now)
    {
        if (State != CardKeyState.Frozen)
            throw new InvalidOperationException("Only a frozen key can be unfrozen.");
        State = StateBeforeFreeze ?? CardKeyState.Available;
        StateBeforeFreeze = null;
        return CardKeyEvent.Record(Id, CardKeyEventKind.Unfrozen, now, actor, reason);
    }
}

public enum CardKeyEventKind
{
    Sold = 1,
    Revealed = 2,
    Downloaded = 3,
    Frozen = 4,
    Unfrozen = 5,
    Redeemed = 6,
    Voided = 7,
    Reencrypted = 8,
}

/// <summary>
/// One line of a key's history (发放路径追溯): who did what, when, from where, and why. Never the
/// key itself.
/// </summary>
public sealed class CardKeyEvent
{
    private CardKeyEvent() { }

    public long Id { get; private set; }
    public Guid CardKeyId { get; private set; }
    public CardKeyEventKind Kind { get; private set; }
    public DateTimeOffset At { get; private set; }
    public Guid? ActorUserId { get; private set; }
    public string? Detail { get; private set; }
    public string? Ip { get; private set; }
    public string? UserAgent { get; private set; }
    public Guid? OrderId { get; private set; }

    public static CardKeyEvent Record(Guid cardKeyId, CardKeyEventKind kind, DateTimeOffset at, Guid? actor, string? detail,
        string? ip = null, string? userAgent = null, Guid? orderId = null) => new()
        {
            CardKeyId = cardKeyId,
            Kind = kind,
            At = at,
            ActorUserId = actor,
            Detail = detail is { Length: > 500 } ? detail[..500] : detail,
            Ip = ip,
            UserAgent = userAgent is { Length: > 300 } ? userAgent[..300] : userAgent,
            OrderId = orderId,
        };
}
