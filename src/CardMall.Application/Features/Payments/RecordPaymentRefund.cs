using CardMall.Application.Abstractions;
using CardMall.Application.Features.Wallet;
using CardMall.Domain.Notifications;
using CardMall.Domain.Payments;
using CardMall.Domain.Wallets;
using FluentValidation;
using MediatR;

namespace CardMall.Application.Features.Payments;

/// <summary>
/// Records what the gateway said about a refund: done (the buyer is told), impossible (the buyer's wallet is
/// credited instead, through the ledger, and told), or failed (tried again later; after the last attempt the
/// wallet is credited). The refund's row lock makes a second record of the same refund a no-op, so money goes
/// back once. True when the refund is finished now.
/// </summary>
public sealed record RecordPaymentRefund(Guid RefundId, RefundOutcome Outcome, string? Detail) : ICommand<bool>;

public sealed class RecordPaymentRefundValidator : AbstractValidator<RecordPaymentRefund>
{
    public RecordPaymentRefundValidator() => RuleFor(x => x.Detail).MaximumLength(2_000);
}

internal sealed class RecordPaymentRefundHandler(ICardMallDb db, TimeProvider clock) : IRequestHandler<RecordPaymentRefund, bool>
{
    public async Task<bool> Handle(RecordPaymentRefund request, CancellationToken cancellationToken)
    {
        var refund = await db.Locks.LockAsync<PaymentRefund>(request.RefundId, cancellationToken);
        if (refund is null || refund.IsDone) return false;
        var now = clock.GetUtcNow();
        var amount = refund.Amount.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
        var link = "/Orders/" + refund.Reference;

        var toWallet = request.Outcome switch
        {
            RefundOutcome.Refunded => false,
            RefundOutcome.NotSupported => true,
            _ => refund.Failed(request.Detail, now),
        };
        if (request.Outcome == RefundOutcome.Refunded)
        {
            refund.MarkRefunded(now);
            db.Notifications.Add(new Notification(refund.UserId, NotificationKind.PaymentReturned, link, now, refund.Reference, amount));
            return true;
        }
        if (!toWallet) return false;

        refund.MarkToWallet(now);
        var wallet = await db.LockOrCreateAsync(refund.UserId, now, cancellationToken);
        db.LedgerEntries.Add(wallet.Post(LedgerKind.Refund, refund.Amount, refund.Reference, now));
        db.Notifications.Add(new Notification(refund.UserId, NotificationKind.PaymentReturnedToWallet, link, now, refund.Reference, amount));
        return true;
    }
}
