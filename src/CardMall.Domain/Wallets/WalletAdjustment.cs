namespace CardMall.Domain.Wallets;

public enum WalletAdjustmentStatus
{
    PendingApproval = 0,
    Approved = 1,
    Rejected = 2,
}

/// <summary>
/// A manual balance correction above the four-eyes amount (双人复核): requested by one Operator or Admin,
/// it moves no money until a second one approves it. Decided once; the requester never decides it.
/// </summary>
public sealed class WalletAdjustment
{
    private WalletAdjustment() { }

    public WalletAdjustment(Guid userId, decimal amount, string reason, Guid requestedBy, string requestKey, DateTimeOffset now)
    {
        Id = Guid.CreateVersion7();
        UserId = userId;
        Amount = amount;
        Reason = reason;
        RequestedBy = requestedBy;
        RequestKey = requestKey;
        RequestedAt = now;
        Status = WalletAdjustmentStatus.PendingApproval;
    }

    public Guid Id { get; private set; }
    public Guid UserId { get; private set; }
    public decimal Amount { get; private set; }
    public string Reason { get; private set; } = "";
    /// <summary>The request's idempotency key: the same request sent twice waits once.</summary>
    public string RequestKey { get; private set; } = "";
    public Guid RequestedBy { get; private set; }
    public DateTimeOffset RequestedAt { get; private set; }
    public WalletAdjustmentStatus Status { get; private set; }
    public Guid? DecidedBy { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }

    /// <summary>The ledger reference of the money movement, the same whichever way the adjustment was made.</summary>
    public string LedgerReference => "ADJ-" + RequestKey;

    public bool IsPending => Status == WalletAdjustmentStatus.PendingApproval;

    public bool IsOwnRequest(Guid staffId) => RequestedBy == staffId;

    public void Approve(Guid approver, DateTimeOffset now) => Decide(WalletAdjustmentStatus.Approved, approver, now);

    public void Reject(Guid decider, DateTimeOffset now) => Decide(WalletAdjustmentStatus.Rejected, decider, now);

    private void Decide(WalletAdjustmentStatus to, Guid decider, DateTimeOffset now)
    {
        if (!IsPending) throw new InvalidOperationException("An adjustment is decided once.");
        if (IsOwnRequest(decider)) throw new InvalidOperationException("The requester never decides their own adjustment.");
        Status = to;
        DecidedBy = decider;
        DecidedAt = now;
    }
}
