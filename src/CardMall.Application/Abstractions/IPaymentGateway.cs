namespace CardMall.Application.Abstractions;

/// <summary>
/// A payment gateway (the built-in sandbox, Alipay, an 易支付/epay aggregator) as the shop's use cases see it.
/// Like the real ones it is asynchronous: the buyer is sent to the gateway's page to pay, the gateway tells us
/// server to server (a signed notification), and because notifications get lost we can also ask it what became
/// of a payment, close a payment that was never made, and give money back. A payment is opened for a
/// <em>reference</em>: a top-up number (TU…) or an order number (CM…); the gateway calls it its merchant order
/// number (out_trade_no). Nothing the buyer's browser brings back is ever trusted: only a notification whose
/// signature checks, or the gateway's answer to our own query.
/// </summary>
public interface IPaymentGateway
{
    /// <summary>The gateway's code, stored on each top-up and order ("sandbox", "alipay", "epay").</summary>
    string Name { get; }

    /// <summary>False when the gateway takes no new payments (switched off or not configured); payments already started still settle.</summary>
    bool AcceptsNewPayments { get; }

    /// <summary>How the gateway wants its notifications answered (<see cref="NotificationReply"/>).</summary>
    NotificationReply Reply { get; }

    /// <summary>Opens a payment and returns where to send the buyer. Idempotent on the reference.</summary>
    Task<PaymentStarted> StartPaymentAsync(PaymentRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Checks that a notification really comes from the gateway (its signature, over exactly what the gateway
    /// documents, and that it is addressed to this merchant) and reads it. Nothing in an unauthenticated notice is trusted.
    /// </summary>
    NotificationCheck CheckNotification(PaymentNotice notice);

    /// <summary>What the gateway knows about the reference's payment; null when it has none.</summary>
    Task<GatewayPayment?> QueryAsync(string reference, CancellationToken cancellationToken);

    /// <summary>
    /// Closes the payment if it is still unpaid, so it can no longer be paid, and returns its final state:
    /// Paid when the buyer paid before the close got there. Null when the gateway has no such payment.
    /// </summary>
    Task<GatewayPayment?> CloseAsync(string reference, CancellationToken cancellationToken);

    /// <summary>
    /// Gives (part of) a paid payment back to the payer. Idempotent on <see cref="RefundRequest.RefundNo"/>: asking
    /// again for the same refund number never pays twice. NotSupported when the gateway has no refund interface
    /// (the shop then credits the buyer's wallet instead).
    /// </summary>
    Task<GatewayRefund> RefundAsync(RefundRequest request, CancellationToken cancellationToken);

    /// <summary>A harmless call that proves the configuration works (address, merchant, keys), for the operators' page.</summary>
    Task<ConnectionCheck> TestConnectionAsync(CancellationToken cancellationToken);
}

/// <summary>
/// A payment to open. <paramref name="ReturnPath"/> is the shop page (path only) the buyer's browser goes back to;
/// <paramref name="Subject"/> is what the gateway shows ("Steam 钱包 ¥100 × 1"); <paramref name="Device"/> picks the
/// desktop or the phone cashier.
/// </summary>
public sealed record PaymentRequest(
    string Reference, decimal Amount, DateTimeOffset ExpiresAt, string Subject, string ReturnPath,
    PayerDevice Device = PayerDevice.Desktop, string? ClientIp = null);

public enum PayerDevice
{
    Desktop = 0,
    Phone = 1,
}

/// <summary>The gateway's number for the payment and the page the buyer pays on (absolute, or a path of this shop for the sandbox).</summary>
public sealed record PaymentStarted(string TradeNo, string PayUrl);

public enum GatewayPaymentStatus
{
    Unpaid = 0,
    Paid = 1,
    Closed = 2,
}

/// <summary>A payment as the gateway reports it: our reference, its trade number, the amount it took.</summary>
public sealed record GatewayPayment(string Reference, string TradeNo, decimal Amount, GatewayPaymentStatus Status, DateTimeOffset? PaidAt);

/// <summary>
/// A notification as it reached the shop: the HTTP method, headers, the raw body (signatures cover these bytes),
/// and the query string's parameters (epay notifies by GET).
/// </summary>
public sealed record PaymentNotice(
    string Method, IReadOnlyDictionary<string, string> Headers, byte[] Body, IReadOnlyDictionary<string, string> Query);

public enum NotificationVerdict
{
    Authentic = 0,
    BadSignature = 1,
    /// <summary>Correctly signed but not a notification we can read (or not for this merchant).</summary>
    Malformed = 2,
}

/// <summary>The verdict on a notification; <see cref="Payment"/> is set only when it is authentic.</summary>
public sealed record NotificationCheck(NotificationVerdict Verdict, GatewayPayment? Payment);

/// <summary>
/// Json: <c>{ok, reason}</c> with a status code (the sandbox). SuccessText: the body <c>success</c> when the
/// notification was taken, anything else (<c>fail</c>) makes the gateway send it again (Alipay, epay).
/// </summary>
public enum NotificationReply
{
    Json = 0,
    SuccessText = 1,
}

/// <summary>A refund to make: the payment (our reference and its trade number), our refund number, the amount.</summary>
public sealed record RefundRequest(string Reference, string TradeNo, string RefundNo, decimal Amount, string Reason);

public enum RefundOutcome
{
    Refunded = 0,
    /// <summary>The gateway has no refund interface (many epay aggregators): the shop pays back another way.</summary>
    NotSupported = 1,
    /// <summary>The gateway refused or could not be reached; trying again later may work.</summary>
    Failed = 2,
}

public sealed record GatewayRefund(RefundOutcome Outcome, string? Detail = null);

/// <summary>The result of a test call; <see cref="Detail"/> never contains a secret.</summary>
public sealed record ConnectionCheck(bool Ok, string Detail);

public static class PaymentGateways
{
    public static IPaymentGateway? Find(this IEnumerable<IPaymentGateway> gateways, string name) =>
        gateways.FirstOrDefault(g => string.Equals(g.Name, name, StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// What a gateway shows operators about its configuration (the gateways' page): whether it is switched on, its
/// merchant id already masked (2021****1234), and the notification address to register with the provider. Never a
/// key. A separate port, so a gateway that has nothing to show need not implement it.
/// </summary>
public interface IPaymentGatewaySettings
{
    GatewaySettingsView Settings { get; }
}

public sealed record GatewaySettingsView(bool Enabled, string MaskedMerchantId, string? NotifyUrl);
