using CardMall.Domain.Common;

namespace CardMall.Domain.Payments;

/// <summary>Why money goes back through a gateway.</summary>
public enum PaymentRefundReason
{
    /// <summary>The payment arrived after its order expired and gave its keys back.</summary>
    LatePayment = 0,
    /// <summary>A second payment for an order that was already paid.</summary>
    DuplicatePayment = 1,
    /// <summary>After-sales decided a refund on a gateway-paid order, to go back the way the money came.</summary>
    AfterSales = 2,
}

public enum PaymentRefundStatus
{
    /// <summary>Decided, not yet done: the payment watcher asks the gateway.</summary>
    Pending = 0,
    /// <summary>The gateway gave the money back to the payer.</summary>
    Refunded = 1,
    /// <summary>The gateway could not (no refund interface, or it kept failing): the buyer's wallet was credited instead.</summary>
    ToWallet = 2,
}

/// <summary>
/// Money going back to a payer through the gateway that took it. Recorded in the transaction that decides it
/// (so it happens once: a late payment's notification replayed ten times finds its refund already recorded,
/// by the unique gateway and trade number) and carried out afterwards by the payment watcher, outside any
/// transaction, because a gateway call must never hold a row lock. A refund the gateway cannot make goes to
/// the buyer's wallet: nothing is kept without keys.
/// </summary>
public sealed class PaymentRefund
{
    /// <summary>Gateway attempts before the money goes to the wallet instead.</summary>
    public const int MaxAttempts = 5;

    private PaymentRefund() { }

    public PaymentRefund(string no, string gateway, string reference, string tradeNo, decimal amount, PaymentRefundReason reason,
        Guid userId, DateTimeOffset now, bool toWallet = false)
    {
        if (amount <= 0) throw new ArgumentOutOfRangeException(nameof(amount), "A refund is positive.");
        Id = Guid.CreateVersion7();
        No = no;
        Gateway = gateway;
        Reference = reference;
        TradeNo = tradeNo;
        Amount = amount;
        Reason = reason;
        UserId = userId;
        CreatedAt = now;
        NextAttemptAt = now;
        ToWalletRequested = toWallet;
        Status = PaymentRefundStatus.Pending;
    }

    public Guid Id { get; private set; }
    /// <summary>Our refund number, sent to the gateway (out_request_no): asking again with it never pays twice.</summary>
    public string No { get; private set; } = "";
    public string Gateway { get; private set; } = "";
    /// <summary>The order number the payment was for.</summary>
    public string Reference { get; private set; } = "";
    public string TradeNo { get; private set; } = "";
    public decimal Amount { get; private set; }
    public PaymentRefundReason Reason { get; private set; }
    /// <summary>The buyer: told when it is done, and credited if the gateway cannot pay back.</summary>
    public Guid UserId { get; private set; }
    /// <summary>The buyer chose the wallet over the way the money came (after-sales).</summary>
    public bool ToWalletRequested { get; private set; }
    public PaymentRefundStatus Status { get; private set; }
    public int Attempts { get; private set; }
    public DateTimeOffset? NextAttemptAt { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? DoneAt { get; private set; }
    /// <summary>The gateway's last answer when it failed (never a secret).</summary>
    public string? LastError { get; private set; }

    public bool IsDone => Status != PaymentRefundStatus.Pending;

    /// <summary>The gateway paid it back.</summary>
    public bool MarkRefunded(DateTimeOffset now) => Finish(PaymentRefundStatus.Refunded, now);

    /// <summary>The buyer's wallet was credited instead (the caller posts the ledger entry in the same transaction).</summary>
    public bool MarkToWallet(DateTimeOffset now) => Finish(PaymentRefundStatus.ToWallet, now);

    /// <summary>
    /// The gateway failed; try again later, with growing pauses. True when the attempts are used up and the money
    /// should go to the wallet instead.
    /// </summary>
    public bool Failed(string? detail, DateTimeOffset now)
    {
        if (IsDone) throw new InvalidOperationException("The refund is already done.");
        Attempts++;
        LastError = detail is { Length: > 200 } ? detail[..200] : detail;
        NextAttemptAt = now + TimeSpan.FromMinutes(Math.Pow(2, Attempts));
        return Attempts >= MaxAttempts;
    }

    private bool Finish(PaymentRefundStatus status, DateTimeOffset now)
    {
        if (IsDone) return false;
        Attempts++;
        Status = status;
        DoneAt = now;
        NextAttemptAt = null;
        return true;
    }
}
