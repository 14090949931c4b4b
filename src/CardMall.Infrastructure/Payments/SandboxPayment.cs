namespace CardMall.Infrastructure.Payments;

public enum SandboxPaymentStatus
{
    Unpaid = 0,
    Paid = 1,
    Closed = 2,
}

/// <summary>
/// The built-in sandbox gateway's own record of a payment, kept apart from the shop's top-ups as a real
/// gateway's would be: it knows the merchant's reference (a top-up or order number), not the buyer. It lives here only because
/// the one DbContext maps every table; the gateway itself is in CardMall.Web (Payments/).
/// </summary>
public sealed class SandboxPayment
{
    private SandboxPayment() { }

    public SandboxPayment(string tradeNo, string reference, decimal amount, string notifyUrl, string returnUrl, DateTimeOffset now, DateTimeOffset expiresAt)
    {
        TradeNo = tradeNo;
        Reference = reference;
        Amount = amount;
        NotifyUrl = notifyUrl;
        ReturnUrl = returnUrl;
        CreatedAt = now;
        ExpiresAt = expiresAt;
        Status = SandboxPaymentStatus.Unpaid;
    }

    public string TradeNo { get; private set; } = "";
    /// <summary>The merchant's number for what is paid: a top-up (TU…) or an order (CM…).</summary>
    public string Reference { get; private set; } = "";
    public decimal Amount { get; private set; }
    public SandboxPaymentStatus Status { get; private set; }
    /// <summary>Where the sandbox posts its signed notification (the merchant's notify URL).</summary>
    public string NotifyUrl { get; private set; } = "";
    /// <summary>Where the buyer is sent back after paying or cancelling (a local path).</summary>
    public string ReturnUrl { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }
    public DateTimeOffset? PaidAt { get; private set; }
    /// <summary>"Pay but lose the notification": the payment is made and no notification is ever sent.</summary>
    public bool DropNotify { get; private set; }
    public int NotifyAttempts { get; private set; }
    /// <summary>When the next notification attempt is due; null when none is (sent, given up, or never to be sent).</summary>
    public DateTimeOffset? NextNotifyAt { get; private set; }
    public DateTimeOffset? NotifiedAt { get; private set; }

    /// <summary>Given back to the payer so far; never more than <see cref="Amount"/> (also a database check).</summary>
    public decimal RefundedAmount { get; private set; }

    public bool CanBePaid(DateTimeOffset now) => Status == SandboxPaymentStatus.Unpaid && now < ExpiresAt;
}

/// <summary>
/// A refund the sandbox made on one of its payments. The merchant's refund number is the key, so asking twice
/// for the same refund gives money back once, as real gateways do (Alipay's out_request_no).
/// </summary>
public sealed class SandboxRefund
{
    private SandboxRefund() { }

    public SandboxRefund(string refundNo, string tradeNo, decimal amount, DateTimeOffset now)
    {
        RefundNo = refundNo;
        TradeNo = tradeNo;
        Amount = amount;
        CreatedAt = now;
    }

    public string RefundNo { get; private set; } = "";
    public string TradeNo { get; private set; } = "";
    public decimal Amount { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
}
