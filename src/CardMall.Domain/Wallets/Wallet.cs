namespace CardMall.Domain.Wallets;

public enum LedgerKind
{
    TopUp = 1,
    Purchase = 2,
    Refund = 3,
    Compensation = 4,
    Adjustment = 5,
}

/// <summary>
/// A buyer's CNY balance (余额). It only ever changes together with a ledger entry, so the balance
/// always equals the sum of the ledger; the database refuses a negative balance.
/// </summary>
public sealed class Wallet
{
    private Wallet() { }

    public Wallet(Guid userId, DateTimeOffset now)
    {
        UserId = userId;
        UpdatedAt = now;
    }

    public Guid UserId { get; private set; }
    public decimal Balance { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>How many purchases this wallet has paid: the buyer's order count, kept without counting orders.</summary>
    public int Purchases { get; private set; }

    /// <summary>Moves money in (positive) or out (negative) and returns the ledger line that explains it.</summary>
    public LedgerEntry Post(LedgerKind kind, decimal amount, string reference, DateTimeOffset now, Guid? actor = null, string? note = null)
    {
        if (amount == 0) throw new ArgumentOutOfRangeException(nameof(amount), "A ledger entry moves money.");
        if (decimal.Round(amount, 2) != amount) throw new ArgumentOutOfRangeException(nameof(amount), "Amounts are in fen.");
        if (Balance + amount < 0) throw new InsufficientBalanceException();
        Balance += amount;
        UpdatedAt = now;
        if (kind == LedgerKind.Purchase) Purchases++;
        return new LedgerEntry(UserId, kind, amount, Balance, reference, now, actor, note);
    }
}

public sealed class InsufficientBalanceException() : Common.DomainRuleException(Common.ErrorCodes.InsufficientBalance, "Not enough balance.");

/// <summary>One movement of money: what, how much, the balance after, and what it was for.</summary>
public sealed class LedgerEntry
{
    private LedgerEntry() { }

    public LedgerEntry(Guid userId, LedgerKind kind, decimal amount, decimal balanceAfter, string reference, DateTimeOffset at, Guid? actor, string? note)
    {
        UserId = userId;
        Kind = kind;
        Amount = amount;
        BalanceAfter = balanceAfter;
        Reference = reference;
        At = at;
        ActorUserId = actor;
        Note = note;
    }

    public long Id { get; private set; }
    public Guid UserId { get; private set; }
    public LedgerKind Kind { get; private set; }
    public decimal Amount { get; private set; }
    public decimal BalanceAfter { get; private set; }
    /// <summary>The order number, top-up number or adjustment this entry belongs to.</summary>
    public string Reference { get; private set; } = "";
    public DateTimeOffset At { get; private set; }
    public Guid? ActorUserId { get; private set; }
    public string? Note { get; private set; }
}

public enum TopUpStatus
{
    Pending = 0,
    Paid = 1,
    Expired = 2,
}

/// <summary>A buyer's request to add money through a payment gateway; credited exactly once.</summary>
public sealed class TopUp
{
    private TopUp() { }

    public TopUp(string no, Guid userId, decimal amount, string gateway, DateTimeOffset now, TimeSpan payWithin)
    {
        Id = Guid.NewGuid();
        No = no;
        UserId = userId;
        Amount = amount;
        Gateway = gateway;
        CreatedAt = now;
        ExpiresAt = now + payWithin;
        Status = TopUpStatus.Pending;
    }

    public Guid Id { get; private set; }
    public string No { get; private set; } = "";
    public Guid UserId { get; private set; }
    public decimal Amount { get; private set; }
    public string Gateway { get; private set; } = "";
    public string? GatewayTradeNo { get; private set; }
    public TopUpStatus Status { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }
    public DateTimeOffset? PaidAt { get; private set; }

    /// <summary>Marks the top-up paid; false when it already was (a replayed notify credits nothing).</summary>
    public bool MarkPaid(string gatewayTradeNo, DateTimeOffset now)
    {
        if (Status == TopUpStatus.Paid) return false;
        Status = TopUpStatus.Paid;
        GatewayTradeNo = gatewayTradeNo;
        PaidAt = now;
        return true;
    }

    public bool Expire(DateTimeOffset now)
    {
        if (Status != TopUpStatus.Pending || now < ExpiresAt) return false;
        Status = TopUpStatus.Expired;
        return true;
    }
}
