namespace CardMall.Application.Abstractions;

/// <summary>
/// A payment gateway (Alipay, WeChat Pay, the built-in sandbox) as the top-up use cases see it. Like the
/// real ones it is asynchronous: the buyer is sent to the gateway's page to pay, the gateway tells us
/// server to server (a signed notification), and because notifications get lost we can also ask it
/// what became of a payment, and close a payment that was never made.
/// </summary>
public interface IPaymentGateway
{
    /// <summary>The gateway's code, stored on each top-up ("sandbox").</summary>
    string Name { get; }

    /// <summary>False when the gateway takes no new payments (switched off); payments already started still settle.</summary>
    bool AcceptsNewPayments { get; }

    /// <summary>Opens a payment for a top-up and returns where to send the buyer. Idempotent on the top-up number.</summary>
    Task<PaymentStarted> StartPaymentAsync(PaymentRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Checks that a notification really comes from the gateway (its signature over the raw body) and reads
    /// it. Nothing in an unauthenticated body is trusted.
    /// </summary>
    NotificationCheck CheckNotification(IReadOnlyDictionary<string, string> headers, byte[] body);

    /// <summary>What the gateway knows about the top-up's payment; null when it has none.</summary>
    Task<GatewayPayment?> QueryAsync(string topUpNo, CancellationToken cancellationToken);

    /// <summary>
    /// Closes the payment if it is still unpaid, so it can no longer be paid, and returns its final state:
    /// Paid when the buyer paid before the close got there. Null when the gateway has no such payment.
    /// </summary>
    Task<GatewayPayment?> CloseAsync(string topUpNo, CancellationToken cancellationToken);
}

public sealed record PaymentRequest(string TopUpNo, decimal Amount, DateTimeOffset ExpiresAt);

/// <summary>The gateway's number for the payment and the page the buyer pays on.</summary>
public sealed record PaymentStarted(string TradeNo, string PayUrl);

public enum GatewayPaymentStatus
{
    Unpaid = 0,
    Paid = 1,
    Closed = 2,
}

/// <summary>A payment as the gateway reports it: our top-up number, its trade number, the amount it took.</summary>
public sealed record GatewayPayment(string TopUpNo, string TradeNo, decimal Amount, GatewayPaymentStatus Status, DateTimeOffset? PaidAt);

public enum NotificationVerdict
{
    Authentic = 0,
    BadSignature = 1,
    /// <summary>Correctly signed but not a notification we can read.</summary>
    Malformed = 2,
}

/// <summary>The verdict on a notification; <see cref="Payment"/> is set only when it is authentic.</summary>
public sealed record NotificationCheck(NotificationVerdict Verdict, GatewayPayment? Payment);

public static class PaymentGateways
{
    public static IPaymentGateway? Find(this IEnumerable<IPaymentGateway> gateways, string name) =>
        gateways.FirstOrDefault(g => string.Equals(g.Name, name, StringComparison.OrdinalIgnoreCase));
}
