using CardMall.Infrastructure.Payments;
using CardMall.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace CardMall.Web.Payments;

/// <summary>
/// The sandbox gateway's checkout, buyer side: what its pay page shows and does. It stands in for a
/// system outside the shop, so it works on its own table directly rather than through the shop's use cases.
/// </summary>
public sealed class SandboxCashier(CardMallDbContext db, SandboxNotifications notifications, TimeProvider clock)
{
    public Task<SandboxPayment?> FindAsync(string tradeNo, CancellationToken cancellationToken) =>
        db.Set<SandboxPayment>().AsNoTracking().FirstOrDefaultAsync(p => p.TradeNo == tradeNo, cancellationToken);

    /// <summary>
    /// Pays the payment if it is still open; with <paramref name="loseNotification"/> no notification will
    /// ever be sent, as when a real one is lost on the way. False when it was already paid, closed or expired.
    /// </summary>
    public async Task<bool> PayAsync(string tradeNo, bool loseNotification, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        DateTimeOffset? notifyAt = loseNotification ? null : now;
        // One statement, so paying twice at once, or paying while the shop closes the payment, has one winner.
        var paid = await db.Set<SandboxPayment>()
            .Where(p => p.TradeNo == tradeNo && p.Status == SandboxPaymentStatus.Unpaid && p.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s
                .SetProperty(p => p.Status, SandboxPaymentStatus.Paid)
                .SetProperty(p => p.PaidAt, now)
                .SetProperty(p => p.DropNotify, loseNotification)
                .SetProperty(p => p.NextNotifyAt, notifyAt), cancellationToken) == 1;
        if (paid && !loseNotification) notifications.Wake();
        return paid;
    }
}
