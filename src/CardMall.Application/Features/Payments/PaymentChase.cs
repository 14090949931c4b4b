using CardMall.Application.Abstractions;

namespace CardMall.Application.Features.Payments;

/// <summary>What the watcher should do about one payment still open at its gateway.</summary>
public enum ChaseOutcome
{
    /// <summary>Not paid, and there is still time: look again next pass.</summary>
    Wait = 0,
    /// <summary>The gateway took the money: settle it.</summary>
    Settle = 1,
    /// <summary>Past its time and closed at the gateway without being paid: expire it.</summary>
    Expire = 2,
}

/// <summary>
/// The one rule for chasing a payment whose notification may have been lost, for top-ups and orders alike: ask the
/// gateway; paid → settle; unpaid and past its time → close it at the gateway first (so the buyer cannot pay between
/// our look and the expiry), then settle if the payment beat the close, or expire.
/// </summary>
internal static class PaymentChase
{
    public static async Task<(ChaseOutcome Outcome, GatewayPayment? Payment)> ChaseAsync(
        IPaymentGateway gateway, string reference, DateTimeOffset dueAt, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var payment = await gateway.QueryAsync(reference, cancellationToken);
        if (payment is null || payment.Status != GatewayPaymentStatus.Paid)
        {
            if (dueAt > now) return (ChaseOutcome.Wait, payment);
            payment = await gateway.CloseAsync(reference, cancellationToken);
        }
        return payment is { Status: GatewayPaymentStatus.Paid } ? (ChaseOutcome.Settle, payment) : (ChaseOutcome.Expire, payment);
    }
}
